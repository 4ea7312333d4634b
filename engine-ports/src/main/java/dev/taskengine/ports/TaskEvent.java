package dev.taskengine.ports;

import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A lifecycle event, published after the write it describes succeeded. {@code version} is the task's version after it. */
public record TaskEvent(TaskEventType type, TenantId tenant, TaskId taskId, long version, Instant occurredAt) {
    public TaskEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static TaskEvent of(TaskEventType type, Task task, Instant occurredAt) {
        return new TaskEvent(type, task.tenant(), task.id(), task.version(), occurredAt);
    }
}
