package dev.taskengine.domain;

/** A prospect (contact) known to the host's contact directory. */
public record ContactId(long value) {
    public static ContactId of(long value) {
        return new ContactId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
