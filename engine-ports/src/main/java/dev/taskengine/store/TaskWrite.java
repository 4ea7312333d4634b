package dev.taskengine.store;

import dev.taskengine.domain.Task;
import dev.taskengine.spi.TaskEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One versioned write of {@link TaskStore#updateAll}: {@code changed} over the stored version {@code expectedVersion},
 * with its events. Like every write it ends the task's claim, unless it {@link #holding holds} a lease: then the task
 * stays claimed under that lease (a scheduler's execution record, whose send is yet to come).
 */
public final class TaskWrite {
    private final Task changed;
    private final long expectedVersion;
    private final List<TaskEvent> events;
    private final Lease lease;

    public TaskWrite(Task changed, long expectedVersion, List<TaskEvent> events) {
        this(changed, expectedVersion, events, null);
    }

    private TaskWrite(Task changed, long expectedVersion, List<TaskEvent> events, Lease lease) {
        this.changed = Objects.requireNonNull(changed, "changed");
        this.expectedVersion = expectedVersion;
        this.events = List.copyOf(Objects.requireNonNull(events, "events"));
        this.lease = lease;
    }

    /** The same write, leaving the task claimed under {@code value} instead of ending its claim. */
    public TaskWrite holding(Lease value) {
        return new TaskWrite(changed, expectedVersion, events, Objects.requireNonNull(value, "lease"));
    }

    public Task changed() {
        return changed;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public List<TaskEvent> events() {
        return events;
    }

    /** The lease the task is left claimed under; empty when the write ends its claim. */
    public Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskWrite that
                && expectedVersion == that.expectedVersion
                && changed.equals(that.changed)
                && events.equals(that.events)
                && Objects.equals(lease, that.lease);
    }

    @Override
    public int hashCode() {
        return Objects.hash(changed, expectedVersion, events, lease);
    }

    @Override
    public String toString() {
        return "TaskWrite[changed=" + changed + ", expectedVersion=" + expectedVersion + ", events=" + events
                + ", lease=" + lease + "]";
    }
}
