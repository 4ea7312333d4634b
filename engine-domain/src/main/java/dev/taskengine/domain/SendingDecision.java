package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link SendingPolicy#decide} answers: {@link SendNow}, or {@link Defer} until an instant, with the stable code
 * of the rule that deferred the send.
 */
public sealed interface SendingDecision {
    /** The send falls outside the sending windows. */
    String OUTSIDE_WINDOW = "sending.outsideWindow";
    /** The send falls on a holiday in the recipient's zone. */
    String HOLIDAY = "sending.holiday";
    /** The account has reached its limit per rolling 24 hours. */
    String DAILY_LIMIT = "sending.dailyLimit";
    /** The account has reached its limit per rolling hour. */
    String HOURLY_LIMIT = "sending.hourlyLimit";
    /** The account's last send is more recent than the minimum gap (with its jitter). */
    String MINIMUM_GAP = "sending.minimumGap";

    static SendingDecision sendNow() {
        return SendNow.INSTANCE;
    }

    /** Send now. */
    record SendNow() implements SendingDecision {
        private static final SendNow INSTANCE = new SendNow();
    }

    /** Do not send before {@code until}; {@code reason} is one of the codes above. */
    record Defer(Instant until, String reason) implements SendingDecision {
        public Defer {
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(reason, "reason");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("a deferral needs a reason");
            }
        }
    }
}
