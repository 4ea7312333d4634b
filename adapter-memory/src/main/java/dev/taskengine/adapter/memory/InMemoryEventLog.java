package dev.taskengine.adapter.memory;

import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.TaskEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every published event in order, for hosts that read them back (and for tests). Thread-safe. */
public final class InMemoryEventLog implements EventPublisher {
    private final CopyOnWriteArrayList<TaskEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(TaskEvent event) {
        events.add(event);
    }

    /** A snapshot of the events so far, oldest first. */
    public List<TaskEvent> events() {
        return List.copyOf(events);
    }

    public void clear() {
        events.clear();
    }
}
