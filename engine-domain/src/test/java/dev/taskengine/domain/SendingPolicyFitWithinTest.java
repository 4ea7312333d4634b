package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The counts alone tell that further sends stay within the limits, or say that the sends must be read. */
class SendingPolicyFitWithinTest {
    private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
    private static final SendingLimits FIFTY_A_DAY_TEN_AN_HOUR =
            SendingLimits.none().withPerDay(50).withPerHour(10);

    private static SendingCounts counts(long day, long hour) {
        return new SendingCounts(day, hour, Optional.empty());
    }

    @Test
    void sendsThatLeaveRoomUnderEveryLimitFit() {
        assertThat(SendingPolicy.fitWithin(FIFTY_A_DAY_TEN_AN_HOUR, counts(40, 5), 5, AT))
                .isTrue();
    }

    @Test
    void sendsThatFillTheDailyLimitExactlyFit() {
        assertThat(SendingPolicy.fitWithin(FIFTY_A_DAY_TEN_AN_HOUR, counts(45, 0), 5, AT))
                .isTrue();
    }

    @Test
    void oneSendOverTheDailyLimitDoesNotFit() {
        assertThat(SendingPolicy.fitWithin(FIFTY_A_DAY_TEN_AN_HOUR, counts(46, 0), 5, AT))
                .isFalse();
    }

    @Test
    void oneSendOverTheHourlyLimitDoesNotFit() {
        assertThat(SendingPolicy.fitWithin(FIFTY_A_DAY_TEN_AN_HOUR, counts(20, 10), 1, AT))
                .isFalse();
    }

    @Test
    void aSendWithinTheGapOfTheLatestDoesNotFit() {
        SendingLimits gap = SendingLimits.none().withMinimumGap(Duration.ofSeconds(30));
        SendingCounts latest = new SendingCounts(1, 1, Optional.of(AT.minusSeconds(29)));
        assertThat(SendingPolicy.fitWithin(gap, latest, 1, AT)).isFalse();
    }

    @Test
    void aSendAGapAfterTheLatestFits() {
        SendingLimits gap = SendingLimits.none().withMinimumGap(Duration.ofSeconds(30));
        SendingCounts latest = new SendingCounts(1, 1, Optional.of(AT.minusSeconds(30)));
        assertThat(SendingPolicy.fitWithin(gap, latest, 1, AT)).isTrue();
    }

    @Test
    void twoSendsAtOneInstantNeverFitAGap() {
        SendingLimits gap = SendingLimits.none().withMinimumGap(Duration.ofSeconds(30));
        assertThat(SendingPolicy.fitWithin(gap, counts(0, 0), 2, AT)).isFalse();
    }

    @Test
    void noLimitFitsAnything() {
        assertThat(SendingPolicy.fitWithin(SendingLimits.none(), counts(1_000_000, 1_000_000), 1_000, AT))
                .isTrue();
    }

    @Test
    void whatFitsIsNeverALimitReached() {
        // The counts check agrees with the exact one wherever it answers true.
        SendingLimits limits = SendingLimits.none().withPerDay(5).withPerHour(3);
        SendingUsage usage = SendingUsage.of(AT.minus(Duration.ofHours(5)), AT.minus(Duration.ofMinutes(30)));
        assertThat(SendingPolicy.fitWithin(limits, new SendingCounts(2, 1, Optional.empty()), 1, AT))
                .isTrue();
        assertThat(SendingPolicy.limitReached(limits, usage, AT)).isEmpty();
    }
}
