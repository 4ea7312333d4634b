package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.spi.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** "N requests a minute per key": never more than N admitted in any 60 s, requests spread over the minute included. */
class RateLimitTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void requestsSpreadOverTheMinuteAreNeverMoreThanNInAny60Seconds() {
        AtomicLong now = new AtomicLong(1_000 * SECOND);
        RateLimiter limiter = new RateLimiter(10, now::get);
        List<Long> admitted = new ArrayList<>();
        // One request every 3 s for 5 minutes: 20 a minute asked, 10 a minute allowed.
        for (int i = 0; i < 100; i++) {
            if (limiter.acquire("k").allowed()) {
                admitted.add(now.get());
            }
            now.addAndGet(3 * SECOND);
        }
        for (long start : admitted) {
            long inWindow = admitted.stream()
                    .filter(t -> t >= start && t < start + 60 * SECOND)
                    .count();
            assertThat(inWindow).as("admitted in the 60 s from %d", start).isLessThanOrEqualTo(10);
        }
        assertThat(admitted).hasSize(50);
    }

    @Test
    void aBurstAtTheEndOfAMinuteAfterSpreadRequestsIsRefused() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(10, now::get);
        for (int i = 0; i < 10; i++) { // 10 requests over the first 54 s
            assertThat(limiter.acquire("k").allowed()).isTrue();
            now.addAndGet(6 * SECOND);
        }
        // At 60 s the first request (at 0) leaves the window: one place, not a refilled bucket.
        assertThat(limiter.acquire("k").allowed()).isTrue();
        RateLimiter.Decision refused = limiter.acquire("k");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.resetSeconds()).isEqualTo(6); // the request at 6 s leaves at 66 s
        now.addAndGet(6 * SECOND - 1);
        assertThat(limiter.acquire("k").allowed()).isFalse();
        now.addAndGet(1);
        assertThat(limiter.acquire("k").allowed()).isTrue();
    }

    @Test
    void refusedRequestsDoNotCountAndKeysAreApart() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(2, now::get);
        assertThat(limiter.acquire("a").allowed()).isTrue();
        assertThat(limiter.acquire("a").allowed()).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(limiter.acquire("a").allowed()).isFalse();
            now.addAndGet(SECOND);
        }
        assertThat(limiter.acquire("b").allowed()).isTrue();
        now.set(60 * SECOND);
        RateLimiter.Decision after = limiter.acquire("a"); // the two at 0 s have left; the 50 refused never counted
        assertThat(after.allowed()).isTrue();
        assertThat(after.remaining()).isEqualTo(1);
    }

    @Test
    void everyAnswerOfALimitedKeyCarriesTheRateLimitHeaders() {
        AtomicLong now = new AtomicLong(0);
        HttpApi api = HttpApi.builder(MemoryApi.engine(new InMemoryTaskStore(), message -> Delivery.delivered("x")))
                .authenticator(ApiKeys.parse(List.of(KEY + "=mem:7")))
                .settings(HttpSettings.defaults().withRateLimitPerMinute(2))
                .rateLimitClock(now::get)
                .build()
                .start("127.0.0.1", 0);
        try {
            Client client = new Client(api.port());
            Client.Answer first = client.get("/v3/tasks/1", KEY);
            assertThat(first.status()).isEqualTo(404);
            assertThat(first.header("RateLimit-Limit")).contains("2");
            assertThat(first.header("RateLimit-Remaining")).contains("1");
            assertThat(first.header("RateLimit-Reset")).contains("60");

            now.set(20 * SECOND);
            Client.Answer second =
                    client.request("GET", "/v1/tasks").bearer(KEY).send();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.header("RateLimit-Remaining")).contains("0");
            assertThat(second.header("RateLimit-Reset")).contains("40");

            now.set(45 * SECOND);
            Client.Answer limited = client.get("/v3/tasks/1", KEY);
            ErrorShapesTest.assertProblem(limited, 429, "auth.rateLimited");
            assertThat(limited.header("Retry-After")).contains("15");
            assertThat(limited.header("RateLimit-Limit")).contains("2");
            assertThat(limited.header("RateLimit-Remaining")).contains("0");
            assertThat(limited.header("RateLimit-Reset")).contains("15");

            now.set(60 * SECOND);
            Client.Answer again = client.get("/v3/tasks/1", KEY);
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.header("RateLimit-Remaining")).contains("0");
            assertThat(again.header("RateLimit-Reset")).contains("20");
        } finally {
            api.stop();
        }
    }

    @Test
    void keysWithNoRequestInTheLastMinuteAreForgotten() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(10, now::get);
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("short-lived-token-" + i);
        }
        assertThat(limiter.keysKept()).isEqualTo(1000);
        now.addAndGet(61_000_000_000L);
        for (int i = 0; i < 24; i++) {
            assertThat(limiter.acquire("steady").allowed()).isTrue();
            now.addAndGet(6_000_000_000L); // one every 6 s: never more than 10 in 60 s
        }
        assertThat(limiter.keysKept()).as("the keys a sweep kept").isEqualTo(1);
    }
}
