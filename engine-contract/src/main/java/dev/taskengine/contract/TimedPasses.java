package dev.taskengine.contract;

import dev.taskengine.store.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the suites that watch a running scheduler share: a store that counts the passes of the timed rules (reminders,
 * stale rule, retention) an engine made on it, and waiting for a condition until a deadline.
 */
final class TimedPasses {
    /** How long a condition a running scheduler brings about may take. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final AtomicInteger passes = new AtomicInteger();
    private final TaskStore store;

    /**
     * Counts the passes made on {@code target}: each pass of the timed rules looks for due reminders first, so the
     * count is how many passes began.
     */
    TimedPasses(TaskStore target) {
        this.store = (TaskStore) Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("dueReminders")) {
                            passes.incrementAndGet();
                        }
                    }
                });
    }

    /** The store to build an engine on. */
    TaskStore store() {
        return store;
    }

    int count() {
        return passes.get();
    }

    /** Waits until a pass that began after this call has ended: two more passes began. */
    void awaitFullPass() {
        int seen = passes.get();
        await("a full pass of the timed rules", () -> passes.get() >= seen + 2);
    }

    /** Waits until {@code condition} holds, failing with {@code what} once {@link #DEADLINE} has passed. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + DEADLINE + " in vain for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
