package dev.taskengine.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The sending policy of one account, as a pure function: whether a send may go now, or the earliest instant at which
 * it may.
 *
 * <p>The rules, in the order they are asked: holidays ({@link SendingDecision#HOLIDAY}), windows
 * ({@link SendingDecision#OUTSIDE_WINDOW}), the daily limit ({@link SendingDecision#DAILY_LIMIT}), the hourly limit
 * ({@link SendingDecision#HOURLY_LIMIT}) and the minimum gap ({@link SendingDecision#MINIMUM_GAP}). Each rule pushes
 * the candidate instant forward to its own earliest satisfying instant; the rules are asked again until none moves it,
 * so the answer satisfies all at once. The reason of a deferral is the first rule that moved the candidate from
 * {@code now}.
 *
 * <p>A limit counts a send at {@code s} against a candidate {@code t} while {@code s} is later than {@code t} minus the
 * limit's period (24 hours, one hour): a send at 10:00 frees its place at 10:00 the next day.
 */
public final class SendingPolicy {
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration HOUR = Duration.ofHours(1);
    /** A bound on the rounds of {@link #settle}; each round moves the candidate forward, so it is never reached. */
    private static final int MAX_ROUNDS = 100_000;

    private SendingPolicy() {}

    /**
     * Whether a send may go at {@code now}; windows and holidays are read in {@code recipientZone}, the recipient's own.
     *
     * @param jitter added to the minimum gap (when there is one), chosen by the caller: the domain has no randomness
     * @throws IllegalArgumentException when {@code jitter} is negative
     */
    public static SendingDecision decide(
            SendingLimits limits,
            SendingWindows windows,
            Holidays holidays,
            SendingUsage usage,
            ZoneId recipientZone,
            Instant now,
            Duration jitter) {
        return decide(limits, windows, holidays, usage, Optional.of(recipientZone), now, jitter);
    }

    private static SendingDecision decide(
            SendingLimits limits,
            SendingWindows windows,
            Holidays holidays,
            SendingUsage usage,
            Optional<ZoneId> recipientZone,
            Instant now,
            Duration jitter) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(holidays, "holidays");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(recipientZone, "recipientZone");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(jitter, "jitter");
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative, got " + jitter);
        }
        ZoneId zone = recipientZone.orElse(windows.zone());
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule(SendingDecision.HOLIDAY, t -> afterHolidays(holidays, zone, t)));
        rules.add(new Rule(SendingDecision.OUTSIDE_WINDOW, t -> windows.openAtOrAfter(t, zone)));
        rules.addAll(limitRules(limits, usage, jitter));
        Settled settled = settle(rules, now);
        return settled.reason() == null
                ? SendingDecision.sendNow()
                : new SendingDecision.Defer(settled.at(), settled.reason());
    }

    /** {@link #decide} with windows and holidays read in the windows' zone (the recipient's zone is unknown). */
    public static SendingDecision decide(
            SendingLimits limits,
            SendingWindows windows,
            Holidays holidays,
            SendingUsage usage,
            Instant now,
            Duration jitter) {
        return decide(limits, windows, holidays, usage, Optional.empty(), now, jitter);
    }

    /**
     * For a send by hand: the limits only (no windows, no holidays, no jitter). Empty when a send may go at {@code now};
     * otherwise the first limit reached (daily, hourly, minimum gap, in that order) and the earliest instant at which
     * every limit allows a send.
     */
    public static Optional<LimitReached> limitReached(SendingLimits limits, SendingUsage usage, Instant now) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(now, "now");
        List<Rule> rules = limitRules(limits, usage, Duration.ZERO);
        Settled settled = settle(rules, now);
        return settled.reason() == null
                ? Optional.empty()
                : Optional.of(new LimitReached(settled.reason(), settled.at()));
    }

    /**
     * Whether {@code more} sends at {@code at} (one after another, at that same instant) all stay within {@code limits}
     * given {@code counts} of what the account sent before {@code at}: true only when no limit can be reached by them,
     * so that a caller need not read the sends themselves. False does not mean a limit is reached: judge each send with
     * {@link #limitReached} then.
     */
    public static boolean fitWithin(SendingLimits limits, SendingCounts counts, int more, Instant at) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(at, "at");
        if (more < 1) {
            throw new IllegalArgumentException("at least one send is judged, not " + more);
        }
        if (limits.perDay().isPresent()
                && counts.inLastDay() + more > limits.perDay().getAsInt()) {
            return false;
        }
        if (limits.perHour().isPresent()
                && counts.inLastHour() + more > limits.perHour().getAsInt()) {
            return false;
        }
        if (limits.minimumGap().isPresent()) {
            Duration gap = limits.minimumGap().get();
            if (more > 1 && !gap.isZero()) {
                return false;
            }
            return counts.latest().map(last -> !last.plus(gap).isAfter(at)).orElse(true);
        }
        return true;
    }

    /** The limits as rules, in their order: daily, hourly, minimum gap (lengthened by {@code jitter}). */
    private static List<Rule> limitRules(SendingLimits limits, SendingUsage usage, Duration jitter) {
        return List.of(
                new Rule(
                        SendingDecision.DAILY_LIMIT,
                        t -> limits.perDay().isPresent()
                                ? underLimit(usage, DAY, limits.perDay().getAsInt(), t)
                                : t),
                new Rule(
                        SendingDecision.HOURLY_LIMIT,
                        t -> limits.perHour().isPresent()
                                ? underLimit(usage, HOUR, limits.perHour().getAsInt(), t)
                                : t),
                new Rule(SendingDecision.MINIMUM_GAP, t -> afterGap(usage, limits.minimumGap(), jitter, t)));
    }

    private static Settled settle(List<Rule> rules, Instant now) {
        Instant candidate = now;
        String reason = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean moved = false;
            for (Rule rule : rules) {
                Instant next = rule.earliest().apply(candidate);
                if (next.isAfter(candidate)) {
                    if (reason == null) {
                        reason = rule.reason();
                    }
                    candidate = next;
                    moved = true;
                }
            }
            if (!moved) {
                return new Settled(candidate, reason);
            }
        }
        throw new IllegalStateException("the sending rules did not settle from " + now);
    }

    private static Instant afterHolidays(Holidays holidays, ZoneId zone, Instant t) {
        LocalDate date = t.atZone(zone).toLocalDate();
        if (!holidays.contains(date)) {
            return t;
        }
        while (holidays.contains(date)) {
            date = date.plusDays(1);
        }
        return SendingWindows.resolve(date.atStartOfDay(), zone);
    }

    /** The earliest instant from {@code t} at which fewer than {@code max} sends lie within {@code period} before it. */
    private static Instant underLimit(SendingUsage usage, Duration period, int max, Instant t) {
        Instant since = t.minus(period);
        List<Instant> counted =
                usage.sends().stream().filter(s -> s.isAfter(since)).toList();
        if (counted.size() < max) {
            return t;
        }
        return counted.get(counted.size() - max).plus(period);
    }

    private static Instant afterGap(SendingUsage usage, Optional<Duration> gap, Duration jitter, Instant t) {
        if (gap.isEmpty() || usage.sends().isEmpty()) {
            return t;
        }
        Instant last = usage.sends().get(usage.sends().size() - 1);
        Instant earliest = last.plus(gap.get()).plus(jitter);
        return earliest.isAfter(t) ? earliest : t;
    }

    private record Rule(String reason, UnaryOperator<Instant> earliest) {}

    private record Settled(Instant at, String reason) {}
}
