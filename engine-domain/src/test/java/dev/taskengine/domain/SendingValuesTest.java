package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.domain.SendingWindows.TimeRange;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value types of the sending policy: how they are built and what host configuration they refuse. */
class SendingValuesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void noLimitsHasEveryLimitEmpty() {
        assertThat(SendingLimits.none())
                .isEqualTo(new SendingLimits(
                        OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void withMethodsSetOneLimitEach() {
        SendingLimits limits =
                SendingLimits.none().withPerDay(100).withPerHour(10).withMinimumGap(Duration.ofMinutes(2));

        assertThat(limits.perDay()).hasValue(100);
        assertThat(limits.perHour()).hasValue(10);
        assertThat(limits.minimumGap()).contains(Duration.ofMinutes(2));
    }

    @Test
    void jitterLengthensAGap() {
        SendingLimits limits =
                SendingLimits.none().withMinimumGap(Duration.ofSeconds(30)).withJitter(Duration.ofSeconds(20));

        assertThat(limits.jitter()).contains(Duration.ofSeconds(20));
    }

    @Test
    void jitterWithoutAGapIsRefused() {
        assertThatThrownBy(() -> SendingLimits.none().withJitter(Duration.ofSeconds(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimumGap");
    }

    @Test
    void aNegativeJitterLimitIsRefused() {
        assertThatThrownBy(() -> SendingLimits.none()
                        .withMinimumGap(Duration.ofSeconds(30))
                        .withJitter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
    }

    @Test
    void noLimitIsNotLimited() {
        assertThat(SendingLimits.none().limited()).isFalse();
        assertThat(SendingLimits.none().withMinimumGap(Duration.ZERO).limited()).isTrue();
    }

    @Test
    void aDailyLimitLooksBackADayAndAtAsManySendsAsItAllows() {
        SendingLimits limits = SendingLimits.none().withPerDay(50).withPerHour(10);

        assertThat(limits.lookBack()).isEqualTo(Duration.ofHours(24));
        assertThat(limits.sendsCounted()).isEqualTo(50);
    }

    @Test
    void anHourlyLimitAloneLooksBackAnHour() {
        assertThat(SendingLimits.none().withPerHour(10).lookBack()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aGapAloneLooksBackTheGapAtTheLastSend() {
        SendingLimits limits = SendingLimits.none().withMinimumGap(Duration.ofSeconds(30));

        assertThat(limits.lookBack()).isEqualTo(Duration.ofSeconds(30));
        assertThat(limits.sendsCounted()).isEqualTo(1);
    }

    @Test
    void aGapLongerThanADayLooksBackTheGap() {
        SendingLimits limits = SendingLimits.none().withPerDay(5).withMinimumGap(Duration.ofHours(30));

        assertThat(limits.lookBack()).isEqualTo(Duration.ofHours(30));
    }

    @Test
    void sendingAccountsAreKeyedByChannel() {
        assertThat(SendingAccount.email(EmailAccountId.of(12)).value()).isEqualTo("email:12");
        assertThat(SendingAccount.sms("+15550100").value()).isEqualTo("sms:+15550100");
    }

    @Test
    void aSendingAccountKeyOfNoKnownChannelIsRefused() {
        assertThatThrownBy(() -> new SendingAccount("fax:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendingAccount.sms(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aDailyLimitBelowOneIsRefused(int n) {
        refused(() -> SendingLimits.none().withPerDay(n), "perDay must be at least 1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void anHourlyLimitBelowOneIsRefused(int n) {
        refused(() -> SendingLimits.none().withPerHour(n), "perHour must be at least 1");
    }

    @Test
    void aNegativeMinimumGapIsRefused() {
        refused(() -> SendingLimits.none().withMinimumGap(Duration.ofSeconds(-1)), "minimumGap must not be negative");
    }

    @Test
    void anEmptyTimeRangeIsRefused() {
        refused(() -> TimeRange.of("09:00", "09:00"), "empty sending time range 09:00–09:00");
    }

    @Test
    void midnightToMidnightIsTheWholeDay() {
        assertThat(TimeRange.of("00:00", "00:00")).isEqualTo(TimeRange.ALL_DAY);
        assertThat(TimeRange.ALL_DAY.endsNextDay()).isTrue();
    }

    @Test
    void aRangeEndingBeforeItStartsCrossesMidnight() {
        assertThat(TimeRange.of("22:00", "02:00").endsNextDay()).isTrue();
        assertThat(TimeRange.of("09:00", "17:00").endsNextDay()).isFalse();
    }

    @Test
    void aDayListedWithoutRangesIsRefused() {
        refused(
                () -> new SendingWindows(BERLIN, Map.of(DayOfWeek.MONDAY, List.of())),
                "MONDAY is listed without a time range");
    }

    @Test
    void windowsWithNoDayAreRefused() {
        refused(() -> new SendingWindows(BERLIN, Map.of()), "at least one day");
    }

    @Test
    void windowsAreImmutableCopies() {
        SendingWindows windows =
                SendingWindows.on(BERLIN, EnumSet.of(DayOfWeek.MONDAY), TimeRange.of("09:00", "17:00"));

        assertThatThrownBy(() -> windows.days().put(DayOfWeek.TUESDAY, List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(windows.rangesOn(DayOfWeek.MONDAY))
                .containsExactly(new TimeRange(LocalTime.of(9, 0), LocalTime.of(17, 0)));
        assertThat(windows.rangesOn(DayOfWeek.TUESDAY)).isEmpty();
    }

    @Test
    void usageKeepsItsSendsOldestFirst() {
        Instant a = Instant.parse("2026-06-01T10:00:00Z");
        Instant b = Instant.parse("2026-06-01T11:00:00Z");

        assertThat(SendingUsage.of(b, a).sends()).containsExactly(a, b);
    }

    @Test
    void holidaysAnswerWhetherADateIsOne() {
        Holidays holidays = Holidays.of(LocalDate.of(2026, 12, 25));

        assertThat(holidays.contains(LocalDate.of(2026, 12, 25))).isTrue();
        assertThat(holidays.contains(LocalDate.of(2026, 12, 24))).isFalse();
    }

    @Test
    void aNegativeJitterIsRefused() {
        refused(
                () -> SendingPolicy.decide(
                        SendingLimits.none(),
                        SendingWindows.always(),
                        Holidays.none(),
                        SendingUsage.none(),
                        Instant.parse("2026-06-01T10:00:00Z"),
                        Duration.ofMillis(-1)),
                "jitter must not be negative");
    }

    @Test
    void aDeferralNeedsAReason() {
        refused(() -> new SendingDecision.Defer(Instant.EPOCH, " "), "needs a reason");
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
