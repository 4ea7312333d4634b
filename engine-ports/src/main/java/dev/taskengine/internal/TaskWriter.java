package dev.taskengine.internal;

import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.spi.TaskEventType;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How every use case reads and writes a task: find it as the caller named it, write a change at the version read with
 * its event in the same write, and publish the event once the write returned.
 */
final class TaskWriter {
    private final TaskStore store;
    private final EventRelay relay;

    TaskWriter(TaskStore store, EventRelay relay) {
        this.store = store;
        this.relay = relay;
    }

    TaskStore store() {
        return store;
    }

    EventRelay relay() {
        return relay;
    }

    /** The task {@code ref} names, at the version it expects if it expects one. */
    Either<TaskError, Task> find(TaskRef ref) {
        Objects.requireNonNull(ref, "ref");
        Optional<Task> found = store.find(ref.tenant(), ref.id());
        if (found.isEmpty()) {
            return Either.left(new TaskError.NotFound(ref.id()));
        }
        Task task = found.get();
        if (ref.expectedVersion().isPresent() && ref.expectedVersion().getAsLong() != task.version()) {
            return Either.left(new TaskError.VersionConflict(
                    task.id(), ref.expectedVersion().getAsLong(), task.version()));
        }
        return Either.right(task);
    }

    /** Writes {@code changed} over {@code current} with its event, then publishes the event. */
    Either<TaskError, Task> write(Task current, Task changed, TaskEventType event, Instant now) {
        List<TaskEvent> events = eventsFor(event, changed, now);
        return store.update(changed, current.version(), events).peek(saved -> relay.publishCommitted(events));
    }

    /**
     * Writes every change in one {@link TaskStore#updateAll} and publishes the events of those kept; answers each
     * write's outcome, in order.
     */
    List<Either<TaskError, Task>> writeAll(List<TaskWrite> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<Either<TaskError, Task>> written = store.updateAll(writes);
        List<TaskEvent> events = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i).isRight()) {
                events.addAll(writes.get(i).events());
            }
        }
        relay.publishCommitted(events);
        return written;
    }

    /** The events a write of {@code task} keeps: one of {@code type}, or none when the engine keeps no events. */
    List<TaskEvent> eventsFor(TaskEventType type, Task task, Instant now) {
        return relay.enabled() ? List.of(TaskEvent.of(type, task, now)) : List.of();
    }
}
