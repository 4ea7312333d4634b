package dev.taskengine.spring.boot;

import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import org.springframework.context.SmartLifecycle;

/**
 * The engine's scheduler in the application's lifecycle: started once the context is refreshed (after every
 * singleton, the DataSource and the migrations included), stopped when the context closes, before any singleton is
 * destroyed, so that in-flight executions finish on an open pool. In the default phase: started last, stopped first.
 */
public final class TaskSchedulerLifecycle implements SmartLifecycle {
    private final TaskEngine engine;
    private final SchedulerOptions options;
    private volatile TaskScheduler scheduler;

    public TaskSchedulerLifecycle(TaskEngine engine, SchedulerOptions options) {
        this.engine = engine;
        this.options = options;
    }

    public SchedulerOptions options() {
        return options;
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = engine.scheduler(options).start();
        }
    }

    @Override
    public synchronized void stop() {
        TaskScheduler running = scheduler;
        scheduler = null;
        if (running != null) {
            running.stop();
        }
    }

    /**
     * Stops on a thread of its own and tells Spring when done, so that the context's shutdown waits for the scheduler
     * at most {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s by default) rather than for every executor's
     * own grace in turn. Executions still unsent then are resent by another engine once their leases ran out.
     */
    @Override
    public void stop(Runnable callback) {
        Thread stopping = new Thread(
                () -> {
                    try {
                        stop();
                    } finally {
                        callback.run();
                    }
                },
                "taskengine-scheduler-stop");
        stopping.setDaemon(true);
        stopping.start();
    }

    @Override
    public boolean isRunning() {
        TaskScheduler current = scheduler;
        return current != null && current.running();
    }

    /** The running scheduler, for a host that polls by hand in tests; null when stopped. */
    public TaskScheduler scheduler() {
        return scheduler;
    }
}
