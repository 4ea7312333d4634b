package dev.taskengine.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How much one sending account may send: at most {@code perDay} sends in any rolling 24 hours, at most {@code perHour}
 * in any rolling hour, and at least {@code minimumGap} between two of its sends. An empty component means "no limit".
 *
 * <p>Build with {@link #none()} and the {@code with…} methods. The limits are host configuration: an impossible one
 * (a count below 1, a negative gap) is refused with an {@link IllegalArgumentException}, meant to be caught when the
 * host starts, not per send.
 */
public record SendingLimits(OptionalInt perDay, OptionalInt perHour, Optional<Duration> minimumGap) {
    private static final SendingLimits NONE =
            new SendingLimits(OptionalInt.empty(), OptionalInt.empty(), Optional.empty());

    public SendingLimits {
        Objects.requireNonNull(perDay, "perDay");
        Objects.requireNonNull(perHour, "perHour");
        Objects.requireNonNull(minimumGap, "minimumGap");
        perDay.ifPresent(n -> requireAtLeastOne("perDay", n));
        perHour.ifPresent(n -> requireAtLeastOne("perHour", n));
        minimumGap.ifPresent(gap -> {
            if (gap.isNegative()) {
                throw new IllegalArgumentException("minimumGap must not be negative, got " + gap);
            }
        });
    }

    /** No limit at all. */
    public static SendingLimits none() {
        return NONE;
    }

    /** The same limits with at most {@code n} sends per rolling 24 hours ({@code n} ≥ 1). */
    public SendingLimits withPerDay(int n) {
        return new SendingLimits(OptionalInt.of(n), perHour, minimumGap);
    }

    /** The same limits with at most {@code n} sends per rolling hour ({@code n} ≥ 1). */
    public SendingLimits withPerHour(int n) {
        return new SendingLimits(perDay, OptionalInt.of(n), minimumGap);
    }

    /** The same limits with at least {@code gap} (not negative) between two sends. */
    public SendingLimits withMinimumGap(Duration gap) {
        return new SendingLimits(perDay, perHour, Optional.of(Objects.requireNonNull(gap, "gap")));
    }

    private static void requireAtLeastOne(String name, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 (leave it out for no limit), got " + n);
        }
    }
}
