package dev.taskengine.internal;

import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves events from the store's outbox to the publisher, at least once: an event is marked published only after the
 * publisher took it, so a crash or a failing publisher leaves it pending for the next relay.
 */
final class EventRelay {
    private static final System.Logger LOG = System.getLogger(EventRelay.class.getName());
    private static final int BATCH = 200;

    private final TaskStore store;
    private final EventPublisher publisher;
    private final boolean outbox;
    private final boolean publishesOnCommit;
    private final Optional<WebhookDispatch> webhooks;
    private final EngineObserver observer;

    EventRelay(
            TaskStore store,
            EventPublisher publisher,
            boolean outbox,
            Optional<WebhookDispatch> webhooks,
            EngineObserver observer) {
        this.observer = observer;
        this.store = store;
        this.publisher = publisher;
        this.outbox = outbox;
        this.publishesOnCommit = store.commitsEachWrite();
        this.webhooks = webhooks;
    }

    /** Whether writes keep their events in the outbox at all (the builder's choice). */
    boolean enabled() {
        return outbox;
    }

    /**
     * Publishes events whose write just returned. Never throws: the write is committed, and whatever goes wrong here
     * (a publisher or the store failing) leaves the events pending for the next relay. Events written inside a host's
     * transaction are not published here at all: they wait in the outbox until the host commits. With webhooks, events
     * are not published here either: the relay of a running scheduler publishes them and enqueues their deliveries
     * together (so that the write's caller never waits for the deliveries to be kept).
     */
    void publishCommitted(List<TaskEvent> events) {
        if (events.isEmpty() || !publishesOnCommit || webhooks.isPresent()) {
            return;
        }
        try {
            publishAll(events);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "events stay pending after a committed write", e);
        }
    }

    /**
     * Publishes every pending event it can; answers how many it published. Never throws. An engine whose store is bound
     * to a host's open transaction relays nothing: it would publish events that may yet be rolled back. Relay from an
     * engine on a store that commits each write (a running scheduler does it at every poll).
     */
    int relayPending() {
        if (!enabled() || !publishesOnCommit) {
            return 0;
        }
        int total = 0;
        try {
            while (true) {
                List<TaskEvent> pending = store.pendingEvents(BATCH);
                // Deliveries are kept before the events are marked published: a crash in between enqueues them again,
                // and the store keeps each delivery once.
                webhooks.ifPresent(dispatch -> dispatch.enqueue(pending));
                int published = publishAll(pending);
                total += published;
                if (published < pending.size() || pending.size() < BATCH) {
                    return total;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "relaying pending events failed after " + total + "; they stay pending",
                    e);
            return total;
        }
    }

    /**
     * Publishes in order until the publisher refuses one, marks the published ones, answers how many. A refused event
     * holds back the ones after it, so that a subscriber sees each task's events in order.
     */
    private int publishAll(List<TaskEvent> events) {
        List<TaskEvent> published = new ArrayList<>(events.size());
        for (TaskEvent event : events) {
            if (!publish(event)) {
                break;
            }
            published.add(event);
        }
        if (!published.isEmpty()) {
            store.markPublished(published);
            observer.published(published.size());
        }
        return published.size();
    }

    private boolean publish(TaskEvent event) {
        try {
            publisher.publish(event);
            return true;
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "event publisher failed for " + event.type() + " of task " + event.taskId()
                            + "; the event stays pending",
                    e);
            return false;
        }
    }
}
