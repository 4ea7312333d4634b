package dev.taskengine.bench.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
    @Test
    void aServerThatFallsBehindCountsEveryRequestNotFinishedInTimeAsAnErrorWithItsLatencyInsteadOfEndingTheRun()
            throws InterruptedException {
        // 50 requests due over half a second, on 2 callers, each request taking 100 ms: the callers fall behind.
        OpenLoop loop = new OpenLoop(2, 100);
        Set<Long> recorded = ConcurrentHashMap.newKeySet();
        ErrorCounts errors = new ErrorCounts();
        long start = System.nanoTime();
        OpenLoop.Running running = loop.start(
                start,
                start + Duration.ofMillis(500).toNanos(),
                k -> index -> Thread.sleep(100),
                (index, micros) -> assertThat(recorded.add(index)).isTrue(),
                errors);

        long unfinished = running.join(Duration.ofMillis(200));

        assertThat(unfinished).isPositive();
        assertThat(errors.total()).isEqualTo(unfinished);
        assertThat(errors.describe()).startsWith("not finished ×" + unfinished);
        assertThat(recorded).hasSize(50);
        assertThat(running.callers()).noneMatch(Thread::isAlive);
    }
}
