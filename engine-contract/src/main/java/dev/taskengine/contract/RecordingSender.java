package dev.taskengine.contract;

import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sender for tests: records every call, delivers once per idempotency key, and fails for recipients it is told to.
 * Thread-safe.
 */
public final class RecordingSender implements MessageSender {
    private final List<OutgoingMessage> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, OutgoingMessage> delivered = new ConcurrentHashMap<>();
    private final Map<String, Delivery.Failed> failures = new ConcurrentHashMap<>();

    @Override
    public Delivery send(OutgoingMessage message) {
        calls.add(message);
        Delivery.Failed failure = failures.get(message.to());
        if (failure != null) {
            return failure;
        }
        delivered.putIfAbsent(message.idempotencyKey(), message);
        return Delivery.delivered("rec-" + message.idempotencyKey());
    }

    public RecordingSender failFor(String recipient, String reason, boolean transientFailure) {
        failures.put(recipient, new Delivery.Failed(reason, transientFailure));
        return this;
    }

    public void heal(String recipient) {
        failures.remove(recipient);
    }

    /** Every call, resends included. */
    public List<OutgoingMessage> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** What was delivered: one message per idempotency key. */
    public List<OutgoingMessage> delivered() {
        return List.copyOf(delivered.values());
    }
}
