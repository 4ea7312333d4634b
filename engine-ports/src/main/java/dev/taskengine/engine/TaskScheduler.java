package dev.taskengine.engine;

import dev.taskengine.domain.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes scheduled tasks automatically at their start time, in this JVM. The host starts and stops it. It claims due
 * tasks from the store (several engines on one database never claim the same task at once; a dead engine's claims
 * expire), re-checks each task before sending (a task changed after it was claimed is never sent stale), resends
 * executions that died with their worker under the same idempotency key, retries failures as the engine's
 * {@link RetryPolicy} says, and relays pending events. {@link #stop()} finishes in-flight executions and leaves no thread.
 */
public final class TaskScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TaskScheduler.class.getName());
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final DefaultTaskEngine engine;
    private final SchedulerOptions options;
    private final Semaphore capacity;
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ScheduledExecutorService poller;
    private ExecutorService workers;
    private volatile boolean running;

    TaskScheduler(DefaultTaskEngine engine, SchedulerOptions options) {
        this.engine = engine;
        this.options = options;
        this.capacity = new Semaphore(options.workerThreads() * 2);
    }

    public SchedulerOptions options() {
        return options;
    }

    /** Starts polling; a second start of a running scheduler does nothing. */
    public synchronized TaskScheduler start() {
        if (running) {
            return this;
        }
        running = true;
        workers = Executors.newFixedThreadPool(options.workerThreads(), threads("taskengine-scheduler-worker-"));
        poller = Executors.newSingleThreadScheduledExecutor(threads("taskengine-scheduler-poller-"));
        poller.scheduleWithFixedDelay(this::poll, 0, options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public boolean running() {
        return running;
    }

    /** Stops claiming, waits for in-flight executions to finish (up to 30 seconds), and ends every thread it started. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        poller.shutdown();
        await(poller);
        workers.shutdown();
        await(workers);
        // An executor is terminated once its tasks are done, a moment before its threads have exited: wait for them too.
        for (Thread thread : threads) {
            try {
                thread.join(STOP_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * One look for due tasks, executed in the calling thread: claims up to a batch, executes each, relays events.
     * For hosts that drive scheduling themselves (and for tests); answers how many tasks it executed or resent.
     */
    public int pollOnce() {
        engine.relayPendingEvents();
        List<Task> claimed = engine.claimDue(options, options.batchSize());
        int executed = 0;
        for (Task task : claimed) {
            try {
                if (engine.executeClaimed(task, options)) {
                    executed++;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "execution of task " + task.id() + " failed; its claim will expire", e);
            }
        }
        return executed;
    }

    /**
     * Claims and hands out due tasks as long as there are some and workers to take them: when every worker is busy it
     * waits for one to free up rather than for the next poll; it returns when nothing is due.
     */
    private void poll() {
        try {
            engine.relayPendingEvents();
            while (running) {
                if (!capacity.tryAcquire(options.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                int wanted = Math.min(capacity.availablePermits() + 1, options.batchSize());
                List<Task> claimed;
                try {
                    claimed = engine.claimDue(options, wanted);
                } catch (RuntimeException e) {
                    capacity.release();
                    throw e;
                }
                if (claimed.isEmpty()) {
                    capacity.release();
                    return;
                }
                for (int i = 0; i < claimed.size(); i++) {
                    if (i > 0) {
                        capacity.acquireUninterruptibly();
                    }
                    Task task = claimed.get(i);
                    workers.execute(() -> {
                        try {
                            engine.executeClaimed(task, options);
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "execution of task " + task.id() + " failed; its claim will expire", e);
                        } finally {
                            capacity.release();
                        }
                    });
                }
                if (claimed.size() < wanted) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The store is unreachable or failing: try again at the next poll, never let the poller die.
            LOG.log(System.Logger.Level.WARNING, "scheduler poll failed; retrying in " + options.pollInterval(), e);
        }
    }

    private static void await(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }
}
