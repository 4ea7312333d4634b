package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.SendingWindows.TimeRange;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SendingPolicy}: each rule alone, the rules together, and the zone they are read in. */
class SendingPolicyTest {
    /** A Monday. */
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final EnumSet<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    /** Weekdays 09:00–12:00 and 13:00–17:00 UTC. */
    private static final SendingWindows OFFICE_HOURS_UTC =
            SendingWindows.on(ZoneOffset.UTC, WEEKDAYS, TimeRange.of("09:00", "12:00"), TimeRange.of("13:00", "17:00"));

    @Test
    void noLimitsAndAlwaysOpenSendsNow() {
        SendingUsage busy = SendingUsage.of(NOW.minusSeconds(1), NOW.minusSeconds(2), NOW.minusSeconds(3));

        assertThat(decide(SendingLimits.none(), SendingWindows.always(), busy, NOW, Duration.ZERO))
                .isEqualTo(SendingDecision.sendNow());
    }

    @ParameterizedTest(name = "perDay {0}, sends {1} minutes ago → {2}")
    @CsvSource({
        "3, '-1380 -600 -60', 60", // the oldest of three, 23 h ago, frees its place in an hour
        "3, '-1500 -600 -60', 0", // one of them is older than 24 h: two counted
        "1, -1440, 0", // a send exactly 24 h ago no longer counts
        "2, '-1430 -1420 -5', 20", // two must leave: the second oldest frees the place
    })
    void theDailyLimitAloneDefersUntilTheOldestCountedSendIs24HoursOld(
            int perDay, String sendsMinutesAgo, long expectedMinutesFromNow) {
        SendingDecision decision = decide(
                SendingLimits.none().withPerDay(perDay),
                SendingWindows.always(),
                usage(sendsMinutesAgo),
                NOW,
                Duration.ZERO);

        assertThat(decision).isEqualTo(expected(expectedMinutesFromNow, SendingDecision.DAILY_LIMIT));
    }

    @ParameterizedTest(name = "perHour {0}, sends {1} minutes ago → {2}")
    @CsvSource({
        "2, '-50 -10', 10",
        "2, '-70 -10', 0",
        "1, -60, 0",
        "1, -1, 59",
    })
    void theHourlyLimitAloneDefersUntilTheOldestCountedSendIsAnHourOld(
            int perHour, String sendsMinutesAgo, long expectedMinutesFromNow) {
        SendingDecision decision = decide(
                SendingLimits.none().withPerHour(perHour),
                SendingWindows.always(),
                usage(sendsMinutesAgo),
                NOW,
                Duration.ZERO);

        assertThat(decision).isEqualTo(expected(expectedMinutesFromNow, SendingDecision.HOURLY_LIMIT));
    }

    @ParameterizedTest(name = "gap {0} min, jitter {1} s, last send {2} s ago → in {3} s")
    @CsvSource({
        "5, 0, 120, 180",
        "5, 30, 120, 210", // the jitter lengthens the gap
        "5, 60, 330, 30",
        "5, 60, 360, 0",
        "0, 45, 10, 35", // a zero gap with jitter is the jitter alone
    })
    void theMinimumGapWithItsJitterDefersFromTheLastSend(
            long gapMinutes, long jitterSeconds, long lastSendSecondsAgo, long expectedSecondsFromNow) {
        SendingDecision decision = decide(
                SendingLimits.none().withMinimumGap(Duration.ofMinutes(gapMinutes)),
                SendingWindows.always(),
                SendingUsage.of(NOW.minusSeconds(lastSendSecondsAgo)),
                NOW,
                Duration.ofSeconds(jitterSeconds));

        assertThat(decision)
                .isEqualTo(
                        expectedSecondsFromNow == 0
                                ? SendingDecision.sendNow()
                                : new SendingDecision.Defer(
                                        NOW.plusSeconds(expectedSecondsFromNow), SendingDecision.MINIMUM_GAP));
    }

    @Test
    void jitterWithoutAMinimumGapChangesNothing() {
        assertThat(decide(
                        SendingLimits.none(),
                        SendingWindows.always(),
                        SendingUsage.of(NOW.minusSeconds(1)),
                        NOW,
                        Duration.ofMinutes(10)))
                .isEqualTo(SendingDecision.sendNow());
    }

    @Test
    void theLatestOfSeveralLimitsWinsAndTheFirstToDeferIsTheReason() {
        // hourly: the send 50 min ago frees a place in 10 min; the gap of 20 min after the last send ends in 5 min
        SendingDecision decision = decide(
                SendingLimits.none().withPerHour(2).withMinimumGap(Duration.ofMinutes(20)),
                SendingWindows.always(),
                usage("-50 -15"),
                NOW,
                Duration.ZERO);

        assertThat(decision).isEqualTo(expected(10, SendingDecision.HOURLY_LIMIT));
    }

    @Test
    void aGapLongerThanTheHourlyLimitPushesPastIt() {
        SendingDecision decision = decide(
                SendingLimits.none().withPerHour(2).withMinimumGap(Duration.ofMinutes(30)),
                SendingWindows.always(),
                usage("-55 -20"),
                NOW,
                Duration.ZERO);

        assertThat(decision).isEqualTo(expected(10, SendingDecision.HOURLY_LIMIT));
    }

