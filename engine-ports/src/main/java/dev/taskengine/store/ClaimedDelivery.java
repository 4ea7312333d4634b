package dev.taskengine.store;

import dev.taskengine.api.WebhookSubscription;
import java.util.Objects;

/**
 * A pending delivery claimed for an attempt: where the store keeps it ({@code position}, its order), what it delivers,
 * how many attempts it had, and its subscription as stored at the claim (its url and secrets).
 */
public record ClaimedDelivery(long position, NewDelivery delivery, int attempts, WebhookSubscription subscription) {
    public ClaimedDelivery {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(subscription, "subscription");
    }
}
