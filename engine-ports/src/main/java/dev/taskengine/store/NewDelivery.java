package dev.taskengine.store;

import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An event to deliver to a subscription: its id, type, task and payload (the body), made at {@code createdAt}. */
public record NewDelivery(
        UUID subscriptionId,
        TenantId tenant,
        UUID eventId,
        TaskEventType eventType,
        TaskId taskId,
        String payload,
        Instant createdAt) {
    public NewDelivery {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
