package dev.taskengine.example.boot;

import dev.taskengine.spi.TaskEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The events published so far (for the tests and GET /events). */
public final class EventLog {
    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

    void add(TaskEvent event) {
        events.add(event);
    }

    public List<TaskEvent> events() {
        return List.copyOf(events);
    }
}
