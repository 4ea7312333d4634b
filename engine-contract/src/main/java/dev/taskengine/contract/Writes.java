package dev.taskengine.contract;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.TaskEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a test of the store SPI writes along with a task: a history entry and events by {@link #ACTOR}, for tests that
 * call a store directly (the engine makes these itself).
 */
public final class Writes {
    /** The actor of every change a test makes. */
    public static final Actor ACTOR = Actor.user(1);

    private Writes() {}

    /** The history entry of {@code task}'s creation. */
    public static HistoryEntry created(Task task) {
        return HistoryEntry.created(UUID.randomUUID(), task, ACTOR);
    }

    /** A history entry recording {@code changed} (an update whose before is not at hand: no field changes). */
    public static HistoryEntry entry(Task changed) {
        return HistoryEntry.changed(UUID.randomUUID(), TaskEventType.UPDATED, changed, changed, ACTOR);
    }

    /** The history entry of a change from {@code before} to {@code after}, of {@code type}. */
    public static HistoryEntry changed(TaskEventType type, Task before, Task after) {
        return HistoryEntry.changed(UUID.randomUUID(), type, before, after, ACTOR);
    }

    /** The history entry of the deletion of version {@code version} of task {@code id}. */
    public static HistoryEntry deleted(TenantId tenant, TaskId id, long version) {
        return new HistoryEntry(
                UUID.randomUUID(),
                tenant,
                id,
                version,
                Instant.parse("2026-01-01T00:00:00Z"),
                ACTOR,
                TaskEventType.DELETED,
                Optional.of(TaskStatus.NEW),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    /** An event of {@code type} about {@code task} as it is, at {@code at}, by {@link #ACTOR}. */
    public static TaskEvent event(TaskEventType type, Task task, Instant at) {
        HistoryEntry entry = new HistoryEntry(
                UUID.randomUUID(),
                task.tenant(),
                task.id(),
                task.version(),
                at,
                ACTOR,
                type,
                Optional.of(task.status()),
                Optional.of(task.status()),
                List.of(),
                Optional.empty(),
                Optional.empty());
        return TaskEvent.of(entry, task);
    }
}
