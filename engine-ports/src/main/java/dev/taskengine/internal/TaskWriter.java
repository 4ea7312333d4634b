package dev.taskengine.internal;

import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TraceContext;
import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How every use case reads and writes a task: find it as the caller named it, write a change at the version read with
 * its history entry and its event (made from that entry, so that they agree) in the same write, and publish the event
 * once the write returned.
 */
final class TaskWriter {
    private final TaskStore store;
    private final EventRelay relay;
    private final EngineObserver observer;

    TaskWriter(TaskStore store, EventRelay relay, EngineObserver observer) {
        this.store = store;
        this.relay = relay;
        this.observer = observer;
    }

    /** The trace context of the call under way, as the observer reports it, to keep with a task it creates or schedules. */
    TraceContext traceContext() {
        return TraceContext.of(observer.traceContext());
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

    /**
     * The write of {@code changed} over {@code current}: its history entry ({@code type}, by {@code actor}) and, when
     * the engine keeps events, the event that agrees with it.
     */
    TaskWrite writeOf(Task current, Task changed, TaskEventType type, Actor actor) {
        return writeOf(
                HistoryEntry.changed(EntryIds.at(changed.times().updatedAt()), type, current, changed, actor),
                current,
                changed);
    }

    /** As {@link #writeOf(Task, Task, TaskEventType, Actor)}, recording {@code reason}. */
    TaskWrite writeOf(Task current, Task changed, TaskEventType type, Actor actor, String reason) {
        return writeOf(
                HistoryEntry.changed(EntryIds.at(changed.times().updatedAt()), type, current, changed, actor)
                        .withReason(reason),
                current,
                changed);
    }

    /**
     * The write of {@code changed} over {@code current}. A change that makes the task scheduled or moves its scheduled
     * start (an update, a reschedule) keeps the trace context of the call making it: its send comes from that call.
     */
    private TaskWrite writeOf(HistoryEntry entry, Task current, Task changed) {
        Task kept = current.schedulesAnew(changed) ? changed.traced(traceContext()) : changed;
        return new TaskWrite(kept, current.version(), entry, eventsOf(entry, kept));
    }

    /** Writes {@code changed} over {@code current} with its history entry and event, then publishes the event. */
    Either<TaskError, Task> write(Task current, Task changed, TaskEventType type, Actor actor) {
        return write(writeOf(current, changed, type, actor));
    }

    /** Writes {@code write} on its own, then publishes its events. */
    Either<TaskError, Task> write(TaskWrite write) {
        return store.update(write.changed(), write.expectedVersion(), write.history(), write.events())
                .peek(saved -> relay.publishCommitted(write.events()));
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

    /**
     * The events a write recorded by {@code entry}, leaving {@code task}, keeps: the one that agrees with it, or none
     * when the engine keeps none.
     */
    List<TaskEvent> eventsOf(HistoryEntry entry, Task task) {
        return relay.enabled() ? List.of(TaskEvent.of(entry, task)) : List.of();
    }
}
