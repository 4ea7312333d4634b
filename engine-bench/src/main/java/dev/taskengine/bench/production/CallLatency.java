package dev.taskengine.bench.production;

import java.time.Duration;
import java.util.Arrays;

/**
 * The latency of one call, sampled one call at a time on one thread: calls for {@code warmUp} first (not counted), then
 * each call timed for {@code measure}, at least {@code minSamples} of them. Percentiles in microseconds.
 */
record CallLatency(int samples, double p50, double p99, double mean, double max) {

    /** How long to warm up and to measure. */
    record Plan(Duration warmUp, Duration measure, int minSamples) {}

    static CallLatency of(Plan plan, Runnable call) {
        long warmUpEnd = System.nanoTime() + plan.warmUp().toNanos();
        while (System.nanoTime() < warmUpEnd) {
            call.run();
        }
        long[] nanos = new long[Math.max(plan.minSamples(), 1024)];
        int n = 0;
        long measureEnd = System.nanoTime() + plan.measure().toNanos();
        while (n < plan.minSamples() || System.nanoTime() < measureEnd) {
            long started = System.nanoTime();
            call.run();
            long took = System.nanoTime() - started;
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, n * 2);
            }
            nanos[n++] = took;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        double sum = 0;
        for (long value : sorted) {
            sum += value;
        }
        return new CallLatency(
                n,
                micros(percentile(sorted, 50)),
                micros(percentile(sorted, 99)),
                micros(sum / n),
                micros(sorted[n - 1]));
    }

    /** The nearest-rank percentile. */
    private static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double micros(double nanos) {
        return nanos / 1_000.0;
    }
}
