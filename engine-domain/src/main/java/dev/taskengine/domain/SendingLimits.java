package dev.taskengine.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How much one sending account may send: at most {@code perDay} sends in any rolling 24 hours, at most {@code perHour}
 * in any rolling hour, and at least {@code minimumGap} between two of its sends, a scheduled send waiting a random extra
 * time of up to {@code jitter} after the gap (to look like a person). An empty component means "no limit" (no jitter).
 *
 * <p>Build with {@link #none()} and the {@code with…} methods. The limits are host configuration: an impossible one
 * (a count below 1, a negative gap) is refused with an {@link IllegalArgumentException}, meant to be caught when the
 * host starts, not per send.
 */
public record SendingLimits(
        OptionalInt perDay, OptionalInt perHour, Optional<Duration> minimumGap, Optional<Duration> jitter) {
    private static final SendingLimits NONE =
            new SendingLimits(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration HOUR = Duration.ofHours(1);

    public SendingLimits {
        Objects.requireNonNull(perDay, "perDay");
        Objects.requireNonNull(perHour, "perHour");
        Objects.requireNonNull(minimumGap, "minimumGap");
        Objects.requireNonNull(jitter, "jitter");
        perDay.ifPresent(n -> requireAtLeastOne("perDay", n));
        perHour.ifPresent(n -> requireAtLeastOne("perHour", n));
        minimumGap.ifPresent(gap -> {
            if (gap.isNegative()) {
                throw new IllegalArgumentException("minimumGap must not be negative, got " + gap);
            }
        });
        jitter.ifPresent(j -> {
            if (j.isNegative()) {
                throw new IllegalArgumentException("jitter must not be negative, got " + j);
            }
        });
        if (jitter.isPresent() && minimumGap.isEmpty()) {
            throw new IllegalArgumentException("jitter lengthens the minimum gap: set a minimumGap with it");
        }
    }

    /** No limit at all. */
    public static SendingLimits none() {
        return NONE;
    }

    /** The same limits with at most {@code n} sends per rolling 24 hours ({@code n} ≥ 1). */
    public SendingLimits withPerDay(int n) {
        return new SendingLimits(OptionalInt.of(n), perHour, minimumGap, jitter);
    }

    /** The same limits with at most {@code n} sends per rolling hour ({@code n} ≥ 1). */
    public SendingLimits withPerHour(int n) {
        return new SendingLimits(perDay, OptionalInt.of(n), minimumGap, jitter);
    }

    /** The same limits with at least {@code gap} (not negative) between two sends. */
    public SendingLimits withMinimumGap(Duration gap) {
        return new SendingLimits(perDay, perHour, Optional.of(Objects.requireNonNull(gap, "gap")), jitter);
    }

    /** The same limits with a random extra wait of up to {@code value} after the minimum gap (set the gap first). */
    public SendingLimits withJitter(Duration value) {
        return new SendingLimits(perDay, perHour, minimumGap, Optional.of(Objects.requireNonNull(value, "jitter")));
    }

    /** Whether any limit applies: without one, nothing needs counting. */
    public boolean limited() {
        return perDay.isPresent() || perHour.isPresent() || minimumGap.isPresent();
    }

    /**
     * How far back the sends the limits look at reach from a candidate instant: 24 hours with a daily limit, an hour
     * with an hourly one, or the minimum gap if that is longer. A store reads the sends after {@code at - lookBack()}.
     */
    public Duration lookBack() {
        Duration counted = perDay.isPresent() ? DAY : perHour.isPresent() ? HOUR : Duration.ZERO;
        Duration gap = minimumGap.orElse(Duration.ZERO);
        return gap.compareTo(counted) > 0 ? gap : counted;
    }

    /**
     * How many of the latest sends within {@link #lookBack()} the limits need to be judged exactly: the largest count
     * limit (the oldest send that still counts against it tells when it frees up), or one for the gap alone.
     */
    public int sendsCounted() {
        return Math.max(1, Math.max(perDay.orElse(0), perHour.orElse(0)));
    }

    private static void requireAtLeastOne(String name, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 (leave it out for no limit), got " + n);
        }
    }
}
