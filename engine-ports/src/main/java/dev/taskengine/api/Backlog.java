package dev.taskengine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What waits, across tenants, at {@code at}: scheduled tasks due and not yet executed (counted up to
 * {@link #COUNT_LIMIT}), when the oldest of them fell due, and events kept in the outbox not yet published (counted
 * up to the same limit). For health checks and gauges.
 */
public record Backlog(Instant at, long dueTasks, Optional<Instant> oldestDue, long pendingEvents) {
    /** Counts stop here: a backlog this large is reported as this large, without reading it all. */
    public static final int COUNT_LIMIT = 100_000;

    public Backlog {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(oldestDue, "oldestDue");
    }

    /** How long the oldest due task has waited at {@code at}: zero when none is due. */
    public Duration oldestDueLag() {
        return oldestDue
                .map(due -> Duration.between(due, at))
                .filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
    }
}
