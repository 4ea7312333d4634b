package dev.taskengine.store;

import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Task;
import dev.taskengine.spi.TaskEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One versioned write of {@link TaskStore#updateAll}: {@code changed} over the stored version {@code expectedVersion},
 * with the history entry that records it and its events. Like every write it ends the task's claim, unless it {@link #holding holds} a lease: then the task
 * stays claimed under that lease (a scheduler's execution record, whose send is yet to come). A write that
 * {@link #counting counts a send} is kept only if the account's sending limits allow that send.
 */
public final class TaskWrite {
    private final Task changed;
    private final long expectedVersion;
    private final HistoryEntry history;
    private final List<TaskEvent> events;
    private final Lease lease;
    private final CountedSend send;

    public TaskWrite(Task changed, long expectedVersion, HistoryEntry history, List<TaskEvent> events) {
        this(changed, expectedVersion, history, events, null, null);
    }

    private TaskWrite(
            Task changed,
            long expectedVersion,
            HistoryEntry history,
            List<TaskEvent> events,
            Lease lease,
            CountedSend send) {
        this.changed = Objects.requireNonNull(changed, "changed");
        this.expectedVersion = expectedVersion;
        this.history = Objects.requireNonNull(history, "history");
        if (!history.taskId().equals(changed.id()) || history.version() != changed.version()) {
            throw new IllegalArgumentException("a write's history entry records that write: " + history.taskId() + " v"
                    + history.version() + " is not " + changed.id() + " v" + changed.version());
        }
        this.events = List.copyOf(Objects.requireNonNull(events, "events"));
        this.lease = lease;
        this.send = send;
    }

    /** The same write, leaving the task claimed under {@code value} instead of ending its claim. */
    public TaskWrite holding(Lease value) {
        return new TaskWrite(changed, expectedVersion, history, events, Objects.requireNonNull(value, "lease"), send);
    }

    /**
     * The same write, kept only if {@code value}'s account may send at its time under its limits, and then counting that
     * send; refused otherwise with {@link dev.taskengine.domain.TaskError.SendingLimitReached}, nothing written.
     */
    public TaskWrite counting(CountedSend value) {
        return new TaskWrite(changed, expectedVersion, history, events, lease, Objects.requireNonNull(value, "send"));
    }

    public Task changed() {
        return changed;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    /** The history entry of this write, kept with it. */
    public HistoryEntry history() {
        return history;
    }

    public List<TaskEvent> events() {
        return events;
    }

    /** The lease the task is left claimed under; empty when the write ends its claim. */
    public Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    /** The send this write counts against its account's limits; empty when it counts none. */
    public Optional<CountedSend> send() {
        return Optional.ofNullable(send);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskWrite that
                && expectedVersion == that.expectedVersion
                && changed.equals(that.changed)
                && history.equals(that.history)
                && events.equals(that.events)
                && Objects.equals(lease, that.lease)
                && Objects.equals(send, that.send);
    }

    @Override
    public int hashCode() {
        return Objects.hash(changed, expectedVersion, history, events, lease, send);
    }

    @Override
    public String toString() {
        return "TaskWrite[changed=" + changed + ", expectedVersion=" + expectedVersion + ", history=" + history
                + ", events=" + events + ", lease=" + lease + ", send=" + send + "]";
    }
}
