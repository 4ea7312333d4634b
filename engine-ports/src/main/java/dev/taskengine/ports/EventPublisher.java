package dev.taskengine.ports;

/**
 * Receives lifecycle events after the write they describe committed, at least once: deduplicate by {@link TaskEvent#id()}.
 * An exception leaves the event pending, to be published again later.
 */
@FunctionalInterface
public interface EventPublisher {

    void publish(TaskEvent event);

    /** A publisher that drops every event; an engine with it stores no events at all. */
    EventPublisher NONE = event -> {};

    static EventPublisher none() {
        return NONE;
    }
}
