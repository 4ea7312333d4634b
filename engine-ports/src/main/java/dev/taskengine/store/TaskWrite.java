package dev.taskengine.store;

import dev.taskengine.domain.Task;
import dev.taskengine.spi.TaskEvent;
import java.util.List;
import java.util.Objects;

/** One versioned write of {@link TaskStore#updateAll}: {@code changed} over the stored version {@code expectedVersion}, with its events. */
public record TaskWrite(Task changed, long expectedVersion, List<TaskEvent> events) {
    public TaskWrite {
        Objects.requireNonNull(changed, "changed");
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
