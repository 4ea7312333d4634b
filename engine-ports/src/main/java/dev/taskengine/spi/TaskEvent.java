package dev.taskengine.spi;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Task;
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
 *
 * <p>{@code payload} is the event as JSON, as it leaves the process (a webhook's body, the outbox's {@code payload}
 * column): schema version 1, with {@code id}, {@code type} ({@link TaskEventType#eventName()}), {@code time},
 * {@code tenant}, {@code actor}, {@code taskId}, {@code taskVersion} and {@code task}, the task after the write (before
 * it, for a deletion) as the Reply dialect shows it, enums by name.
 */
public record TaskEvent(
        UUID id,
        TaskEventType type,
        TenantId tenant,
        TaskId taskId,
        long version,
        Instant occurredAt,
        Actor actor,
        String payload) {
    public TaskEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(payload, "payload");
    }

    /** The event of the write {@code entry} records, whose task is then {@code task}. */
    public static TaskEvent of(HistoryEntry entry, Task task) {
        Objects.requireNonNull(task, "task");
        if (!task.id().equals(entry.taskId()) || !task.tenant().equals(entry.tenant())) {
            throw new IllegalArgumentException(
                    "an event's task is the task of its entry: " + task.id() + " is not " + entry.taskId());
        }
        TaskEvent bare = new TaskEvent(
                entry.id(),
                entry.type(),
                entry.tenant(),
                entry.taskId(),
                entry.version(),
                entry.at(),
                entry.actor(),
                "");
        return bare.withPayload(EventPayloads.of(bare, task));
    }

    /** Its type's name outside the process: {@link TaskEventType#eventName()}. */
    public String typeName() {
        return type.eventName();
    }

    private TaskEvent withPayload(String value) {
        return new TaskEvent(id, type, tenant, taskId, version, occurredAt, actor, value);
    }
}
