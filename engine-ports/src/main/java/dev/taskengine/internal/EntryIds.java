package dev.taskengine.internal;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of history entries (and of the events made from them): version 7 UUIDs (RFC 9562), the entry's time in
 * milliseconds, then 74 random bits. Unique as random UUIDs are, but drawn without the cost of a secure random (an id is
 * no secret: a subscriber only deduplicates by it), and in time order, so that a database index of them grows at its
 * end.
 */
final class EntryIds {
    private EntryIds() {}

    static UUID at(Instant at) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = at.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
