package dev.taskengine.domain;

/** Topo's priority buckets ({@code HOT}, {@code TODAY}, {@code EXTRA}); codes are the positions below. New tasks default to {@link #TODAY}. */
public enum Priority implements WireEnum {
    HOT, TODAY, EXTRA;

    /** Topo's upper-case name. */
    public String topoName() {
        return name();
    }
}
