package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A task's lifecycle times: created, last changed, and finished or skipped (kept through archiving). */
public record Times(Instant createdAt, Instant updatedAt, Optional<Instant> finishedAt, Optional<Instant> skippedAt) {
    public Times {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(skippedAt, "skippedAt");
    }
}
