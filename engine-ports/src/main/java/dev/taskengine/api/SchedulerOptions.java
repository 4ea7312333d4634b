package dev.taskengine.api;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a {@link TaskScheduler} works.
 *
 * @param pollInterval        how long it waits between looks for due tasks when there is nothing to do
 * @param batchSize           how many due tasks one look claims at most
 * @param workerThreads       how many executions run at once
 * @param lease               how long a claim keeps other engines off a task; a crashed engine's claims expire after it
 * @param staleExecutionAfter an execution recorded this long ago without an outcome is taken to have died with its
 *                            worker, and is resent with the same idempotency key; must exceed the slowest send,
 *                            four times over (a scheduler records the executions of a claim at once, and one may wait for
 *                            three other sends on its worker before its own)
 * @param owner               this engine's name in claims; unique per engine instance
 */
public record SchedulerOptions(
        Duration pollInterval, int batchSize, int workerThreads, Duration lease, Duration staleExecutionAfter, String owner) {

    public SchedulerOptions {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(staleExecutionAfter, "staleExecutionAfter");
        Objects.requireNonNull(owner, "owner");
        if (pollInterval.isNegative() || pollInterval.isZero() || batchSize < 1 || workerThreads < 1
                || lease.isNegative() || lease.isZero() || staleExecutionAfter.isNegative() || staleExecutionAfter.isZero()
                || owner.isBlank() || owner.length() > 100) {
            throw new IllegalArgumentException("scheduler options: positive interval, batch, workers, lease and staleness,"
                    + " and an owner name of 1 to 100 characters");
        }
    }

    /** Polls every second, 50 tasks a claim, 2 workers, 2-minute leases, executions stale after 5 minutes. */
    public static SchedulerOptions defaults() {
        return new SchedulerOptions(Duration.ofSeconds(1), 50, 2, Duration.ofMinutes(2), Duration.ofMinutes(5), defaultOwner());
    }

    public SchedulerOptions withPollInterval(Duration value) {
        return new SchedulerOptions(value, batchSize, workerThreads, lease, staleExecutionAfter, owner);
    }

    public SchedulerOptions withBatchSize(int value) {
        return new SchedulerOptions(pollInterval, value, workerThreads, lease, staleExecutionAfter, owner);
    }

    public SchedulerOptions withWorkerThreads(int value) {
        return new SchedulerOptions(pollInterval, batchSize, value, lease, staleExecutionAfter, owner);
    }

    public SchedulerOptions withLease(Duration value) {
        return new SchedulerOptions(pollInterval, batchSize, workerThreads, value, staleExecutionAfter, owner);
    }

    public SchedulerOptions withStaleExecutionAfter(Duration value) {
        return new SchedulerOptions(pollInterval, batchSize, workerThreads, lease, value, owner);
    }

    public SchedulerOptions withOwner(String value) {
        return new SchedulerOptions(pollInterval, batchSize, workerThreads, lease, staleExecutionAfter, value);
    }

    private static String defaultOwner() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName();
        return (runtime.length() > 60 ? runtime.substring(0, 60) : runtime) + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
