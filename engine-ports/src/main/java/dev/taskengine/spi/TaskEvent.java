package dev.taskengine.spi;

import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A lifecycle event. It is stored with the write it describes (in one transaction, on a database) and published after
 * commit, at least once: a subscriber deduplicates by {@link #id()}. {@code version} is the task's version after the write.
 */
public record TaskEvent(UUID id, TaskEventType type, TenantId tenant, TaskId taskId, long version, Instant occurredAt) {
    public TaskEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** A new event, with a fresh id, about {@code task} as it is after the write. */
    public static TaskEvent of(TaskEventType type, Task task, Instant occurredAt) {
        return new TaskEvent(UUID.randomUUID(), type, task.tenant(), task.id(), task.version(), occurredAt);
    }
}
