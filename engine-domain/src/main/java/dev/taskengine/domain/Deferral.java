package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a scheduled send did not go yet and when it may: the sending policy deferred it until {@code until}, for
 * {@code reason}, one of the stable codes of {@link SendingDecision}. The scheduler does not claim the task before then.
 */
public record Deferral(Instant until, String reason) {
    public Deferral {
        Objects.requireNonNull(until, "until");
        // Up to the store's precision, never down: a deferral never ends before the instant the policy answered.
        Instant truncated = TaskRules.micros(until);
        until = truncated.equals(until) ? until : truncated.plusNanos(1_000);
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a deferral needs a reason");
        }
    }

    /** The deferral {@code decision} says. */
    public static Deferral of(SendingDecision.Defer decision) {
        return new Deferral(decision.until(), decision.reason());
    }
}
