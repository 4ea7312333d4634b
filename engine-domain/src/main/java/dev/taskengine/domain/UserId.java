package dev.taskengine.domain;

/** A user of the host application who can be assigned tasks. */
public record UserId(long value) {
    public static UserId of(long value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
