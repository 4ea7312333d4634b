package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A sending limit an account has reached ({@link SendingPolicy#limitReached}): {@code reason} is one of the stable
 * codes {@link SendingDecision#DAILY_LIMIT}, {@link SendingDecision#HOURLY_LIMIT}, {@link SendingDecision#MINIMUM_GAP};
 * {@code freesAt} is the earliest instant at which every limit allows a send again.
 */
public record LimitReached(String reason, Instant freesAt) {
    public LimitReached {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(freesAt, "freesAt");
    }
}
