package dev.taskengine.bench.production;

import java.util.concurrent.ThreadLocalRandom;

/** The ids of the last {@code size} tasks created, for reads of tasks that exist; thread-safe. */
final class RecentIds {
    private final long[] ids;
    private long offered;

    RecentIds(int size) {
        ids = new long[size];
    }

    synchronized void offer(long id) {
        ids[(int) (offered++ % ids.length)] = id;
    }

    /** One of them at random. */
    synchronized long any() {
        if (offered == 0) {
            throw new IllegalStateException("no task created yet");
        }
        return ids[ThreadLocalRandom.current().nextInt((int) Math.min(offered, ids.length))];
    }
}
