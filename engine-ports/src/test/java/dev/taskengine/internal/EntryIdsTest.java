package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EntryIdsTest {
    private static final Instant AT = Instant.parse("2026-03-02T09:30:00.123456Z");

    @Test
    void anIdIsAVersion7UuidOfTheEntrysTime() {
        UUID id = EntryIds.at(AT);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(AT.toEpochMilli());
    }

    @Test
    void idsOfLaterEntriesSortAfterThoseOfEarlierOnes() {
        assertThat(EntryIds.at(AT.plusMillis(1)).toString())
                .isGreaterThan(EntryIds.at(AT).toString());
    }

    @Test
    void idsOfOneInstantDiffer() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EntryIds.at(AT));
        }
        assertThat(ids).hasSize(100_000);
    }
}
