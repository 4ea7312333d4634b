package dev.taskengine.adapter.memory;

import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sender that keeps what it is asked to send, honouring idempotency keys (a second message with a key already sent is
 * acknowledged, not kept again), and that a host or a test can make fail for chosen recipients. Thread-safe.
 */
public final class InMemoryMessageSender implements MessageSender {
    private final Map<String, OutgoingMessage> byKey = new ConcurrentHashMap<>();
    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    private final Map<String, Delivery.Failed> failures = new ConcurrentHashMap<>();

    @Override
    public Delivery send(OutgoingMessage message) {
        Delivery.Failed failure = failures.get(message.to());
        if (failure != null) {
            return failure;
        }
        if (byKey.putIfAbsent(message.idempotencyKey(), message) == null) {
            sent.add(message);
        }
        return Delivery.delivered("mem-" + message.idempotencyKey());
    }

    /** Every send to {@code recipient} fails as said, until {@link #heal}. */
    public InMemoryMessageSender failFor(String recipient, String reason, boolean transientFailure) {
        failures.put(recipient, new Delivery.Failed(reason, transientFailure));
        return this;
    }

    public InMemoryMessageSender heal(String recipient) {
        failures.remove(recipient);
        return this;
    }

    /** The messages delivered, once per idempotency key, in order. */
    public List<OutgoingMessage> sent() {
        return List.copyOf(sent);
    }
}
