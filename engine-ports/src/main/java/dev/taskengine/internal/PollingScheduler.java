package dev.taskengine.internal;

import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link TaskScheduler} of an engine: a poller that claims due tasks in batches and workers that send them, reaching
 * the engine only through {@link ScheduledExecutions}.
 */
final class PollingScheduler implements TaskScheduler {
    private static final System.Logger LOG = System.getLogger(TaskScheduler.class.getName());
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ScheduledExecutions engine;
    private final SchedulerOptions options;
    /**
     * How many claimed executions per worker may wait to be sent. A claim records its executions at once, so one may
     * wait for this many sends less one before its own (see {@link SchedulerOptions#staleExecutionAfter}); more per
     * claim means fewer claims and fewer commits per task.
     */
    static final int UNSENT_PER_WORKER = 4;

    /** Claimed tasks in hand whose execution is not sent yet: {@code UNSENT_PER_WORKER × workerThreads} at most. */
    private final Semaphore capacity;
    /** Sent executions whose outcomes are not recorded yet: as many at most. */
    private final Semaphore outcomeRoom;
    /** How much capacity must be free before the poller claims again: half of it (or a batch, if that is smaller). */
    private final int lowWater;
    /**
     * Sent executions whose outcomes are not recorded yet, and the workers that may record some at once: two, so that
     * one group's commit overlaps with the next group's write.
     */
    private final Queue<Executions.Sent> unrecorded = new ConcurrentLinkedQueue<>();

    private final Semaphore recorders = new Semaphore(2);
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /**
     * The executions this scheduler has under way — recorded (or claimed to be resent) and not yet recorded with their
     * outcome — whose leases its heartbeat renews. One whose outcome could not be recorded leaves this set, so that its
     * lease runs out and it is resent under its idempotency key.
     */
    private final Set<Task> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private ScheduledExecutorService poller;
    private ScheduledExecutorService heartbeat;
    private ExecutorService workers;
    private final java.util.Optional<WebhookDispatch> webhooks;
    private ScheduledExecutorService webhookPoller;
    private ExecutorService webhookSenders;
    private volatile boolean running;

    PollingScheduler(
            ScheduledExecutions engine, SchedulerOptions options, java.util.Optional<WebhookDispatch> webhooks) {
        this.engine = engine;
        this.options = options;
        this.webhooks = webhooks;
        int total = options.workerThreads() * UNSENT_PER_WORKER;
        this.capacity = new Semaphore(total);
        this.outcomeRoom = new Semaphore(total);
        this.lowWater = Math.max(1, Math.min(total / 2, options.batchSize()));
    }

    @Override
    public SchedulerOptions options() {
        return options;
    }

