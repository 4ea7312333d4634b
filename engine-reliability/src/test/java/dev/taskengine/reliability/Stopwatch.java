package dev.taskengine.reliability;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Wall time and the JVM's CPU time for a part of the suite: on a shared or busy machine the wall time says little,
 * the CPU time says what the part costs.
 */
final class Stopwatch {
    private final long wall = System.nanoTime();
    private final long cpu = processCpu();

    static Stopwatch start() {
        return new Stopwatch();
    }

    long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wall);
    }

    String elapsed() {
        long cpuNow = processCpu();
        return String.format(
                java.util.Locale.ROOT,
                "%.1f s (JVM CPU %.1f s)",
                (System.nanoTime() - wall) / 1e9,
                cpuNow < 0 ? Double.NaN : (cpuNow - cpu) / 1e9);
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
