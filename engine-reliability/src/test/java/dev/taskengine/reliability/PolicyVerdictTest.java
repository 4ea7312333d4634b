package dev.taskengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker of the sending-policy proof finds each kind of violation in a sender's record. */
class PolicyVerdictTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Tuesday 2026-03-03 10:00 in Berlin: a sending day, inside the window. */
    private static final Instant TUESDAY_10_BERLIN = Instant.parse("2026-03-03T09:00:00Z");

    private static PolicySend send(long task, long account, Instant at) {
        return new PolicySend("k-" + task, task, account, task, BERLIN, at);
    }

    @Test
    void aRecordWithinThePolicyHasNoViolations() {
        PolicyVerdict verdict = PolicyVerdict.of(
                List.of(send(1, 1, TUESDAY_10_BERLIN), send(2, 1, TUESDAY_10_BERLIN.plusSeconds(30))), Set.of(1L, 2L));

        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.sentOnce()).isEqualTo(2);
        assertThat(verdict.shortestGap()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void twoDeliveriesOfOneAccountCloserThanTheGapAreAViolation() {
        PolicyVerdict verdict = PolicyVerdict.of(
                List.of(send(1, 1, TUESDAY_10_BERLIN), send(2, 1, TUESDAY_10_BERLIN.plusSeconds(29))), Set.of(1L, 2L));

        assertThat(verdict.violations()).hasSize(1);
        assertThat(verdict.shortestGap()).isEqualTo(Duration.ofSeconds(29));
    }

    @Test
    void elevenDeliveriesWithinAnHourAreAViolationTenAreNot() {
        List<PolicySend> sends = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            sends.add(send(i, 1, TUESDAY_10_BERLIN.plus(Duration.ofMinutes(6).multipliedBy(i))));
        }
        // The 11th is 60 minutes after the first: a rolling hour is [t, t + 1 h), so they are ten per hour.
        assertThat(PolicyVerdict.of(sends, Set.of()).mostPerHour()).isEqualTo(10);

        sends.set(10, send(10, 1, TUESDAY_10_BERLIN.plus(Duration.ofMinutes(59))));
        PolicyVerdict verdict = PolicyVerdict.of(sends, Set.of());

        assertThat(verdict.mostPerHour()).isEqualTo(11);
        assertThat(verdict.violations()).anyMatch(v -> v.contains("within an hour"));
    }

    @Test
    void fiftyOneDeliveriesWithin24HoursAreAViolation() {
        List<PolicySend> sends = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            sends.add(send(i, 1, TUESDAY_10_BERLIN.plus(Duration.ofMinutes(7).multipliedBy(i % 60))));
        }
        PolicyVerdict verdict = PolicyVerdict.of(sends, Set.of());

        assertThat(verdict.mostPerDay()).isEqualTo(51);
        assertThat(verdict.violations()).anyMatch(v -> v.contains("within 24 hours"));
    }

    @Test
    void aDeliveryOutsideTheWindowInTheRecipientsZoneIsAViolation() {
        // 16:30 UTC is 17:30 in Berlin: closed there, though open in London.
        PolicyVerdict verdict =
                PolicyVerdict.of(List.of(send(1, 1, Instant.parse("2026-03-03T16:30:00Z"))), Set.of(1L));

        assertThat(verdict.outsideWindows()).isEqualTo(1);
    }

    @Test
    void aDeliveryOnAWeekendIsOutsideTheWindows() {
        PolicyVerdict verdict =
                PolicyVerdict.of(List.of(send(1, 1, Instant.parse("2026-03-07T10:00:00Z"))), Set.of(1L));

        assertThat(verdict.outsideWindows()).isEqualTo(1);
    }

    @Test
    void aDeliveryOnAHolidayInTheRecipientsZoneIsAViolation() {
        PolicyVerdict verdict =
                PolicyVerdict.of(List.of(send(1, 1, Instant.parse("2026-03-04T10:00:00Z"))), Set.of(1L));

        assertThat(verdict.onHolidays()).isEqualTo(1);
        assertThat(verdict.outsideWindows()).isZero();
    }

    @Test
    void aTaskDeliveredUnderTwoKeysIsSentTwiceAndOneNeverDeliveredIsLost() {
        PolicySend first = send(1, 1, TUESDAY_10_BERLIN);
        PolicySend again = new PolicySend("k-other", 1, 2, 1, BERLIN, TUESDAY_10_BERLIN.plusSeconds(60));
        PolicyVerdict verdict = PolicyVerdict.of(List.of(first, again, first), Set.of(1L, 2L));

        assertThat(verdict.sentOnce()).isZero();
        assertThat(verdict.sentMoreThanOnce()).isEqualTo(1);
        assertThat(verdict.keysDeliveredTwice()).isEqualTo(1);
        assertThat(verdict.lost()).isEqualTo(1);
    }
}
