package dev.taskengine.domain;

/** Priority buckets; codes are the positions below. New tasks default to {@link #TODAY}. */
public enum Priority implements WireEnum {
    HOT,
    TODAY,
    EXTRA
}
