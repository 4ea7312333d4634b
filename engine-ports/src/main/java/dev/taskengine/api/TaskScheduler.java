package dev.taskengine.api;

/**
 * Executes scheduled tasks automatically at their start time, in this JVM; made by {@link TaskEngine#scheduler}. The
 * host starts and stops it. It claims due tasks from the store (several engines on one database never claim the same
 * task at once; a dead engine's claims expire), re-checks each task before sending (a task changed after it was claimed
 * is never sent stale), resends executions that died with their worker under the same idempotency key, retries failures
 * as the engine's {@link RetryPolicy} says, and relays pending events. {@link #stop()} finishes in-flight executions and
 * leaves no thread.
 */
public interface TaskScheduler extends AutoCloseable {

    SchedulerOptions options();

    /** Starts polling; a second start of a running scheduler does nothing. */
    TaskScheduler start();

    boolean running();

    /** Stops claiming, waits for in-flight executions to finish (up to 30 seconds), and ends every thread it started. */
    void stop();

    /**
     * One look for due tasks, executed in the calling thread: claims up to a batch, records their executions, sends
     * them, records their outcomes, relays events, then attempts up to a batch of due webhook deliveries one after
     * another. For hosts that drive scheduling themselves (and for tests); answers how many tasks it executed or
     * resent.
     */
    int pollOnce();

    /** The same as {@link #stop()}. */
    @Override
    void close();
}
