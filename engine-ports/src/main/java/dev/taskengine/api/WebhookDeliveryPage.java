package dev.taskengine.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A page of a subscription's delivery log, newest first; {@code nextCursor} reads the page after it. */
public record WebhookDeliveryPage(List<WebhookDelivery> items, Optional<String> nextCursor) {
    public WebhookDeliveryPage {
        items = List.copyOf(items);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
