package dev.taskengine.spi;

/** Sends emails and SMS for executed tasks. Should honour {@link OutgoingMessage#idempotencyKey()}. */
@FunctionalInterface
public interface MessageSender {

    Delivery send(OutgoingMessage message);

    /** The default when a host configured none: every send fails permanently, saying so. */
    static MessageSender none() {
        return message -> Delivery.permanentFailure("no message sender is configured for this engine");
    }
}
