package dev.taskengine.adapter.memory;

import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.ClaimedDelivery;
import dev.taskengine.store.DeliveryAttempt;
import dev.taskengine.store.Lease;
import dev.taskengine.store.NewDelivery;
import dev.taskengine.store.RecordedAttempt;
import dev.taskengine.store.StoredDeliveries;
import dev.taskengine.store.WebhookFailures;
import dev.taskengine.store.WebhookStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Webhook subscriptions and deliveries in memory, for one process; every operation holds one lock. */
public final class InMemoryWebhookStore implements WebhookStore {
    private final Map<UUID, WebhookSubscription> subscriptions = new LinkedHashMap<>();
    /** Deliveries by position, the order they were kept in. */
    private final TreeMap<Long, Stored> deliveries = new TreeMap<>();

    private long nextPosition = 1;

    /** A delivery as kept: what it delivers, where it stands, its attempts and who holds it. */
    private record Stored(
            long position,
            NewDelivery delivery,
            WebhookDelivery.State state,
            Optional<Instant> nextAttemptAt,
            Optional<Instant> finishedAt,
            List<WebhookDelivery.Attempt> attempts,
            Optional<Lease> lease) {
        Stored withLease(Lease value) {
            return new Stored(position, delivery, state, nextAttemptAt, finishedAt, attempts, Optional.of(value));
        }

        WebhookDelivery view() {
            return new WebhookDelivery(
                    delivery.subscriptionId(),
                    delivery.eventId(),
                    delivery.eventType(),
                    delivery.taskId(),
                    state,
                    delivery.createdAt(),
                    nextAttemptAt,
                    finishedAt,
                    attempts);
        }
    }

    @Override
    public synchronized void insertWebhook(WebhookSubscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (subscriptions.putIfAbsent(subscription.id(), subscription) != null) {
            throw new IllegalArgumentException("subscription " + subscription.id() + " is stored already");
        }
    }

    @Override
    public synchronized Optional<WebhookSubscription> findWebhook(TenantId tenant, UUID id) {
        return Optional.ofNullable(subscriptions.get(id)).filter(s -> s.tenant().equals(tenant));
    }

    @Override
    public synchronized List<WebhookSubscription> webhooks(TenantId tenant) {
        return subscriptions.values().stream()
                .filter(s -> s.tenant().equals(tenant))
                .toList();
    }

    @Override
    public synchronized Update updateWebhook(WebhookSubscription subscription, long expectedVersion) {
        Optional<WebhookSubscription> stored = findWebhook(subscription.tenant(), subscription.id());
        if (stored.isEmpty()) {
            return Update.NOT_FOUND;
        }
        if (stored.get().version() != expectedVersion) {
            return Update.CONFLICT;
        }
        subscriptions.put(subscription.id(), subscription.withVersion(expectedVersion + 1));
        return Update.UPDATED;
    }

    @Override
    public synchronized boolean deleteWebhook(TenantId tenant, UUID id) {
        if (findWebhook(tenant, id).isEmpty()) {
            return false;
        }
        subscriptions.remove(id);
        deliveries.values().removeIf(d -> d.delivery().subscriptionId().equals(id));
        return true;
    }

    @Override
    public synchronized List<WebhookSubscription> enabledWebhooks(Collection<TenantId> tenants) {
        Set<TenantId> wanted = Set.copyOf(tenants);
        return subscriptions.values().stream()
                .filter(s -> s.enabled() && wanted.contains(s.tenant()))
                .toList();
    }

    @Override
    public synchronized int enqueueDeliveries(List<NewDelivery> wanted) {
        Set<List<UUID>> kept = new HashSet<>();
        for (Stored stored : deliveries.values()) {
            kept.add(List.of(
                    stored.delivery().subscriptionId(), stored.delivery().eventId()));
        }
        int added = 0;
        for (NewDelivery delivery : wanted) {
            WebhookSubscription subscription = subscriptions.get(delivery.subscriptionId());
            if (subscription == null
                    || !subscription.tenant().equals(delivery.tenant())
                    || !kept.add(List.of(delivery.subscriptionId(), delivery.eventId()))) {
                continue;
            }
            long position = nextPosition++;
            deliveries.put(
                    position,
                    new Stored(
                            position,
                            delivery,
                            WebhookDelivery.State.PENDING,
                            Optional.of(delivery.createdAt()),
                            Optional.empty(),
                            List.of(),
                            Optional.empty()));
            added++;
        }
        return added;
    }

