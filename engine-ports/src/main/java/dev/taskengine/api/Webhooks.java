package dev.taskengine.api;

import dev.taskengine.domain.TenantId;
import io.vavr.control.Either;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's webhook subscriptions and their delivery logs ({@link TaskEngine#webhooks()}). Every event a subscription
 * wants is delivered at least once, in order per task, signed as Standard Webhooks asks ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}); the body is the event's payload
 * ({@link dev.taskengine.spi.TaskEvent#payload()}). Deliveries are made by the engines whose scheduler runs.
 */
public interface Webhooks {

    /** Creates a subscription; its secret is in the answer (one is made when none was given). */
    Either<WebhookError, WebhookSubscription> create(NewWebhook subscription);

    /**
     * Changes what {@code change} gives of subscription {@code id}, and nothing else: what other writers made of it
     * meanwhile (a disable by a 410 or by failures on another engine, its failure counts) is kept, unless the change
     * itself enables it. A {@link WebhookError.Conflict} when others changed it every time the change was made again.
     */
    Either<WebhookError, WebhookSubscription> change(TenantId tenant, UUID id, WebhookChange change);

    /**
     * Replaces the signing secret with {@code secret} (one is made when empty); the previous one still signs, beside the
     * new one, for {@link WebhookOptions#secretOverlap()}, so that a receiver can switch without losing an event. Of
     * two rotations at once, both are kept, one after the other (the later one's previous secret is the earlier one's);
     * a {@link WebhookError.Conflict} as for {@link #change}.
     */
    Either<WebhookError, WebhookSubscription> rotateSecret(TenantId tenant, UUID id, Optional<String> secret);

    /** Deletes subscription {@code id}, its pending deliveries and its log. */
    Either<WebhookError, WebhookSubscription> delete(TenantId tenant, UUID id);

    Optional<WebhookSubscription> find(TenantId tenant, UUID id);

    /** The tenant's subscriptions, oldest first. */
    List<WebhookSubscription> list(TenantId tenant);

    /**
     * A page of subscription {@code id}'s delivery log, newest first: {@code limit} (1 to 100) deliveries after
     * {@code cursor} (a page's {@code nextCursor}; empty for the first page).
     */
    Either<WebhookError, WebhookDeliveryPage> deliveries(TenantId tenant, UUID id, int limit, Optional<String> cursor);
}
