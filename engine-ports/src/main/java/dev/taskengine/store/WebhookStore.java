package dev.taskengine.store;

import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Where webhook subscriptions, their deliveries and the delivery log are kept, for every engine on one database. A
 * delivery is one event for one subscription; the store keeps each at most once, in the order it was handed them, and
 * hands out (claims) only the oldest pending delivery of each task for each subscription, so that a receiver gets a
 * task's events in order whichever engine delivers them.
 */
public interface WebhookStore {

    void insertWebhook(WebhookSubscription subscription);

    Optional<WebhookSubscription> findWebhook(TenantId tenant, UUID id);

    /** The tenant's subscriptions, oldest first. */
    List<WebhookSubscription> webhooks(TenantId tenant);

    /** Replaces the stored subscription of that tenant and id with {@code subscription}; false when none is stored. */
    boolean updateWebhook(WebhookSubscription subscription);

    /** Deletes the subscription with its deliveries and their attempts; false when none is stored. */
    boolean deleteWebhook(TenantId tenant, UUID id);

    /** The enabled subscriptions of {@code tenants}. */
    List<WebhookSubscription> enabledWebhooks(Collection<TenantId> tenants);

    /**
     * Keeps {@code deliveries} as pending, due at once, in the order given, each after every delivery kept before it; a
     * delivery of an event already kept for that subscription (or whose subscription is gone) is skipped. Answers how
     * many were kept.
     */
    int enqueueDeliveries(List<NewDelivery> deliveries);

    /**
     * Claims up to {@code limit} pending deliveries due at {@code now} under {@code lease}, across tenants: of enabled
     * subscriptions only, not under another live lease, and only the oldest pending delivery of its task for its
     * subscription. Several engines never claim one delivery at once.
     */
    List<ClaimedDelivery> claimDeliveries(Instant now, Lease lease, int limit);

    /**
     * Records an attempt of a delivery claimed under {@code attempt.lease()}, with the delivery's new state and the
     * subscription's failures; see {@link DeliveryAttempt}. Records nothing and answers empty when that lease no longer
     * holds the delivery (it ran out and another engine claimed it).
     */
    Optional<RecordedAttempt> recordAttempt(DeliveryAttempt attempt);

    /**
     * Up to {@code limit} deliveries of the subscription, newest first, each with its attempts; before position
     * {@code before} when given.
     */
    StoredDeliveries deliveries(TenantId tenant, UUID subscription, int limit, OptionalLong before);

    /** Forgets delivered and given-up deliveries finished before {@code finishedBefore}; answers how many. */
    int forgetDeliveries(Instant finishedBefore);
}
