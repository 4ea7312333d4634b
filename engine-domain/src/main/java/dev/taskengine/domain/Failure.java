package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's execution failures: the reason of the current failure (empty when the task has not failed, or its failure
 * was cleared), the failed attempts counted so far, and, for a failed task, when the scheduler retries it and the
 * idempotency key the retry reuses.
 */
public record Failure(Optional<String> reason, int attempts, Optional<Instant> retryAt, Optional<String> retryKey) {
    /** Never failed. */
    public static final Failure NONE = new Failure(Optional.empty(), 0, Optional.empty(), Optional.empty());

    public Failure {
        Objects.requireNonNull(reason, "failureReason");
        Objects.requireNonNull(retryAt, "retryAt");
        Objects.requireNonNull(retryKey, "retryKey");
    }

    /** Whether the task is marked failed (it carries a failure reason). */
    public boolean failed() {
        return reason.isPresent();
    }
}
