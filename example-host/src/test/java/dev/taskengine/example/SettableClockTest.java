package dev.taskengine.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SettableClockTest {

    @Test
    void aClockInAnotherZoneMovesWithTheOneItWasMadeFrom() {
        SettableClock clock = new SettableClock(Instant.parse("2026-03-02T23:00:00Z"));
        Clock newYork = clock.withZone(ZoneId.of("America/New_York"));

        clock.set(Instant.parse("2026-03-03T14:00:00Z"));

        assertThat(newYork.instant()).isEqualTo(Instant.parse("2026-03-03T14:00:00Z"));
        assertThat(newYork.getZone()).isEqualTo(ZoneId.of("America/New_York"));
    }
}
