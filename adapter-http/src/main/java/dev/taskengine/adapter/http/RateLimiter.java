package dev.taskengine.adapter.http;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A sliding window per API key: a request is admitted when fewer than {@code perMinute} requests of the same key were
 * admitted in the 60 seconds before it, so no 60-second span ever holds more than {@code perMinute} admitted requests.
 * Refused requests do not count. Thread-safe; the clock is injected (nanoseconds, as {@link System#nanoTime()}).
 */
final class RateLimiter {
    static final long WINDOW_SECONDS = 60;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    /** How many acquisitions go by between two sweeps of the windows that emptied. */
    private static final int SWEEP_EVERY = 1024;

    private final ConcurrentHashMap<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
    private final AtomicInteger acquisitions = new AtomicInteger();

    /**
     * What the limiter decided for one request.
     *
     * @param allowed      whether the request may go on
     * @param limit        requests a key may make in any 60 s
     * @param remaining    requests the key may still make now (after this one, when allowed)
     * @param resetSeconds seconds until the oldest request of the window leaves it and frees a place (0 when the
     *                     window is empty); when refused, also how long to wait ({@code Retry-After}), at least 1
     */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {}

    RateLimiter(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    boolean enabled() {
        return perMinute > 0;
    }

    /** Admits or refuses one request of {@code key}; only for an {@link #enabled()} limiter. */
    Decision acquire(String key) {
        if (!enabled()) {
            throw new IllegalStateException("the rate limit is off");
        }
        if (acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(nanoTime.getAsLong());
        }
        while (true) {
            ArrayDeque<Long> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (window) {
                if (windows.get(key) != window) {
                    continue; // swept away between the look-up and the lock: take the key's window anew
                }
                return decide(window);
            }
        }
    }

    /** Decides for one request of the key whose window this is; called holding the window's lock. */
    private Decision decide(ArrayDeque<Long> window) {
        long now = nanoTime.getAsLong();
        while (!window.isEmpty() && now - window.peekFirst() >= WINDOW_NANOS) {
            window.pollFirst();
        }
        boolean allowed = window.size() < perMinute;
        if (allowed) {
            window.addLast(now);
        }
        long reset = window.isEmpty() ? 0 : ceilSeconds(window.peekFirst() + WINDOW_NANOS - now);
        return new Decision(allowed, perMinute, perMinute - window.size(), allowed ? reset : Math.max(1, reset));
    }

    /**
     * Forgets the keys with no request in the last 60 seconds, so that keys seen once (a host's own short-lived
     * tokens, say) do not pile up. A window is removed under its own lock, and only while it is still empty.
     */
    private void sweep(long now) {
        windows.forEach((key, window) -> {
            synchronized (window) {
                if (window.isEmpty() || now - window.peekLast() >= WINDOW_NANOS) {
                    windows.remove(key, window);
                }
            }
        });
    }

    /** How many keys the limiter keeps a window for (for tests). */
    int keysKept() {
        return windows.size();
    }

    private static long ceilSeconds(long nanos) {
        return Math.max(0, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
