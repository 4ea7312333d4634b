package dev.taskengine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a scheduler asks the store to claim, at most {@code limit} tasks that nobody else holds an unexpired claim on:
 * first executions whose outcome never was recorded and whose engine is taken to be gone — recorded under a lease
 * (by a scheduler) that expired unrenewed, or recorded without one (by hand) before {@code staleBefore} (see
 * {@link dev.taskengine.domain.Task#executionStale}) — oldest first; then tasks due for execution at {@code now} (see
 * {@link dev.taskengine.domain.Task#dueForExecution}), oldest start first. The claim is
 * {@code owner}'s until {@code leaseUntil}; any write of the task ends it. A {@code dueOnly} request skips the look for
 * stale executions (a scheduler that keeps claiming while work is due looks for them once per poll, not per claim).
 */
public record DueTasks(Instant now, Instant staleBefore, int limit, String owner, Instant leaseUntil, boolean dueOnly) {
    /** A request that looks for stale executions first, then for due tasks. */
    public DueTasks(Instant now, Instant staleBefore, int limit, String owner, Instant leaseUntil) {
        this(now, staleBefore, limit, owner, leaseUntil, false);
    }

    public DueTasks {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(staleBefore, "staleBefore");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit < 1) {
            throw new IllegalArgumentException("a claim takes at least one task");
        }
    }
}
