package dev.taskengine.bench.production;

/**
 * How big a production-shaped run is: {@link #FULL} measures (minutes per workload, the sizes the targets name);
 * {@link #SMOKE} runs every workload once at its smallest size, for CI, and its figures mean nothing.
 */
public enum Scale {
    SMOKE,
    FULL;

    /** {@code full} in a full run, {@code smoke} in a smoke run. */
    public <T> T pick(T smoke, T full) {
        return this == FULL ? full : smoke;
    }

    public int pick(int smoke, int full) {
        return this == FULL ? full : smoke;
    }
}
