package dev.taskengine.domain;

import java.util.Objects;
import java.util.Optional;

/** Where a task came from, fixed for its life: its creation source and, for a sequence task, its sequence and step. */
public record Origin(CreationSource source, Optional<SequenceRef> sequence) {
    public Origin {
        Objects.requireNonNull(source, "creationSource");
        Objects.requireNonNull(sequence, "sequence");
    }
}
