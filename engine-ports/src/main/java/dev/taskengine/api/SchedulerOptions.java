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
 * @param lease               how long a claim keeps other engines off a task. A scheduler renews the leases on the
 *                            executions it has under way every third of a lease (its heartbeat), so a live engine's
 *                            execution is never taken over however slow its send, and a dead engine's (killed, its
 *                            host gone) is taken over and resent with the same idempotency key once its lease ran out:
 *                            within one lease of the death (three missed heartbeats)
 * @param staleExecutionAfter an execution recorded by hand ({@link TaskEngine#execute}, outside a scheduler, so under no
 *                            lease) this long ago without an outcome is taken to have died with its engine, and is resent
 *                            with the same idempotency key by a scheduler; must exceed the slowest send
 * @param owner               this engine's name in claims; unique per engine instance
 */
public record SchedulerOptions(
        Duration pollInterval,
        int batchSize,
        int workerThreads,
        Duration lease,
        Duration staleExecutionAfter,
        String owner) {

    public SchedulerOptions {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(staleExecutionAfter, "staleExecutionAfter");
        Objects.requireNonNull(owner, "owner");
        if (pollInterval.isNegative()
                || pollInterval.isZero()
                || batchSize < 1
                || workerThreads < 1
                || lease.isNegative()
                || lease.isZero()
                || staleExecutionAfter.isNegative()
                || staleExecutionAfter.isZero()
                || owner.isBlank()
                || owner.length() > 100) {
            throw new IllegalArgumentException(
                    "scheduler options: positive interval, batch, workers, lease and staleness,"
                            + " and an owner name of 1 to 100 characters");
        }
    }

    /** The lease of {@link #defaults()}: renewed every 5 seconds, so a dead engine is noticed within 15. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);

    /** Polls every second, 50 tasks a claim, 2 workers, 15-second leases, executions by hand stale after 5 minutes. */
    public static SchedulerOptions defaults() {
        return new SchedulerOptions(Duration.ofSeconds(1), 50, 2, DEFAULT_LEASE, Duration.ofMinutes(5), defaultOwner());
    }

    /** How often a scheduler renews the leases on its executions under way: a third of the lease. */
    public Duration heartbeat() {
        return lease.dividedBy(3);
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
        return (runtime.length() > 60 ? runtime.substring(0, 60) : runtime) + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
