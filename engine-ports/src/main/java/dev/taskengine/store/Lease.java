package dev.taskengine.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A scheduler's hold on a task: {@code owner} (the engine's name in claims) until {@code until}. While it lasts, no other
 * engine claims the task; a live engine renews the leases of the executions it has under way, so that only a dead
 * engine's executions are taken over.
 */
public record Lease(String owner, Instant until) {
    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
    }
}
