package dev.taskengine.domain;

/** A sequence (cadence) of the host application that creates tasks step by step. */
public record SequenceId(long value) {
    public static SequenceId of(long value) {
        return new SequenceId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
