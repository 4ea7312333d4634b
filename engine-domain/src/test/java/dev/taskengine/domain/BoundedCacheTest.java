package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A cache bounded in entries and in total weight; keys compared with equals. Single-threaded here: no timing. */
class BoundedCacheTest {

    @Test
    void aValueIsComputedOnceAndThenServedFromTheCache() {
        BoundedCache<String, String> cache = new BoundedCache<>(10, 1_000, String::length);
        AtomicInteger computations = new AtomicInteger();

        cache.get("a", k -> k + computations.incrementAndGet());
        String second = cache.get("a", k -> k + computations.incrementAndGet());

        assertThat(second).isEqualTo("a1");
        assertThat(computations).hasValue(1);
    }

    @Test
    void keysWithTheSameHashCodeAreDistinctEntries() {
        BoundedCache<String, String> cache = new BoundedCache<>(10, 1_000, String::length);

        String aa = cache.get("Aa", k -> "value of Aa");
        String bb = cache.get("BB", k -> "value of BB");

        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(aa).isEqualTo("value of Aa");
        assertThat(bb).isEqualTo("value of BB");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void manyInsertsStayWithinTheEntryBound() {
        BoundedCache<String, String> cache = new BoundedCache<>(50, 1_000_000, String::length);

        for (int i = 0; i < 10_000; i++) {
            cache.get("key" + i, k -> k);
            assertThat(cache.size()).isLessThanOrEqualTo(50);
        }
    }

    @Test
    void manyInsertsStayWithinTheWeightBound() {
        BoundedCache<String, String> cache = new BoundedCache<>(1_000_000, 500, String::length);

        for (int i = 0; i < 10_000; i++) {
            cache.get("key-" + i + "-".repeat(i % 40), k -> k);
            assertThat(cache.weight()).isLessThanOrEqualTo(500);
        }
    }

    @Test
    void theWeightIsTheSumOfTheCachedKeysWeights() {
        BoundedCache<String, String> cache = new BoundedCache<>(100, 1_000_000, String::length);

        cache.get("abc", k -> k);
        cache.get("de", k -> k);
        cache.get("abc", k -> k);

        assertThat(cache.weight()).isEqualTo(5);
    }

    @Test
    void anEntryHeavierThanTheWholeBoundDoesNotStay() {
        BoundedCache<String, String> cache = new BoundedCache<>(100, 10, String::length);

        String value = cache.get("x".repeat(50), k -> "computed");

        assertThat(value).isEqualTo("computed");
        assertThat(cache.weight()).isLessThanOrEqualTo(10);
    }

    @Test
    void evictionMakesRoomBelowTheBound() {
        BoundedCache<Integer, Integer> cache = new BoundedCache<>(10, 1_000_000, k -> 1);

        for (int i = 0; i <= 10; i++) {
            cache.get(i, k -> k);
        }

        assertThat(cache.size()).isEqualTo(9);
        assertThat(cache.weight()).isEqualTo(9);
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new BoundedCache<String, String>(0, 10, String::length))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundedCache<String, String>(10, 0, String::length))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
