package dev.taskengine.reliability;

import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import java.util.ArrayList;
import java.util.List;

/** A sender told, before each execution, how the next send goes: delivered, failed, or thrown. One thread at a time. */
final class ScriptedSender implements MessageSender {
    enum Outcome {
        DELIVER,
        FAIL_TRANSIENT,
        FAIL_PERMANENT,
        THROW
    }

    static final String TRANSIENT_REASON = "provider timeout";
    static final String PERMANENT_REASON = "mailbox unavailable";
    static final String THROWN = "boom";

    private Outcome next = Outcome.DELIVER;
    private final List<OutgoingMessage> calls = new ArrayList<>();

    void next(Outcome outcome) {
        this.next = outcome;
    }

    List<OutgoingMessage> calls() {
        return calls;
    }

    @Override
    public Delivery send(OutgoingMessage message) {
        calls.add(message);
        return switch (next) {
            case DELIVER -> Delivery.delivered("msg-" + message.idempotencyKey());
            case FAIL_TRANSIENT -> Delivery.transientFailure(TRANSIENT_REASON);
            case FAIL_PERMANENT -> Delivery.permanentFailure(PERMANENT_REASON);
            case THROW -> throw new IllegalStateException(THROWN);
        };
    }
}
