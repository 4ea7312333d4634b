package dev.taskengine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How failed executions of scheduled tasks are retried: transient failures back off exponentially from
 * {@code initialBackoff}, doubling up to {@code maxBackoff}, until {@code maxAttempts} attempts have failed; a permanent
 * failure is not retried. A task that is not retried stays failed with its reason until it is updated or executed by hand.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1 || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "a retry policy makes at least one attempt and backs off by a growing, non-negative delay");
        }
    }

    /** Five attempts, backing off from 30 seconds to an hour. */
    public static RetryPolicy standard() {
        return new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofHours(1));
    }

    /** When to try again after {@code failedAttempts} failed attempts, the last one at {@code now}; empty: never. */
    public Optional<Instant> retryAt(int failedAttempts, boolean transientFailure, Instant now) {
        if (!transientFailure || failedAttempts >= maxAttempts) {
            return Optional.empty();
        }
        Duration delay = initialBackoff;
        for (int i = 1; i < failedAttempts && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return Optional.of(now.plus(delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay));
    }
}