    @Override
    public synchronized TaskScheduler start() {
        if (running) {
            return this;
        }
        running = true;
        workers = Executors.newFixedThreadPool(options.workerThreads(), threads("taskengine-scheduler-worker-"));
        poller = Executors.newSingleThreadScheduledExecutor(threads("taskengine-scheduler-poller-"));
        poller.scheduleWithFixedDelay(this::poll, 0, options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        heartbeat = Executors.newSingleThreadScheduledExecutor(threads("taskengine-scheduler-heartbeat-"));
        long beat = Math.max(1, options.heartbeat().toMillis());
        heartbeat.scheduleAtFixedRate(this::renewLeases, beat, beat, TimeUnit.MILLISECONDS);
        webhooks.ifPresent(dispatch -> {
            webhookSenders = Executors.newFixedThreadPool(
                    dispatch.options().deliveryThreads(), threads("taskengine-webhook-sender-"));
            webhookPoller = Executors.newSingleThreadScheduledExecutor(threads("taskengine-webhook-poller-"));
            webhookPoller.scheduleWithFixedDelay(
                    () -> deliverWebhooks(dispatch), 0, options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        });
        return this;
    }

    /**
     * Attempts due webhook deliveries as long as full batches come; a failure is logged and tried again at the next
     * poll. A delivery claimed and not recorded (the engine stopped or died) is attempted again once its lease ran out.
     */
    private void deliverWebhooks(WebhookDispatch dispatch) {
        try {
            while (running
                    && dispatch.deliverDue(options.owner(), webhookSenders)
                            >= dispatch.options().batchSize()) {
                // A full batch: more may be due.
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "webhook deliveries failed; retrying in " + options.pollInterval(), e);
        }
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        poller.shutdown();
        await(poller);
        if (webhookPoller != null) {
            webhookPoller.shutdown();
            await(webhookPoller);
            webhookSenders.shutdown();
            await(webhookSenders);
            webhookPoller = null;
            webhookSenders = null;
        }
        // No attempt is under way any more: the transport's tunnel and threads are let go, opened again when needed.
        webhooks.ifPresent(WebhookDispatch::close);
        workers.shutdown();
        await(workers);
        // The heartbeat goes on until the last send is done and recorded: a slow send's lease must not run out.
        heartbeat.shutdown();
        await(heartbeat);
        // What is still held was never sent or recorded here (a worker cut at the stop timeout): it is let go, so
        // that its lease runs out and it is resent under its key, by another engine or by this one started again.
        held.clear();
        // An executor is terminated once its tasks are done, a moment before its threads have exited: wait for them
        // too.
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
        // pollOnce may have opened the transport without the scheduler running.
        webhooks.ifPresent(WebhookDispatch::close);
    }

    @Override
    public int pollOnce() {
        engine.relayPendingEvents();
        List<Task> claimed = engine.claimDue(options.batchSize(), false);
        try {
            List<Task> executions = engine.startClaimed(claimed);
            held.addAll(executions);
            try {
                // Sent one after another in this thread: the leases of those still to send are renewed as the
                // heartbeat would, between sends, so that a long batch is not taken over while this one works on it.
                List<Executions.Sent> sent = new ArrayList<>(executions.size());
                long renewedAt = System.nanoTime();
                for (Task task : executions) {
                    if (System.nanoTime() - renewedAt >= options.heartbeat().toNanos()) {
                        renewLeases();
                        renewedAt = System.nanoTime();
                    }
                    sent.add(engine.send(task));
                }
                engine.recordOutcomes(sent);
            } finally {
                executions.forEach(held::remove);
            }
            webhooks.ifPresent(dispatch -> dispatch.deliverDue(options.owner(), null));
            return executions.size();
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "execution of " + claimed.size() + " claimed tasks failed (" + TaskNames.of(claimed)
                            + "); their claims expire, and executions recorded without an outcome are resent once"
                            + " their leases ran out",
                    e);
            return 0;
        }
    }

    /**
     * Claims and hands out due tasks as long as there are some and workers to take them. Claims in batches, like
     * lock-and-fetch: it waits until at least half of its capacity ({@code UNSENT_PER_WORKER × workerThreads} unsent tasks) is free,
     * then claims as many as are free (at most a batch) in one claim, records their executions in one write, and
     * splits them among the workers. When every worker is busy it waits for capacity rather than for the next poll; it
     * returns when nothing is due.
     */
    private void poll() {
        // The tasks of the claim under way, for the log line should it fail.
        List<Task> inHand = List.of();
        try {
            // What a poll does before it claims (relay the outbox, apply the timed rules, look for stale executions
            // with its first claim) is done again every poll interval while it keeps claiming: under a steady stream
            // of due tasks a poll never ends, and the outbox, the reminders and taken-over executions would wait.
            long pollStarted = System.nanoTime();
            engine.relayPendingEvents();
            applyTimedRules();
            boolean dueOnly = false;
            while (running) {
                if (System.nanoTime() - pollStarted >= options.pollInterval().toNanos()) {
                    pollStarted = System.nanoTime();
                    engine.relayPendingEvents();
                    applyTimedRules();
                    dueOnly = false;
                }
                if (!capacity.tryAcquire(lowWater, options.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                int wanted = lowWater + capacity.drainPermits();
                if (wanted > options.batchSize()) {
                    capacity.release(wanted - options.batchSize());
                    wanted = options.batchSize();
                }
                List<Task> toSend;
                int claimedCount;
                inHand = List.of();
                try {
                    List<Task> claimed = engine.claimDue(wanted, dueOnly);
                    inHand = claimed;
                    dueOnly = true;
                    claimedCount = claimed.size();
                    toSend = engine.startClaimed(claimed);
                } catch (RuntimeException e) {
                    capacity.release(wanted);
                    throw e;
                }
                capacity.release(wanted - toSend.size());
                held.addAll(toSend);
                dispatch(toSend);
                inHand = List.of();
                if (claimedCount < wanted) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The store is unreachable or failing: try again at the next poll, never let the poller die.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "scheduler poll failed (claimed in hand: " + TaskNames.of(inHand) + "); retrying in "
                            + options.pollInterval(),
                    e);
        } catch (Error e) {
            // An error ends the polling (the executor drops the schedule): never silently.
            LOG.log(System.Logger.Level.ERROR, "scheduler poll failed with an error; the scheduler stops polling", e);
            throw e;
        }
    }

    /** Reminders, the stale rule and history retention; a failure of theirs never keeps executions from running. */
    private void applyTimedRules() {
        try {
            engine.applyTimedRules();
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "reminders, stale rule or history retention failed; retrying at the next poll",
                    e);
        }
    }

    /**
     * Hands each recorded execution to a worker of its own, so that slow sends run side by side. Outcomes are recorded
     * in groups: a worker whose send is done queues the outcome and, unless another worker is recording outcomes
     * already, records every queued one in one write (one commit). A task's capacity comes back once it is sent, so
     * that the next claim overlaps with the commit of the outcomes.
     */
    private void dispatch(List<Task> executions) {
        for (Task task : executions) {
            try {
                workers.execute(() -> send(task));
            } catch (RejectedExecutionException stopping) {
                // The scheduler is stopping: this execution is not sent here; its lease runs out and another engine
                // (or this one, started again) resends it under its key.
                capacity.release();
                held.remove(task);
            }
        }
    }

    /** Sends one recorded execution on a worker and queues its outcome; whatever ends it, its capacity comes back. */
    private void send(Task task) {
        Executions.Sent sent;
        try {
            sent = engine.send(task);
        } catch (RuntimeException | Error e) {
            // A lost permit would starve the poller.
            capacity.release();
            held.remove(task);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "execution of " + TaskNames.of(task) + " failed; its lease runs out and it is resent under"
                            + " its idempotency key",
                    e);
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        // Capacity is for executions not yet sent: the next claim need not wait for this outcome's commit.
        // Outcomes waiting for theirs are bounded too: a worker waits while as many are queued as the capacity.
        outcomeRoom.acquireUninterruptibly();
        capacity.release();
        unrecorded.add(sent);
        recordOutcomes();
    }

    /**
     * Records every queued outcome, unless two workers are at it already. Each looks at the queue again once it is done,
     * so no outcome is left behind: every queued outcome is recorded by the time the workers are idle.
     */
    private void recordOutcomes() {
        while (!unrecorded.isEmpty() && recorders.tryAcquire()) {
            try {
                List<Executions.Sent> batch = new ArrayList<>();
                for (Executions.Sent sent; (sent = unrecorded.poll()) != null; ) {
                    batch.add(sent);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    engine.recordOutcomes(batch);
                } catch (RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "recording the outcomes of " + batch.size() + " executions failed ("
                                    + TaskNames.of(batch.stream()
                                            .map(Executions.Sent::started)
                                            .toList())
                                    + "); their leases run out and they are resent under their idempotency keys",
                            e);
                } finally {
                    batch.forEach(sent -> held.remove(sent.started()));
                    outcomeRoom.release(batch.size());
                }
            } finally {
                recorders.release();
            }
        }
    }

    /** The heartbeat: extends the leases on every execution under way. A failure is retried at the next beat. */
    private void renewLeases() {
        if (held.isEmpty()) {
            return;
        }
        List<Task> renewed = List.copyOf(held);
        try {
            engine.renewLeases(renewed);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "renewing the leases of " + renewed.size() + " executions under way failed ("
                            + TaskNames.of(renewed) + "); trying again in " + options.heartbeat(),
                    e);
        } catch (Error e) {
            // An error ends the schedule of the heartbeat: never silently.
            LOG.log(System.Logger.Level.ERROR, "the heartbeat failed with an error; leases are no longer renewed", e);
            throw e;
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
