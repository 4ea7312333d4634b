package dev.taskengine.spi;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A lifecycle event. It is stored with the write it describes (in one transaction, on a database) and published after
 * commit, at least once: a subscriber deduplicates by {@link #id()}. {@code version} is the task's version after the
 * write; {@code actor} who made it. The write's {@link HistoryEntry} has the same id, type, version, time and actor.
 */
public record TaskEvent(
        UUID id, TaskEventType type, TenantId tenant, TaskId taskId, long version, Instant occurredAt, Actor actor) {
    public TaskEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actor, "actor");
    }

    /** The event of the write {@code entry} records. */
    public static TaskEvent of(HistoryEntry entry) {
        return new TaskEvent(
                entry.id(), entry.type(), entry.tenant(), entry.taskId(), entry.version(), entry.at(), entry.actor());
    }
}
