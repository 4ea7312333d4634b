package dev.taskengine.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of idempotency keys that never forgets one and holds each in 16 bytes: the first 128 bits of its SHA-256 (the
 * lowest bit set, so that no digest is the empty slot's zero), in one open-addressing table of {@code long} pairs kept
 * between a quarter and three quarters full. A {@code HashSet<String>} of the same keys takes about 88 bytes a key;
 * this takes 21 to 43. Two keys share a digest with a probability of about n² / 2¹²⁸ (10⁻²¹ at a billion keys), and
 * only then would a message be acknowledged without being written. Not thread-safe: its owner locks.
 */
final class KeyDigests {
    private static final int FIRST_CAPACITY = 1024;

    private final MessageDigest sha256;
    private long[] slots = new long[2 * FIRST_CAPACITY];
    private int size;

    KeyDigests() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether the key was added before. */
    boolean contains(String key) {
        ByteBuffer digest = digest(key);
        return slotOf(slots, digest.getLong(0), digest.getLong(8)) < 0;
    }

    /** Adds the key; false when it was added before. */
    boolean add(String key) {
        ByteBuffer digest = digest(key);
        long high = digest.getLong(0);
        long low = digest.getLong(8);
        int slot = slotOf(slots, high, low);
        if (slot < 0) {
            return false;
        }
        slots[2 * slot] = high;
        slots[2 * slot + 1] = low;
        size++;
        if (4L * size > 3L * capacity()) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    private int capacity() {
        return slots.length / 2;
    }

    private ByteBuffer digest(String key) {
        byte[] bytes = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
        bytes[15] |= 1;
        return ByteBuffer.wrap(bytes);
    }

    /** The free slot for the digest, or a negative number when the table holds it already. */
    private static int slotOf(long[] table, long high, long low) {
        int mask = table.length / 2 - 1;
        for (int slot = (int) high & mask; ; slot = (slot + 1) & mask) {
            long slotHigh = table[2 * slot];
            long slotLow = table[2 * slot + 1];
            if (slotHigh == 0 && slotLow == 0) {
                return slot;
            }
            if (slotHigh == high && slotLow == low) {
                return -1;
            }
        }
    }

    private void grow() {
        long[] larger = new long[2 * slots.length];
        for (int slot = 0; slot < capacity(); slot++) {
            long high = slots[2 * slot];
            long low = slots[2 * slot + 1];
            if (high != 0 || low != 0) {
                int free = slotOf(larger, high, low);
                larger[2 * free] = high;
                larger[2 * free + 1] = low;
            }
        }
        slots = larger;
    }
}