    @Override
    public synchronized List<ClaimedDelivery> claimDeliveries(Instant now, Lease lease, int limit) {
        Set<List<Object>> headsSeen = new HashSet<>();
        List<Stored> due = new ArrayList<>();
        for (Stored stored : deliveries.values()) {
            if (stored.state() != WebhookDelivery.State.PENDING) {
                continue;
            }
            // Only the oldest pending delivery of a task for a subscription may go, whatever its own state.
            if (!headsSeen.add(List.of(
                    stored.delivery().subscriptionId(), stored.delivery().taskId()))) {
                continue;
            }
            WebhookSubscription subscription =
                    subscriptions.get(stored.delivery().subscriptionId());
            boolean leased = stored.lease().map(l -> l.until().isAfter(now)).orElse(false);
            if (subscription != null
                    && subscription.enabled()
                    && !leased
                    && !stored.nextAttemptAt().orElseThrow().isAfter(now)) {
                due.add(stored);
            }
        }
        due.sort((a, b) -> {
            int byTime =
                    a.nextAttemptAt().orElseThrow().compareTo(b.nextAttemptAt().orElseThrow());
            return byTime != 0 ? byTime : Long.compare(a.position(), b.position());
        });
        List<ClaimedDelivery> claimed = new ArrayList<>();
        for (Stored stored : due.subList(0, Math.min(limit, due.size()))) {
            deliveries.put(stored.position(), stored.withLease(lease));
            claimed.add(new ClaimedDelivery(
                    stored.position(),
                    stored.delivery(),
                    stored.attempts().size(),
                    subscriptions.get(stored.delivery().subscriptionId())));
        }
        return claimed;
    }

    @Override
    public synchronized Optional<RecordedAttempt> recordAttempt(DeliveryAttempt attempt) {
        Stored stored = deliveries.get(attempt.position());
        if (stored == null
                || stored.state() != WebhookDelivery.State.PENDING
                || !stored.lease().map(attempt.lease()::equals).orElse(false)) {
            return Optional.empty();
        }
        List<WebhookDelivery.Attempt> attempts = new ArrayList<>(stored.attempts());
        attempts.add(attempt.attempt());
        boolean finished = attempt.state() != WebhookDelivery.State.PENDING;
        deliveries.put(
                stored.position(),
                new Stored(
                        stored.position(),
                        stored.delivery(),
                        attempt.state(),
                        attempt.nextAttemptAt(),
                        finished ? Optional.of(attempt.attempt().at()) : Optional.empty(),
                        attempts,
                        Optional.empty()));
        WebhookSubscription before = subscriptions.get(stored.delivery().subscriptionId());
        WebhookSubscription after = WebhookFailures.counted(before, attempt);
        subscriptions.put(after.id(), after);
        return Optional.of(new RecordedAttempt(after, before.enabled() && !after.enabled()));
    }

    @Override
    public synchronized StoredDeliveries deliveries(
            TenantId tenant, UUID subscription, int limit, OptionalLong before) {
        if (findWebhook(tenant, subscription).isEmpty()) {
            return new StoredDeliveries(List.of(), OptionalLong.empty());
        }
        List<WebhookDelivery> page = new ArrayList<>();
        long last = 0;
        boolean more = false;
        for (Stored stored : deliveries.descendingMap().values()) {
            if (!stored.delivery().subscriptionId().equals(subscription)
                    || (before.isPresent() && stored.position() >= before.getAsLong())) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(stored.view());
            last = stored.position();
        }
        return new StoredDeliveries(page, more ? OptionalLong.of(last) : OptionalLong.empty());
    }

    @Override
    public synchronized int forgetDeliveries(Instant finishedBefore) {
        int before = deliveries.size();
        deliveries
                .values()
                .removeIf(
                        d -> d.finishedAt().map(f -> f.isBefore(finishedBefore)).orElse(false));
        return before - deliveries.size();
    }
}
