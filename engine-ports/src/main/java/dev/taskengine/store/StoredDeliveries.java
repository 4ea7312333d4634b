package dev.taskengine.store;

import dev.taskengine.api.WebhookDelivery;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/** A page of a delivery log, newest first; {@code next} is the position to read before, when there may be more. */
public record StoredDeliveries(List<WebhookDelivery> deliveries, OptionalLong next) {
    public StoredDeliveries {
        deliveries = List.copyOf(deliveries);
        Objects.requireNonNull(next, "next");
    }
}
