package dev.taskengine.ports;

/** Receives lifecycle events after the write they describe succeeded. */
@FunctionalInterface
public interface EventPublisher {

    void publish(TaskEvent event);

    /** A publisher that drops every event. */
    static EventPublisher none() {
        return event -> {};
    }
}
