package dev.taskengine.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When sending is open: for each listed day of the week, one or more local time ranges {@code [from, to)}, read in
 * {@code zone} (or in the recipient's zone, when {@link SendingPolicy#decide} is given one). A day not listed is
 * closed. A range whose {@code to} is not after its {@code from} crosses midnight and belongs to the day it starts:
 * Friday 22:00–02:00 is open from Friday 22:00 to Saturday 02:00. A {@code to} of 00:00 is the midnight that ends the
 * day, so 00:00–00:00 is the whole day.
 *
 * <p>The ranges are local times, so a 09:00–17:00 window stays 09:00–17:00 on the wall clock across a daylight-saving
 * change. On the day of a change a boundary is turned into an instant this way:
 *
 * <ul>
 *   <li>a local time that does not exist (spring forward: 02:30 in New York on 2026-03-08) is the first instant after
 *       the gap (03:00 EDT), the earliest instant whose wall-clock time is at or past the boundary. Note that this is
 *       not what {@link ZonedDateTime#of} answers: it shifts by the length of the gap (to 03:30);
 *   <li>a local time that occurs twice (fall back: 01:30 in New York on 2026-11-01) is its earlier occurrence, at the
 *       earlier offset (01:30 EDT), as {@link ZonedDateTime#of} resolves it.
 * </ul>
 *
 * A range that falls wholly inside a gap is closed on that day.
 *
 * <p>The windows are host configuration: an empty range, a listed day without a range, or no day at all is refused
 * with an {@link IllegalArgumentException}, meant to be caught when the host starts.
 */
public record SendingWindows(ZoneId zone, Map<DayOfWeek, List<TimeRange>> days) {
    /** How far ahead {@link #openAtOrAfter} looks: every listed weekday comes round at least once in it. */
    private static final int HORIZON_DAYS = 15;

    public SendingWindows {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(days, "days");
        if (days.isEmpty()) {
            throw new IllegalArgumentException("sending windows need at least one day with a time range");
        }
        EnumMap<DayOfWeek, List<TimeRange>> copy = new EnumMap<>(DayOfWeek.class);
        days.forEach((day, ranges) -> {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(ranges, "ranges of " + day);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException(
                        "sending windows: " + day + " is listed without a time range (leave the day out to close it)");
            }
            copy.put(day, List.copyOf(ranges));
        });
        days = Map.copyOf(copy);
    }

    /** Always open; {@code zone} is the zone holidays are judged in when the recipient has none. */
    public static SendingWindows always(ZoneId zone) {
        return on(zone, EnumSet.allOf(DayOfWeek.class), TimeRange.ALL_DAY);
    }

    /** Always open, holidays judged in UTC when the recipient has no zone. */
    public static SendingWindows always() {
        return always(ZoneOffset.UTC);
    }

    /** Open on each of {@code days} during each of {@code ranges}, in {@code zone}. */
    public static SendingWindows on(ZoneId zone, Set<DayOfWeek> days, TimeRange... ranges) {
        Map<DayOfWeek, List<TimeRange>> map = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : days) {
            map.put(day, Arrays.asList(ranges));
        }
        return new SendingWindows(zone, map);
    }

    /** The same windows with {@code day}'s ranges replaced by {@code ranges}. */
    public SendingWindows with(DayOfWeek day, TimeRange... ranges) {
        Map<DayOfWeek, List<TimeRange>> map = new EnumMap<>(days);
        map.put(day, Arrays.asList(ranges));
        return new SendingWindows(zone, map);
    }

    /** The ranges of {@code day}, empty when the day is closed. */
    public List<TimeRange> rangesOn(DayOfWeek day) {
        return days.getOrDefault(day, List.of());
    }

    /**
     * The earliest instant at or after {@code at} that lies inside a window, local times read in {@code in}
     * (daylight-saving boundaries as the type's documentation says).
     *
     * @throws IllegalStateException when no window opens within two weeks (a range only ever inside a gap)
     */
    public Instant openAtOrAfter(Instant at, ZoneId in) {
        LocalDate first = at.atZone(in).toLocalDate().minusDays(1);
        Optional<Instant> earliest = Optional.empty();
        for (int i = 0; i <= HORIZON_DAYS; i++) {
            LocalDate date = first.plusDays(i);
            for (TimeRange range : rangesOn(date.getDayOfWeek())) {
                Instant start = resolve(date.atTime(range.from()), in);
                Instant end = resolve(
                        range.endsNextDay() ? date.plusDays(1).atTime(range.to()) : date.atTime(range.to()), in);
                if (!start.isBefore(end)) {
                    continue;
                }
                if (!at.isBefore(start) && at.isBefore(end)) {
                    return at;
                }
                if (start.isAfter(at) && earliest.map(start::isBefore).orElse(true)) {
                    earliest = Optional.of(start);
                }
            }
        }
        return earliest.orElseThrow(() -> new IllegalStateException(
                "no sending window opens within " + HORIZON_DAYS + " days of " + at + " in " + in));
    }

    /**
     * The instant of a local date-time in {@code zone}: in a gap, the first instant after it; in an overlap, the
     * earlier offset.
     */
    static Instant resolve(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.of(local, zone).withEarlierOffsetAtOverlap().toInstant();
    }

    /**
     * A local time range {@code [from, to)} of one day; see {@link SendingWindows} for one that crosses midnight and
     * for {@code to} = 00:00. A range with {@code from} equal to {@code to} (other than 00:00–00:00) is empty and refused.
     */
    public record TimeRange(LocalTime from, LocalTime to) {
        /** The whole day, 00:00–00:00. */
        public static final TimeRange ALL_DAY = new TimeRange(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

        public TimeRange {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.equals(to) && !from.equals(LocalTime.MIDNIGHT)) {
                throw new IllegalArgumentException(
                        "empty sending time range " + from + "–" + to + " (for the whole day use 00:00–00:00)");
            }
        }

        /** A range from ISO local times, e.g. {@code of("09:00", "17:00")}. */
        public static TimeRange of(String from, String to) {
            return new TimeRange(LocalTime.parse(from), LocalTime.parse(to));
        }

        /** Whether the range ends on the day after it starts (it crosses midnight, or ends at 00:00). */
        public boolean endsNextDay() {
            return !to.isAfter(from);
        }
    }
}
