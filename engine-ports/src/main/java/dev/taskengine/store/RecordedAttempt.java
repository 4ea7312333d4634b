package dev.taskengine.store;

import dev.taskengine.api.WebhookSubscription;
import java.util.Objects;
import java.util.Optional;

/** What recording an attempt did: the subscription after it, and whether this attempt disabled it. */
public record RecordedAttempt(WebhookSubscription subscription, boolean disabledNow) {
    public RecordedAttempt {
        Objects.requireNonNull(subscription, "subscription");
    }

    /** The subscription this attempt disabled, if it did. */
    public Optional<WebhookSubscription> disabled() {
        return disabledNow ? Optional.of(subscription) : Optional.empty();
    }
}
