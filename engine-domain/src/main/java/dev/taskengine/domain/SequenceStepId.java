package dev.taskengine.domain;

/** One step of a sequence. */
public record SequenceStepId(long value) {
    public static SequenceStepId of(long value) {
        return new SequenceStepId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
