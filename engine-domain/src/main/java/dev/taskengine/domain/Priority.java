package dev.taskengine.domain;

/** Topo's priority buckets ({@code HOT}, {@code TODAY}, {@code EXTRA}). New tasks default to {@link #TODAY}. */
public enum Priority implements WireEnum {
    HOT(0, "hot"),
    TODAY(1, "today"),
    EXTRA(2, "extra");

    private final int code;
    private final String wireName;

    Priority(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Topo's upper-case name. */
    public String topoName() {
        return name();
    }
}
