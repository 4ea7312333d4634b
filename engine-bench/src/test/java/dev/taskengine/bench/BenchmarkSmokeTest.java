package dev.taskengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;

/**
 * Keeps the benchmarks compiling and running: every benchmark of every class once, in this JVM, at the smallest sizes
 * ({@link BenchMain#smoke}), and heap per task over a few tasks. It checks that each ran and produced a score, never
 * what the score is.
 */
class BenchmarkSmokeTest {

    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        BenchMain.SmokeReport report = BenchMain.smoke(System.out);

        Map<String, Long> runs = report.results().stream()
                .collect(Collectors.groupingBy(
                        r -> r.getParams().getBenchmark().replaceAll(".*\\.([A-Za-z]+Benchmark)\\..*", "$1"),
                        Collectors.counting()));
        report.expectedRuns()
                .forEach((benchmark, expected) -> assertThat(runs.getOrDefault(benchmark, 0L))
                        .as(benchmark + " runs")
                        .isEqualTo(expected.longValue()));
        for (RunResult result : report.results()) {
            assertThat(result.getPrimaryResult().getSampleCount())
                    .as(result.getParams().id())
                    .isPositive();
        }
        assertThat(report.heapPerTask()).containsOnlyKeys(HeapFootprint.TARGETS);
    }
}
