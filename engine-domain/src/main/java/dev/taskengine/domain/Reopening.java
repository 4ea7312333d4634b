package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;

/** The last time a task was reopened, and why. */
public record Reopening(Instant at, ReopenReason reason) {
    public Reopening {
        Objects.requireNonNull(at, "reopenedAt");
        Objects.requireNonNull(reason, "reopenReason");
    }
}
