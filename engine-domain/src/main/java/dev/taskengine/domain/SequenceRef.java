package dev.taskengine.domain;

import java.util.Optional;

/** The sequence and step that created a task, with the step's display name (e.g. "Step 2 - Email"). */
public record SequenceRef(SequenceId sequenceId, SequenceStepId stepId, Optional<String> stepDisplayName) {
    public SequenceRef {
        stepDisplayName = stepDisplayName == null ? Optional.empty() : stepDisplayName;
    }

    public static SequenceRef of(long sequenceId, long stepId, String stepDisplayName) {
        return new SequenceRef(
                SequenceId.of(sequenceId), SequenceStepId.of(stepId), Optional.ofNullable(stepDisplayName));
    }
}
