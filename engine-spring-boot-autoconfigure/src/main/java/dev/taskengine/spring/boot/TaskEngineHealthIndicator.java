package dev.taskengine.spring.boot;

import dev.taskengine.api.Backlog;
import dev.taskengine.api.TaskEngine;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The engine's health: {@code DOWN} when the store cannot be read, {@code OUT_OF_SERVICE} when this node should run a
 * scheduler and it does not, {@code DEGRADED} when the backlog (due tasks or unpublished events) or the oldest due
 * task's lag passes its threshold, {@code UP} otherwise; with the backlog in the details.
 */
public final class TaskEngineHealthIndicator implements HealthIndicator {
    /** A status of its own: work waits longer than it should, while everything still runs. */
    public static final Status DEGRADED = new Status("DEGRADED", "the backlog passed a threshold");

    private final TaskEngine engine;
    private final TaskSchedulerLifecycle scheduler;
    private final long backlogThreshold;
    private final Duration lagThreshold;
    /** The last backlog read and when (nanoTime): probes within {@link #BACKLOG_MAX_AGE} share one read. */
    private Backlog lastBacklog;

    private long lastRead;

    /** How long a backlog read serves probes: the backlog is counted in the database, and probes come often. */
    static final Duration BACKLOG_MAX_AGE = Duration.ofSeconds(5);

    /** {@code scheduler} is null on a node that runs none. */
    public TaskEngineHealthIndicator(
            TaskEngine engine, TaskSchedulerLifecycle scheduler, long backlogThreshold, Duration lagThreshold) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.backlogThreshold = backlogThreshold;
        this.lagThreshold = lagThreshold;
    }

    @Override
    public Health health() {
        Backlog backlog;
        try {
            backlog = backlog();
        } catch (RuntimeException e) {
            return Health.down(e).build();
        }
        Health.Builder health = Health.up()
                .withDetail("dueTasks", backlog.dueTasks())
                .withDetail("oldestDueLag", backlog.oldestDueLag().toString())
                .withDetail("pendingEvents", backlog.pendingEvents())
                .withDetail("scheduler", scheduler == null ? "none" : scheduler.isRunning() ? "running" : "stopped");
        if (scheduler != null && !scheduler.isRunning()) {
            return health.outOfService().build();
        }
        if (backlog.dueTasks() > backlogThreshold
                || backlog.pendingEvents() > backlogThreshold
                || backlog.oldestDueLag().compareTo(lagThreshold) > 0) {
            return health.status(DEGRADED)
                    .withDetail("backlogThreshold", backlogThreshold)
                    .withDetail("oldestDueLagThreshold", lagThreshold.toString())
                    .build();
        }
        return health.build();
    }

    /** The backlog, read again when the last read is older than {@link #BACKLOG_MAX_AGE}; a failed read is not kept. */
    private synchronized Backlog backlog() {
        long now = System.nanoTime();
        if (lastBacklog == null || now - lastRead > BACKLOG_MAX_AGE.toNanos()) {
            lastBacklog = engine.backlog();
            lastRead = now;
        }
        return lastBacklog;
    }
}
