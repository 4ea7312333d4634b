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

    /** Keeps {@code subscription}, at its {@link WebhookSubscription#version() version} (0 for a new one). */
    void insertWebhook(WebhookSubscription subscription);

    Optional<WebhookSubscription> findWebhook(TenantId tenant, UUID id);

    /** The tenant's subscriptions, oldest first. */
    List<WebhookSubscription> webhooks(TenantId tenant);

    /**
     * Replaces the stored subscription of that tenant and id with {@code subscription}, at version
     * {@code expectedVersion + 1}, if and only if it is still stored at {@code expectedVersion}: a compare-and-set of the
     * whole subscription (its url, types, secrets, disabled fields and failure counts), so that a change made from a
     * subscription read earlier never undoes what another write made of it since (a concurrent change of the host, or an
     * attempt on another engine that counted a failure or disabled it). The version of {@code subscription} itself is
     * not read: the stored one is {@code expectedVersion + 1}.
     *
     * @return {@link Update#UPDATED} when it was replaced; {@link Update#CONFLICT} when it is stored at another version,
     *     and then nothing was changed (read it again and make the change again from what was read);
     *     {@link Update#NOT_FOUND} when no subscription of that tenant and id is stored
     */
    Update updateWebhook(WebhookSubscription subscription, long expectedVersion);

    /** What {@link #updateWebhook} made of a subscription. */
    enum Update {
        /** Replaced; it is now at the version expected plus one. */
        UPDATED,
        /** Stored at another version than expected: nothing was changed. */
        CONFLICT,
        /** None of that tenant and id is stored. */
        NOT_FOUND
    }

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
     * subscription's failures; see {@link DeliveryAttempt}. When it changes the subscription (its failure counts or its
     * disabled fields, as {@link WebhookFailures#counted} says) the subscription's version is one more; a delivered
     * attempt of a subscription without failures leaves it, and its version, as they were. Records nothing and answers empty when that lease no longer
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
