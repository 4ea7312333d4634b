package dev.taskengine.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a subscription: only what is given changes. Enabling a subscription clears its failures; its pending
 * deliveries are attempted again.
 */
public record WebhookChange(Optional<String> url, Optional<List<String>> eventTypes, Optional<Boolean> enabled) {
    public WebhookChange {
        Objects.requireNonNull(url, "url");
        eventTypes = eventTypes.map(List::copyOf);
        Objects.requireNonNull(enabled, "enabled");
    }

    public static WebhookChange none() {
        return new WebhookChange(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public WebhookChange url(String value) {
        return new WebhookChange(Optional.ofNullable(value), eventTypes, enabled);
    }

    public WebhookChange eventTypes(List<String> names) {
        return new WebhookChange(url, Optional.of(names), enabled);
    }

    public WebhookChange enabled(boolean value) {
        return new WebhookChange(url, eventTypes, Optional.of(value));
    }
}
