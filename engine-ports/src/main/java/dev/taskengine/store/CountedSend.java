package dev.taskengine.store;

import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A send that a {@link TaskWrite} records, to be counted against its account's limits by the store in the write's own
 * transaction: {@code account} sends at {@code at} the message of execution {@code idempotencyKey}, if {@code limits}
 * allow it given the account's sends already counted. A key is counted once however often it is written (a resend
 * after a crash moves its send to the resend's time).
 */
public record CountedSend(SendingAccount account, String idempotencyKey, Instant at, SendingLimits limits) {
    public CountedSend {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * How long a store keeps a counted send after its time, judged by the limits of the latest send of its account: at
     * least 24 hours (so that a daily limit set later sees a day of history), longer when the limits look further back,
     * and an hour more, so that an engine whose clock is behind the forgetting one's still sees every send its limits
     * look at. A send forgotten is never counted again, and a key resent after that is counted as new.
     */
    public static Duration keptFor(SendingLimits limits) {
        Duration day = Duration.ofHours(24);
        return (limits.lookBack().compareTo(day) > 0 ? limits.lookBack() : day).plus(CLOCK_MARGIN);
    }

    /** How far apart the clocks of engines sharing a store may be, for {@link #keptFor}. */
    private static final Duration CLOCK_MARGIN = Duration.ofHours(1);
}