    @Test
    void aDailyLimitFreeingUpAfterTheWindowClosesDefersToTheNextOpening() {
        // Monday 16:00 UTC; the place frees at 18:00, after the window closes at 17:00: Tuesday 09:00
        Instant now = Instant.parse("2026-06-01T16:00:00Z");
        SendingUsage usage =
                SendingUsage.of(Instant.parse("2026-05-31T18:00:00Z"), Instant.parse("2026-06-01T10:00:00Z"));

        assertThat(decide(SendingLimits.none().withPerDay(2), OFFICE_HOURS_UTC, usage, now, Duration.ZERO))
                .isEqualTo(
                        new SendingDecision.Defer(Instant.parse("2026-06-02T09:00:00Z"), SendingDecision.DAILY_LIMIT));
    }

    @Test
    void aWindowOpeningWhileTheHourlyLimitStillHoldsDefersPastBoth() {
        // Monday 07:00 UTC; the window opens at 09:00 but a send by hand at 08:30 holds the hour until 09:30
        Instant now = Instant.parse("2026-06-01T07:00:00Z");
        SendingUsage usage = SendingUsage.of(Instant.parse("2026-06-01T08:30:00Z"));

        assertThat(decide(SendingLimits.none().withPerHour(1), OFFICE_HOURS_UTC, usage, now, Duration.ZERO))
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-06-01T09:30:00Z"), SendingDecision.OUTSIDE_WINDOW));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "2026-06-01T10:00:00Z, ", // Monday, inside the morning range
        "2026-06-01T08:59:59Z, 2026-06-01T09:00:00Z",
        "2026-06-01T12:00:00Z, 2026-06-01T13:00:00Z", // a range's end is excluded: the lunch break
        "2026-06-01T12:30:00Z, 2026-06-01T13:00:00Z",
        "2026-06-01T16:59:59Z, ",
        "2026-06-01T17:00:00Z, 2026-06-02T09:00:00Z",
        "2026-06-05T17:30:00Z, 2026-06-08T09:00:00Z", // Friday evening: Monday
        "2026-06-06T10:00:00Z, 2026-06-08T09:00:00Z", // Saturday
    })
    void severalRangesADayOpenAndCloseTheWindow(Instant now, Instant expectedUntil) {
        assertThat(decide(SendingLimits.none(), OFFICE_HOURS_UTC, SendingUsage.none(), now, Duration.ZERO))
                .isEqualTo(
                        expectedUntil == null
                                ? SendingDecision.sendNow()
                                : new SendingDecision.Defer(expectedUntil, SendingDecision.OUTSIDE_WINDOW));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "2026-06-05T23:00:00Z, ", // Friday night
        "2026-06-06T01:59:59Z, ", // Saturday early morning still belongs to Friday's range
        "2026-06-06T02:00:00Z, 2026-06-12T22:00:00Z",
        "2026-06-05T21:00:00Z, 2026-06-05T22:00:00Z",
        "2026-06-04T23:00:00Z, 2026-06-05T22:00:00Z", // Thursday night: Thursday has no range
    })
    void aRangeCrossingMidnightBelongsToTheDayItStarts(Instant now, Instant expectedUntil) {
        SendingWindows fridayNights =
                SendingWindows.on(ZoneOffset.UTC, EnumSet.of(DayOfWeek.FRIDAY), TimeRange.of("22:00", "02:00"));

        assertThat(decide(SendingLimits.none(), fridayNights, SendingUsage.none(), now, Duration.ZERO))
                .isEqualTo(
                        expectedUntil == null
                                ? SendingDecision.sendNow()
                                : new SendingDecision.Defer(expectedUntil, SendingDecision.OUTSIDE_WINDOW));
    }

    @Test
    void theNextOpenDayCanBeAWeekAway() {
        SendingWindows mondayMornings =
                SendingWindows.on(BERLIN, EnumSet.of(DayOfWeek.MONDAY), TimeRange.of("09:00", "10:00"));

        // Monday 2026-06-01 10:00 CEST, just closed: the next Monday, 09:00 CEST
        assertThat(decide(
                        SendingLimits.none(),
                        mondayMornings,
                        SendingUsage.none(),
                        Instant.parse("2026-06-01T08:00:00Z"),
                        Duration.ZERO))
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-06-08T07:00:00Z"), SendingDecision.OUTSIDE_WINDOW));
    }

    @Test
    void aHolidayInTheRecipientsZoneDefersToItsNextDayThere() {
        // 2026-12-24 12:00 UTC is still Christmas Eve in Berlin but already Christmas Day in Auckland (UTC+13)
        Instant now = Instant.parse("2026-12-24T12:00:00Z");
        SendingDecision decision = SendingPolicy.decide(
                SendingLimits.none(),
                SendingWindows.always(BERLIN),
                Holidays.of(LocalDate.of(2026, 12, 25)),
                SendingUsage.none(),
                AUCKLAND,
                now,
                Duration.ZERO);

        assertThat(decision)
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-12-25T11:00:00Z"), SendingDecision.HOLIDAY)); // 26 Dec 00:00 NZDT
    }

    @Test
    void withoutARecipientZoneTheHolidayIsJudgedInTheWindowsZone() {
        Instant now = Instant.parse("2026-12-24T12:00:00Z");
        SendingDecision decision = SendingPolicy.decide(
                SendingLimits.none(),
                SendingWindows.always(BERLIN),
                Holidays.of(LocalDate.of(2026, 12, 25)),
                SendingUsage.none(),
                now,
                Duration.ZERO);

        assertThat(decision).isEqualTo(SendingDecision.sendNow());
    }

    @Test
    void consecutiveHolidaysAreSkippedTogether() {
        SendingDecision decision = SendingPolicy.decide(
                SendingLimits.none(),
                SendingWindows.always(BERLIN),
                Holidays.of(LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 26)),
                SendingUsage.none(),
                Instant.parse("2026-12-25T09:00:00Z"),
                Duration.ZERO);

        assertThat(decision)
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-12-26T23:00:00Z"), SendingDecision.HOLIDAY)); // 27 Dec 00:00 CET
    }

    @Test
    void aHolidayThenTheWindowDeferToTheNextDaysOpening() {
        // Monday 2026-06-01 is a holiday in Berlin: Tuesday 09:00 CEST
        SendingDecision decision = SendingPolicy.decide(
                SendingLimits.none(),
                SendingWindows.on(BERLIN, WEEKDAYS, TimeRange.of("09:00", "17:00")),
                Holidays.of(LocalDate.of(2026, 6, 1)),
                SendingUsage.none(),
                Instant.parse("2026-06-01T08:00:00Z"),
                Duration.ZERO);

        assertThat(decision)
                .isEqualTo(new SendingDecision.Defer(Instant.parse("2026-06-02T07:00:00Z"), SendingDecision.HOLIDAY));
    }

    @Test
    void theRecipientsZoneReadsTheWindows() {
        // 16:00 UTC: 18:00 in Berlin (closed), 12:00 in New York (open)
        SendingWindows officeHoursBerlin = SendingWindows.on(BERLIN, WEEKDAYS, TimeRange.of("09:00", "17:00"));
        Instant now = Instant.parse("2026-06-01T16:00:00Z");

        assertThat(SendingPolicy.decide(
                        SendingLimits.none(),
                        officeHoursBerlin,
                        Holidays.none(),
                        SendingUsage.none(),
                        NEW_YORK,
                        now,
                        Duration.ZERO))
                .isEqualTo(SendingDecision.sendNow());
        assertThat(decide(SendingLimits.none(), officeHoursBerlin, SendingUsage.none(), now, Duration.ZERO))
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-06-02T07:00:00Z"), SendingDecision.OUTSIDE_WINDOW));
    }

    static Stream<Arguments> sendsByHand() {
        return Stream.of(
                Arguments.of(SendingLimits.none(), usage("-1 -2 -3"), Optional.empty()),
                Arguments.of(
                        SendingLimits.none().withPerHour(2),
                        usage("-50 -10"),
                        Optional.of(new LimitReached(SendingDecision.HOURLY_LIMIT, NOW.plusSeconds(600)))),
                Arguments.of(
                        SendingLimits.none().withPerDay(1).withMinimumGap(Duration.ofMinutes(10)),
                        usage("-5"),
                        Optional.of(new LimitReached(
                                SendingDecision.DAILY_LIMIT,
                                NOW.plus(Duration.ofHours(23).plusMinutes(55))))),
                Arguments.of(
                        SendingLimits.none().withMinimumGap(Duration.ofMinutes(10)),
                        usage("-4"),
                        Optional.of(new LimitReached(SendingDecision.MINIMUM_GAP, NOW.plusSeconds(360)))),
                Arguments.of(SendingLimits.none().withPerDay(5).withPerHour(5), usage("-4"), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("sendsByHand")
    void aSendByHandIsCheckedAgainstTheLimitsOnly(
            SendingLimits limits, SendingUsage usage, Optional<LimitReached> expected) {
        assertThat(SendingPolicy.limitReached(limits, usage, NOW)).isEqualTo(expected);
    }

    private static SendingDecision decide(
            SendingLimits limits, SendingWindows windows, SendingUsage usage, Instant now, Duration jitter) {
        return SendingPolicy.decide(limits, windows, Holidays.none(), usage, now, jitter);
    }

    /** Sends the given minutes (negative: in the past) from {@link #NOW}, separated by spaces. */
    private static SendingUsage usage(String minutesFromNow) {
        List<Instant> sends = Stream.of(minutesFromNow.trim().split(" +"))
                .map(m -> NOW.plus(Duration.ofMinutes(Long.parseLong(m))))
                .toList();
        return SendingUsage.of(sends);
    }

    private static SendingDecision expected(long minutesFromNow, String reason) {
        return minutesFromNow == 0
                ? SendingDecision.sendNow()
                : new SendingDecision.Defer(NOW.plus(Duration.ofMinutes(minutesFromNow)), reason);
    }
}
