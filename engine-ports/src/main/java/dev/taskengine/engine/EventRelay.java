package dev.taskengine.engine;

import dev.taskengine.ports.EventPublisher;
import dev.taskengine.ports.TaskEvent;
import dev.taskengine.ports.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Moves events from the store's outbox to the publisher, at least once: an event is marked published only after the
 * publisher took it, so a crash or a failing publisher leaves it pending for the next relay.
 */
final class EventRelay {
    private static final System.Logger LOG = System.getLogger(EventRelay.class.getName());
    private static final int BATCH = 200;

    private final TaskStore store;
    private final EventPublisher publisher;

    EventRelay(TaskStore store, EventPublisher publisher) {
        this.store = store;
        this.publisher = publisher;
    }

    /** Whether events are kept at all: an engine without a publisher stores none. */
    boolean enabled() {
        return publisher != EventPublisher.NONE;
    }

    /** Publishes events that were just committed; those the publisher refuses stay pending. */
    void publishCommitted(List<TaskEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<UUID> published = new ArrayList<>(events.size());
        for (TaskEvent event : events) {
            if (!publish(event)) {
                break;
            }
            published.add(event.id());
        }
        if (!published.isEmpty()) {
            store.markPublished(published);
        }
    }

    /** Publishes every pending event it can; answers how many it published. */
    int relayPending() {
        if (!enabled()) {
            return 0;
        }
        int total = 0;
        while (true) {
            List<TaskEvent> pending = store.pendingEvents(BATCH);
            if (pending.isEmpty()) {
                return total;
            }
            List<UUID> published = new ArrayList<>(pending.size());
            for (TaskEvent event : pending) {
                if (!publish(event)) {
                    break;
                }
                published.add(event.id());
            }
            if (!published.isEmpty()) {
                store.markPublished(published);
            }
            total += published.size();
            if (published.size() < pending.size() || pending.size() < BATCH) {
                return total;
            }
        }
    }

    private boolean publish(TaskEvent event) {
        try {
            publisher.publish(event);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event publisher failed for " + event.type() + " of task " + event.taskId()
                    + "; the event stays pending", e);
            return false;
        }
    }
}
