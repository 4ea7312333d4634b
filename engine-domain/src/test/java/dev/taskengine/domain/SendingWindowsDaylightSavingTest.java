package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.SendingWindows.TimeRange;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Windows are local times: across the daylight-saving weeks of 2026 in New York (2026-03-08, 2026-11-01) and Berlin
 * (2026-03-29, 2026-10-25) a window stays put on the wall clock, a boundary that does not exist is the first instant
 * after the gap, and a boundary that occurs twice is its earlier occurrence.
 */
class SendingWindowsDaylightSavingTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @ParameterizedTest(name = "{0} at {1} → {2}")
    @CsvSource({
        // New York, spring forward on Sunday 2026-03-08: 09:00 EST is 14:00Z, 09:00 EDT is 13:00Z
        "America/New_York, 2026-03-07T04:00:00Z, 2026-03-07T14:00:00Z",
        "America/New_York, 2026-03-07T23:00:00Z, 2026-03-08T13:00:00Z",
        "America/New_York, 2026-03-08T21:30:00Z, 2026-03-09T13:00:00Z",
        // New York, fall back on Sunday 2026-11-01: 09:00 EDT is 13:00Z, 09:00 EST is 14:00Z
        "America/New_York, 2026-10-31T21:30:00Z, 2026-11-01T14:00:00Z",
        "America/New_York, 2026-11-01T22:30:00Z, 2026-11-02T14:00:00Z",
        // Berlin, spring forward on Sunday 2026-03-29: 09:00 CET is 08:00Z, 09:00 CEST is 07:00Z
        "Europe/Berlin, 2026-03-28T16:30:00Z, 2026-03-29T07:00:00Z",
        "Europe/Berlin, 2026-03-29T15:30:00Z, 2026-03-30T07:00:00Z",
        // Berlin, fall back on Sunday 2026-10-25: 09:00 CEST is 07:00Z, 09:00 CET is 08:00Z
        "Europe/Berlin, 2026-10-24T15:30:00Z, 2026-10-25T08:00:00Z",
        "Europe/Berlin, 2026-10-25T16:30:00Z, 2026-10-26T08:00:00Z",
    })
    void aNineToFiveWindowStaysNineToFiveLocalAcrossTheChange(ZoneId zone, Instant now, Instant opensAt) {
        SendingWindows nineToFive =
                SendingWindows.on(zone, EnumSet.allOf(DayOfWeek.class), TimeRange.of("09:00", "17:00"));

        assertThat(decide(nineToFive, now))
                .isEqualTo(new SendingDecision.Defer(opensAt, SendingDecision.OUTSIDE_WINDOW));
        assertThat(opensAt.atZone(zone).toLocalTime()).hasToString("09:00");
    }

    @ParameterizedTest(name = "{0} at {1} closes at 17:00 local")
    @CsvSource({
        "America/New_York, 2026-03-08T20:59:59Z, 2026-03-08T21:00:00Z", // 17:00 EDT
        "America/New_York, 2026-11-01T21:59:59Z, 2026-11-01T22:00:00Z", // 17:00 EST
        "Europe/Berlin, 2026-03-29T14:59:59Z, 2026-03-29T15:00:00Z", // 17:00 CEST
        "Europe/Berlin, 2026-10-25T15:59:59Z, 2026-10-25T16:00:00Z", // 17:00 CET
    })
    void theWindowClosesAtFiveLocalOnTheDayOfTheChange(ZoneId zone, Instant lastOpen, Instant closed) {
        SendingWindows nineToFive =
                SendingWindows.on(zone, EnumSet.allOf(DayOfWeek.class), TimeRange.of("09:00", "17:00"));

        assertThat(decide(nineToFive, lastOpen)).isEqualTo(SendingDecision.sendNow());
        assertThat(decide(nineToFive, closed)).isInstanceOf(SendingDecision.Defer.class);
    }

    @ParameterizedTest(name = "{0}: 02:30 on a spring-forward day opens at {2}")
    @CsvSource({
        "America/New_York, 2026-03-08T06:00:00Z, 2026-03-08T07:00:00Z", // 01:00 EST → 03:00 EDT
        "Europe/Berlin, 2026-03-29T00:30:00Z, 2026-03-29T01:00:00Z", // 01:30 CET → 03:00 CEST
    })
    void aWindowOpeningAtANonexistentLocalTimeOpensAtTheFirstInstantAfterTheGap(
            ZoneId zone, Instant now, Instant opensAt) {
        SendingWindows sundayNight =
                SendingWindows.on(zone, EnumSet.of(DayOfWeek.SUNDAY), TimeRange.of("02:30", "04:00"));

        assertThat(decide(sundayNight, now))
                .isEqualTo(new SendingDecision.Defer(opensAt, SendingDecision.OUTSIDE_WINDOW));
        assertThat(opensAt.atZone(zone).toLocalTime()).hasToString("03:00");
    }

    @Test
    void theOpeningAfterAGapIsNotZonedDateTimeOfsShiftedTime() {
        // ZonedDateTime.of moves 02:30 forward by the gap's length, to 03:30 EDT; the window is already open at 03:15
        LocalDateTime nonexistent = LocalDateTime.parse("2026-03-08T02:30");
        assertThat(ZonedDateTime.of(nonexistent, NEW_YORK).toInstant()).isEqualTo("2026-03-08T07:30:00Z");
        SendingWindows sundayNight =
                SendingWindows.on(NEW_YORK, EnumSet.of(DayOfWeek.SUNDAY), TimeRange.of("02:30", "04:00"));

        assertThat(decide(sundayNight, Instant.parse("2026-03-08T07:15:00Z"))).isEqualTo(SendingDecision.sendNow());
    }

    @Test
    void aRangeWhollyInsideTheGapIsClosedThatDay() {
        SendingWindows sundayNight =
                SendingWindows.on(NEW_YORK, EnumSet.of(DayOfWeek.SUNDAY), TimeRange.of("02:10", "02:40"));

        // 01:00 EST on 2026-03-08: that day's range never happens; the next Sunday 02:10 EDT
        assertThat(decide(sundayNight, Instant.parse("2026-03-08T06:00:00Z")))
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-03-15T06:10:00Z"), SendingDecision.OUTSIDE_WINDOW));
    }

    @ParameterizedTest(name = "{0}: {1} on a fall-back day opens at {3}")
    @CsvSource({
        // 01:30 occurs at 05:30Z (EDT) and 06:30Z (EST): the earlier
        "America/New_York, 01:30, 2026-11-01T05:00:00Z, 2026-11-01T05:30:00Z",
        // 02:30 occurs at 00:30Z (CEST) and 01:30Z (CET): the earlier
        "Europe/Berlin, 02:30, 2026-10-25T00:00:00Z, 2026-10-25T00:30:00Z",
    })
    void aWindowOpeningAtARepeatedLocalTimeOpensAtTheEarlierOffset(
            ZoneId zone, String from, Instant now, Instant opensAt) {
        SendingWindows sundayNight = SendingWindows.on(zone, EnumSet.of(DayOfWeek.SUNDAY), TimeRange.of(from, "04:00"));

        assertThat(decide(sundayNight, now))
                .isEqualTo(new SendingDecision.Defer(opensAt, SendingDecision.OUTSIDE_WINDOW));
    }

    @Test
    void aWindowClosingAtARepeatedLocalTimeClosesAtTheEarlierOffset() {
        SendingWindows sundayMidnight =
                SendingWindows.on(NEW_YORK, EnumSet.of(DayOfWeek.SUNDAY), TimeRange.of("00:00", "01:30"));

        // open until 01:30 EDT (05:30Z); at 01:00 EST (06:00Z) it is closed until the next Sunday 00:00 EST
        assertThat(decide(sundayMidnight, Instant.parse("2026-11-01T05:29:59Z")))
                .isEqualTo(SendingDecision.sendNow());
        assertThat(decide(sundayMidnight, Instant.parse("2026-11-01T06:00:00Z")))
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-11-08T05:00:00Z"), SendingDecision.OUTSIDE_WINDOW));
    }

    @Test
    void aRangeAcrossMidnightKeepsItsLocalTimesOverTheChange() {
        // Saturday 22:00–02:00 in Berlin, the night the clocks go back: 22:00 CEST (20:00Z) to 02:00 CEST (00:00Z)
        SendingWindows saturdayNight =
                SendingWindows.on(BERLIN, EnumSet.of(DayOfWeek.SATURDAY), TimeRange.of("22:00", "02:00"));

        assertThat(decide(saturdayNight, Instant.parse("2026-10-24T23:59:59Z"))).isEqualTo(SendingDecision.sendNow());
        assertThat(decide(saturdayNight, Instant.parse("2026-10-25T00:00:00Z")))
                .isEqualTo(new SendingDecision.Defer(
                        Instant.parse("2026-10-31T21:00:00Z"), SendingDecision.OUTSIDE_WINDOW)); // 22:00 CET
    }

    private static SendingDecision decide(SendingWindows windows, Instant now) {
        return SendingPolicy.decide(
                SendingLimits.none(), windows, Holidays.none(), SendingUsage.none(), now, Duration.ZERO);
    }
}
