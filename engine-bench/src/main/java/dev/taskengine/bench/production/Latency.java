package dev.taskengine.bench.production;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies as the load runs keep them: HdrHistograms of microseconds, 3 significant digits, read in milliseconds. */
final class Latency {
    private static final int DIGITS = 3;

    private Latency() {}

    static Histogram histogram() {
        return new Histogram(DIGITS);
    }

    static Recorder recorder() {
        return new Recorder(DIGITS);
    }

    static long micros(long nanos) {
        return Math.max(1, nanos / 1_000);
    }

    static double ms(AbstractHistogram latency, double percentile) {
        return latency.getValueAtPercentile(percentile) / 1_000.0;
    }

    static double maxMs(AbstractHistogram latency) {
        return latency.getMaxValue() / 1_000.0;
    }
}
