package dev.taskengine.spi;

/**
 * Receives lifecycle events after the write they describe committed, at least once: deduplicate by {@link TaskEvent#id()}.
 * An exception leaves the event pending, to be published again later.
 */
@FunctionalInterface
public interface EventPublisher {

    void publish(TaskEvent event);

    /** A publisher that drops every event (whether events are kept is the engine builder's setting, not this one's). */
    static EventPublisher none() {
        return event -> {};
    }
}
