package dev.taskengine.spi;

/** What a sender answers. An exception thrown by a sender counts as a transient failure. */
public sealed interface Delivery {

    /** Accepted by the provider (or recognised as already sent under the same idempotency key). */
    record Delivered(String providerMessageId) implements Delivery {}

    /**
     * Not delivered. {@code transientFailure}: trying again may work (timeout, rate limit, outage); otherwise it will
     * not (invalid address, blocked recipient).
     */
    record Failed(String reason, boolean transientFailure) implements Delivery {}

    static Delivery delivered(String providerMessageId) {
        return new Delivered(providerMessageId);
    }

    static Delivery transientFailure(String reason) {
        return new Failed(reason, true);
    }

    static Delivery permanentFailure(String reason) {
        return new Failed(reason, false);
    }
}
