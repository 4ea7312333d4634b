package dev.taskengine.domain;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A concurrent cache bounded both in entries and in total weight (for templates: characters of source), keyed by the
 * full key with {@code equals}, never by hash code alone. Reads take no lock. When a bound is passed, one thread evicts
 * arbitrary entries down to 90% of the bounds; the others carry on.
 */
final class BoundedCache<K, V> {
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
    private final AtomicLong weight = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();
    private final int maxEntries;
    private final long maxWeight;
    private final ToLongFunction<K> weigher;

    BoundedCache(int maxEntries, long maxWeight, ToLongFunction<K> weigher) {
        if (maxEntries < 1 || maxWeight < 1) {
            throw new IllegalArgumentException("cache bounds must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    V get(K key, Function<K, V> compute) {
        V cached = entries.get(key);
        if (cached != null) {
            return cached;
        }
        V computed = compute.apply(key);
        V raced = entries.putIfAbsent(key, computed);
        if (raced != null) {
            return raced;
        }
        weight.addAndGet(weigher.applyAsLong(key));
        if (entries.size() > maxEntries || weight.get() > maxWeight) {
            evict();
        }
        return computed;
    }

    int size() {
        return entries.size();
    }

    long weight() {
        return weight.get();
    }

    private void evict() {
        if (!evicting.tryLock()) {
            return;
        }
        try {
            Iterator<Map.Entry<K, V>> it = entries.entrySet().iterator();
            while (it.hasNext() && (entries.size() > maxEntries * 9L / 10 || weight.get() > maxWeight * 9 / 10)) {
                K key = it.next().getKey();
                if (entries.remove(key) != null) {
                    weight.addAndGet(-weigher.applyAsLong(key));
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}
