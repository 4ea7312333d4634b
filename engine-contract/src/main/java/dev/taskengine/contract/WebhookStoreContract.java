package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.ClaimedDelivery;
import dev.taskengine.store.DeliveryAttempt;
import dev.taskengine.store.Lease;
import dev.taskengine.store.NewDelivery;
import dev.taskengine.store.RecordedAttempt;
import dev.taskengine.store.StoredDeliveries;
import dev.taskengine.store.WebhookStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WebhookStore} must do: subscriptions kept per tenant; deliveries kept once each, in order; claims
 * of due deliveries that hand out only the oldest pending delivery of a task for a subscription, never one delivery to
 * two engines at once; attempts recorded only under the lease that holds the delivery, with the subscription's
 * failures counted and the subscription disabled by one rule; the delivery log, newest first. An adapter's test extends
 * this class and implements {@link #store()}.
 *
 * <p>The store may be shared between tests (one database): claims run across tenants, so each test deletes its
 * subscriptions (and with them their deliveries) when it ends, and no test relies on the store being empty otherwise.
 */
public abstract class WebhookStoreContract {

    /** The store under test; may be the same instance for every test. */
    protected abstract WebhookStore store();

    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final AtomicLong TASK_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private WebhookStore store;
    private TenantId tenant;
    private final List<WebhookSubscription> inserted = new ArrayList<>();

    @BeforeEach
    void setUpStore() {
        store = store();
        tenant = freshTenant();
    }

    @AfterEach
    void deleteSubscriptions() {
        for (WebhookSubscription subscription : inserted) {
            store.deleteWebhook(subscription.tenant(), subscription.id());
        }
    }

    // --- fixtures

    private WebhookSubscription subscription(TenantId owner, Instant createdAt) {
        return new WebhookSubscription(
                UUID.randomUUID(),
                owner,
                URI.create("https://receiver.example/hooks/" + UUID.randomUUID()),
                Set.of(),
                List.of(new WebhookSubscription.Secret("whsec_c2VjcmV0LWtleQ==", createdAt, Optional.empty())),
                Optional.empty(),
                0,
                Optional.empty(),
                createdAt,
                createdAt,
                0);
    }

    private WebhookSubscription inserted(WebhookSubscription subscription) {
        store.insertWebhook(subscription);
        inserted.add(subscription);
        return subscription;
    }

    private WebhookSubscription insertedSubscription() {
        return inserted(subscription(tenant, NOW));
    }

    private static TaskId newTask() {
        return TaskId.of(TASK_IDS.incrementAndGet());
    }

    private static NewDelivery delivery(WebhookSubscription subscription, TaskId task, Instant createdAt) {
        return delivery(subscription, task, TaskEventType.UPDATED, createdAt);
    }

    private static NewDelivery delivery(
            WebhookSubscription subscription, TaskId task, TaskEventType type, Instant createdAt) {
        UUID event = UUID.randomUUID();
        return new NewDelivery(
                subscription.id(),
                subscription.tenant(),
                event,
                type,
                task,
                "{\"id\":\"" + event + "\",\"type\":\"" + type.eventName() + "\",\"taskId\":" + task.value() + "}",
                createdAt);
    }

    private NewDelivery enqueued(NewDelivery delivery) {
        assertThat(store.enqueueDeliveries(List.of(delivery))).isEqualTo(1);
        return delivery;
    }

    private static Lease lease(String owner, Instant now) {
        return new Lease(owner, now.plus(LEASE));
    }

    private List<ClaimedDelivery> claim(Instant now, String owner) {
        return store.claimDeliveries(now, lease(owner, now), 100);
    }

    private static List<UUID> events(List<ClaimedDelivery> claimed) {
        return claimed.stream().map(c -> c.delivery().eventId()).toList();
    }

    private static ClaimedDelivery only(List<ClaimedDelivery> claimed) {
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private static WebhookDelivery.Attempt answered(Instant at, int status) {
        boolean delivered = status >= 200 && status < 300;
        return new WebhookDelivery.Attempt(
                at,
                "engine-a",
                status,
                Duration.ofMillis(12).plusNanos(345_000),
                delivered ? Optional.empty() : Optional.of("the receiver answered " + status));
    }

    private static DeliveryAttempt deliveredAttempt(ClaimedDelivery claimed, Lease lease, Instant at) {
        return new DeliveryAttempt(
                claimed.position(),
                lease,
                answered(at, 204),
                WebhookDelivery.State.DELIVERED,
                Optional.empty(),
                Optional.empty(),
                5,
                Duration.ofHours(1));
    }

    private static DeliveryAttempt retriedAttempt(ClaimedDelivery claimed, Lease lease, Instant at, Instant next) {
        return failedAttempt(claimed, lease, at, next, 5, Duration.ofHours(1));
    }

    private static DeliveryAttempt failedAttempt(
            ClaimedDelivery claimed, Lease lease, Instant at, Instant next, int failures, Duration failingFor) {
        return new DeliveryAttempt(
                claimed.position(),
                lease,
                answered(at, 500),
                WebhookDelivery.State.PENDING,
                Optional.of(next),
                Optional.empty(),
                failures,
                failingFor);
    }

    private static DeliveryAttempt givenUpAttempt(ClaimedDelivery claimed, Lease lease, Instant at) {
        return new DeliveryAttempt(
                claimed.position(),
                lease,
                answered(at, 500),
                WebhookDelivery.State.FAILED,
                Optional.empty(),
                Optional.empty(),
                5,
                Duration.ofHours(1));
    }

    /** Claims the subscription's due head at {@code at} and records a failed attempt, due again at once. */
    private RecordedAttempt failOnceAt(Instant at, int failures, Duration failingFor) {
        Lease lease = lease("engine-a", at);
        ClaimedDelivery claimed = only(store.claimDeliveries(at, lease, 100));
        return store.recordAttempt(failedAttempt(claimed, lease, at, at, failures, failingFor))
                .orElseThrow();
    }

    private List<WebhookDelivery> log(WebhookSubscription subscription) {
        return store.deliveries(subscription.tenant(), subscription.id(), 1000, OptionalLong.empty())
                .deliveries();
    }

    private WebhookDelivery logged(WebhookSubscription subscription, UUID event) {
        return log(subscription).stream()
                .filter(d -> d.eventId().equals(event))
                .findFirst()
                .orElseThrow();
    }

    private static WebhookSubscription withDisabled(
            WebhookSubscription s, Optional<WebhookSubscription.Disabled> disabled) {
        return new WebhookSubscription(
                s.id(),
                s.tenant(),
                s.url(),
                s.eventTypes(),
                s.secrets(),
                disabled,
                s.consecutiveFailures(),
                s.failingSince(),
                s.createdAt(),
                s.updatedAt(),
                s.version());
    }

    private static final WebhookSubscription.Disabled BY_REQUEST =
            new WebhookSubscription.Disabled(WebhookSubscription.Reason.BY_REQUEST, NOW, "paused by the host");

    // --- subscriptions

    @Test
    void aSubscriptionIsFoundAsItWasInserted() {
        Instant created = NOW.minus(Duration.ofDays(3));
        WebhookSubscription full = new WebhookSubscription(
                UUID.randomUUID(),
                tenant,
                URI.create("https://receiver.example/hooks?team=7&x=%20y"),
                EnumSet.of(TaskEventType.CREATED, TaskEventType.COMPLETED, TaskEventType.EXECUTION_FAILED),
                List.of(
                        new WebhookSubscription.Secret("whsec_bmV3", NOW, Optional.empty()),
                        new WebhookSubscription.Secret(
                                "whsec_b2xk:with,odd;chars", created, Optional.of(NOW.plus(Duration.ofDays(1))))),
                Optional.of(new WebhookSubscription.Disabled(
                        WebhookSubscription.Reason.FAILING, NOW, "5 attempts in a row failed,\nsince yesterday")),
                5,
                Optional.of(NOW.minus(Duration.ofHours(26))),
                created,
                NOW,
                7);
        inserted(full);
        assertThat(store.findWebhook(tenant, full.id())).contains(full);
    }

    @Test
    void aSubscriptionForEveryEventTypeKeepsAnEmptySetOfTypes() {
        WebhookSubscription subscription = insertedSubscription();
        assertThat(store.findWebhook(tenant, subscription.id()).orElseThrow().eventTypes())
                .isEmpty();
    }

    @Test
    void aSubscriptionOfAnotherTenantIsNotFound() {
        WebhookSubscription subscription = insertedSubscription();
        assertThat(store.findWebhook(freshTenant(), subscription.id())).isEmpty();
        assertThat(store.findWebhook(tenant, UUID.randomUUID())).isEmpty();
    }

    @Test
    void theTenantsSubscriptionsAreListedOldestFirst() {
        WebhookSubscription first = inserted(subscription(tenant, NOW));
        WebhookSubscription second = inserted(subscription(tenant, NOW.plusSeconds(1)));
        WebhookSubscription third = inserted(subscription(tenant, NOW.plusSeconds(2)));
        inserted(subscription(freshTenant(), NOW));
        assertThat(store.webhooks(tenant)).containsExactly(first, second, third);
        assertThat(store.webhooks(freshTenant())).isEmpty();
    }

    @Test
    void anUpdateReplacesTheStoredSubscription() {
        WebhookSubscription subscription = insertedSubscription();
        WebhookSubscription changed = new WebhookSubscription(
                subscription.id(),
                tenant,
                URI.create("https://other.example/in"),
                EnumSet.of(TaskEventType.DELETED),
                List.of(
                        new WebhookSubscription.Secret("whsec_dHdv", NOW.plusSeconds(5), Optional.empty()),
                        new WebhookSubscription.Secret(
                                "whsec_c2VjcmV0LWtleQ==", NOW, Optional.of(NOW.plus(Duration.ofHours(24))))),
                Optional.of(BY_REQUEST),
                2,
                Optional.of(NOW.minusSeconds(30)),
                subscription.createdAt(),
                NOW.plusSeconds(5),
                // Not read: the store keeps it at the version expected plus one.
                42);
        assertThat(store.updateWebhook(changed, subscription.version())).isEqualTo(WebhookStore.Update.UPDATED);
        WebhookSubscription kept = changed.withVersion(subscription.version() + 1);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(kept);
        assertThat(store.webhooks(tenant)).containsExactly(kept);
    }

    @Test
    void anUpdateAtAStaleVersionKeepsNothingAndAnswersConflict() {
        WebhookSubscription subscription = insertedSubscription();
        WebhookSubscription first = withDisabled(subscription, Optional.of(BY_REQUEST));
        assertThat(store.updateWebhook(first, subscription.version())).isEqualTo(WebhookStore.Update.UPDATED);

        // Made from the subscription as read before the first update: it would enable it again.
        WebhookSubscription stale = new WebhookSubscription(
                subscription.id(),
                tenant,
                URI.create("https://other.example/in"),
                subscription.eventTypes(),
                subscription.secrets(),
                Optional.empty(),
                0,
                Optional.empty(),
                subscription.createdAt(),
                NOW.plusSeconds(5),
                subscription.version() + 1);
        assertThat(store.updateWebhook(stale, subscription.version())).isEqualTo(WebhookStore.Update.CONFLICT);
        assertThat(store.updateWebhook(stale, subscription.version() + 7)).isEqualTo(WebhookStore.Update.CONFLICT);

        WebhookSubscription stored =
                store.findWebhook(tenant, subscription.id()).orElseThrow();
        assertThat(stored).isEqualTo(first.withVersion(subscription.version() + 1));
        assertThat(stored.disabled()).contains(BY_REQUEST);
        assertThat(stored.url()).isEqualTo(subscription.url());
        // At the version read now it is kept.
        assertThat(store.updateWebhook(stale, stored.version())).isEqualTo(WebhookStore.Update.UPDATED);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(stale.withVersion(stored.version() + 1));
    }

    @Test
    void anUpdateOfAMissingSubscriptionAnswersFalse() {
        WebhookSubscription subscription = insertedSubscription();
        assertThat(store.updateWebhook(subscription(tenant, NOW), 0)).isEqualTo(WebhookStore.Update.NOT_FOUND);
        WebhookSubscription ofAnotherTenant = new WebhookSubscription(
                subscription.id(),
                freshTenant(),
                URI.create("https://other.example/in"),
                Set.of(),
                subscription.secrets(),
                Optional.empty(),
                0,
                Optional.empty(),
                NOW,
                NOW,
                0);
        assertThat(store.updateWebhook(ofAnotherTenant, subscription.version()))
                .isEqualTo(WebhookStore.Update.NOT_FOUND);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(subscription);
    }

    @Test
    void aDeleteRemovesTheSubscriptionWithItsDeliveriesAndTheirAttempts() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        store.recordAttempt(retriedAttempt(claimed, lease, NOW, NOW)).orElseThrow();

        assertThat(store.deleteWebhook(tenant, subscription.id())).isTrue();

        assertThat(store.findWebhook(tenant, subscription.id())).isEmpty();
        assertThat(log(subscription)).isEmpty();
        assertThat(events(claim(NOW.plusSeconds(1), "engine-b"))).doesNotContain(delivery.eventId());
        // Gone with it: an event for it is no longer kept.
        assertThat(store.enqueueDeliveries(List.of(delivery))).isZero();
    }

    @Test
    void aSubscriptionMadeAgainWithTheIdOfADeletedOneHasNoneOfItsDeliveries() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery pending = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery attempted = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        List<ClaimedDelivery> claimed = store.claimDeliveries(NOW, lease, 1);
        store.recordAttempt(retriedAttempt(only(claimed), lease, NOW, NOW)).orElseThrow();

        assertThat(store.deleteWebhook(tenant, subscription.id())).isTrue();
        // An enqueue after the delete keeps nothing.
        assertThat(store.enqueueDeliveries(List.of(pending, attempted))).isZero();
        inserted(subscription);

        assertThat(log(subscription)).isEmpty();
        assertThat(claim(NOW.plusSeconds(1), "engine-b"))
                .noneMatch(c -> c.delivery().subscriptionId().equals(subscription.id()));
    }

    @Test
    void aDeleteOfAMissingSubscriptionAnswersFalse() {
        WebhookSubscription subscription = insertedSubscription();
        assertThat(store.deleteWebhook(tenant, UUID.randomUUID())).isFalse();
        assertThat(store.deleteWebhook(freshTenant(), subscription.id())).isFalse();
        assertThat(store.findWebhook(tenant, subscription.id())).contains(subscription);
    }

    @Test
    void theEnabledSubscriptionsOfTheGivenTenantsAreListed() {
        TenantId other = freshTenant();
        WebhookSubscription ours = inserted(subscription(tenant, NOW));
        WebhookSubscription theirs = inserted(subscription(other, NOW));
        inserted(withDisabled(subscription(tenant, NOW), Optional.of(BY_REQUEST)));
        inserted(subscription(freshTenant(), NOW));

        assertThat(store.enabledWebhooks(List.of(tenant, other))).containsExactlyInAnyOrder(ours, theirs);
        assertThat(store.enabledWebhooks(List.of(other))).containsExactly(theirs);
        assertThat(store.enabledWebhooks(List.of())).isEmpty();
    }

    // --- enqueue

    @Test
    void enqueuedDeliveriesAreKeptPendingDueAtOnceInTheOrderGiven() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery first = delivery(subscription, newTask(), TaskEventType.CREATED, NOW);
        NewDelivery second = delivery(subscription, newTask(), TaskEventType.COMPLETED, NOW);
        NewDelivery third = delivery(subscription, newTask(), TaskEventType.DELETED, NOW.minusSeconds(1));

        assertThat(store.enqueueDeliveries(List.of(first, second, third))).isEqualTo(3);

        List<WebhookDelivery> log = log(subscription);
        assertThat(log)
                .extracting(WebhookDelivery::eventId)
                .containsExactly(third.eventId(), second.eventId(), first.eventId());
        WebhookDelivery kept = log.get(2);
        assertThat(kept)
                .isEqualTo(new WebhookDelivery(
                        subscription.id(),
                        first.eventId(),
                        TaskEventType.CREATED,
                        first.taskId(),
                        WebhookDelivery.State.PENDING,
                        NOW,
                        Optional.of(NOW),
                        Optional.empty(),
                        List.of()));
    }

    @Test
    void aLaterEnqueueIsKeptAfterEveryDeliveryKeptBefore() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery earlier = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery later = enqueued(delivery(subscription, newTask(), NOW.minusSeconds(10)));
        assertThat(log(subscription))
                .extracting(WebhookDelivery::eventId)
                .containsExactly(later.eventId(), earlier.eventId());
    }

    @Test
    void aClaimedDeliveryCarriesWhatWasEnqueuedAndItsSubscriptionAsStored() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = new NewDelivery(
                subscription.id(),
                tenant,
                UUID.randomUUID(),
                TaskEventType.NOTE_ADDED,
                newTask(),
                "{\"note\":\"line one\\nline two, \u00e9t\u00e9 \ud83d\ude80\"," + "\"pad\":\"" + "x".repeat(20_000)
                        + "\"}",
                NOW);
        enqueued(delivery);

        ClaimedDelivery claimed = only(claim(NOW, "engine-a"));

        assertThat(claimed.delivery()).isEqualTo(delivery);
        assertThat(claimed.attempts()).isZero();
        assertThat(claimed.subscription()).isEqualTo(subscription);
    }

    @Test
    void anEventIsKeptOncePerSubscription() {
        WebhookSubscription subscription = insertedSubscription();
        WebhookSubscription another = inserted(subscription(tenant, NOW));
        NewDelivery delivery = delivery(subscription, newTask(), NOW);
        NewDelivery sameEventForAnother = new NewDelivery(
                another.id(),
                tenant,
                delivery.eventId(),
                delivery.eventType(),
                delivery.taskId(),
                delivery.payload(),
                delivery.createdAt());

        assertThat(store.enqueueDeliveries(List.of(delivery, delivery))).isEqualTo(1);
        assertThat(store.enqueueDeliveries(List.of(delivery, sameEventForAnother)))
                .isEqualTo(1);

        assertThat(log(subscription)).hasSize(1);
        assertThat(log(another)).hasSize(1);
    }

    @Test
    void aDeliveryForAMissingSubscriptionOrOneOfAnotherTenantIsSkipped() {
        WebhookSubscription subscription = insertedSubscription();
        TaskId task = newTask();
        NewDelivery missing = delivery(subscription(tenant, NOW), task, NOW);
        NewDelivery ofAnotherTenant = new NewDelivery(
                subscription.id(), freshTenant(), UUID.randomUUID(), TaskEventType.CREATED, task, "{}", NOW);
        NewDelivery kept = delivery(subscription, task, NOW);

        assertThat(store.enqueueDeliveries(List.of(missing, ofAnotherTenant, kept)))
                .isEqualTo(1);

        assertThat(log(subscription)).extracting(WebhookDelivery::eventId).containsExactly(kept.eventId());
    }

    // --- claims

    @Test
    void onlyDueDeliveriesAreClaimed() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery later = enqueued(delivery(subscription, newTask(), NOW.plusSeconds(60)));

        assertThat(claim(NOW.plusSeconds(59), "engine-a")).isEmpty();
        assertThat(events(claim(NOW.plusSeconds(60), "engine-a"))).containsExactly(later.eventId());
    }

    @Test
    void deliveriesOfADisabledSubscriptionWaitUntilItIsEnabledAgain() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        assertThat(store.updateWebhook(withDisabled(subscription, Optional.of(BY_REQUEST)), subscription.version()))
                .isEqualTo(WebhookStore.Update.UPDATED);

        assertThat(claim(NOW, "engine-a")).isEmpty();

        assertThat(store.updateWebhook(subscription, subscription.version() + 1))
                .isEqualTo(WebhookStore.Update.UPDATED);
        assertThat(events(claim(NOW, "engine-a"))).containsExactly(delivery.eventId());
    }

    @Test
    void onlyTheOldestPendingDeliveryOfATaskIsClaimedWhileItIsLeased() {
        WebhookSubscription subscription = insertedSubscription();
        TaskId task = newTask();
        NewDelivery first = enqueued(delivery(subscription, task, TaskEventType.CREATED, NOW));
        enqueued(delivery(subscription, task, TaskEventType.COMPLETED, NOW));

        assertThat(events(claim(NOW, "engine-a"))).containsExactly(first.eventId());
        assertThat(claim(NOW.plusSeconds(1), "engine-b")).isEmpty();
    }

    @Test
    void aTasksNextDeliveryWaitsWhileTheOldestIsRetriedLater() {
        WebhookSubscription subscription = insertedSubscription();
        TaskId task = newTask();
        enqueued(delivery(subscription, task, TaskEventType.CREATED, NOW));
        enqueued(delivery(subscription, task, TaskEventType.COMPLETED, NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery first = only(store.claimDeliveries(NOW, lease, 100));
        store.recordAttempt(retriedAttempt(first, lease, NOW, NOW.plusSeconds(300)))
                .orElseThrow();

        // The first is pending, not due and not leased: the second still waits for it.
        assertThat(claim(NOW.plusSeconds(10), "engine-b")).isEmpty();
        assertThat(only(claim(NOW.plusSeconds(300), "engine-b")).position()).isEqualTo(first.position());
    }

    @Test
    void aTasksNextDeliveryIsClaimableOnceTheOldestIsDelivered() {
        WebhookSubscription subscription = insertedSubscription();
        TaskId task = newTask();
        enqueued(delivery(subscription, task, TaskEventType.CREATED, NOW));
        NewDelivery second = enqueued(delivery(subscription, task, TaskEventType.COMPLETED, NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery first = only(store.claimDeliveries(NOW, lease, 100));

        store.recordAttempt(deliveredAttempt(first, lease, NOW)).orElseThrow();

        assertThat(events(claim(NOW, "engine-b"))).containsExactly(second.eventId());
    }

    @Test
    void aTasksNextDeliveryIsClaimableOnceTheOldestIsGivenUp() {
        WebhookSubscription subscription = insertedSubscription();
        TaskId task = newTask();
        enqueued(delivery(subscription, task, TaskEventType.CREATED, NOW));
        NewDelivery second = enqueued(delivery(subscription, task, TaskEventType.COMPLETED, NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery first = only(store.claimDeliveries(NOW, lease, 100));

        store.recordAttempt(givenUpAttempt(first, lease, NOW)).orElseThrow();

        assertThat(events(claim(NOW, "engine-b"))).containsExactly(second.eventId());
    }

    @Test
    void otherTasksOtherSubscriptionsAndOtherTenantsAreClaimedIndependently() {
        WebhookSubscription subscription = insertedSubscription();
        WebhookSubscription another = inserted(subscription(tenant, NOW));
        WebhookSubscription ofAnotherTenant = inserted(subscription(freshTenant(), NOW));
        TaskId task = newTask();
        NewDelivery first = enqueued(delivery(subscription, task, NOW));
        enqueued(delivery(subscription, task, NOW));
        NewDelivery otherTask = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery otherSubscription = enqueued(delivery(another, task, NOW));
        NewDelivery otherTenant = enqueued(delivery(ofAnotherTenant, task, NOW));

        assertThat(events(claim(NOW, "engine-a")))
                .containsExactly(
                        first.eventId(), otherTask.eventId(), otherSubscription.eventId(), otherTenant.eventId());
    }

    @Test
    void aLeasedDeliveryIsClaimedByAnotherOwnerOnlyOnceTheLeaseRanOut() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        assertThat(events(claim(NOW, "engine-a"))).containsExactly(delivery.eventId());

        assertThat(claim(NOW.plus(LEASE).minusNanos(1000), "engine-b")).isEmpty();
        assertThat(events(claim(NOW.plus(LEASE), "engine-b"))).containsExactly(delivery.eventId());
    }

    @Test
    void aClaimAnswersHowManyAttemptsTheDeliveryHad() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        store.recordAttempt(retriedAttempt(claimed, lease, NOW, NOW.plusSeconds(5)))
                .orElseThrow();

        assertThat(only(claim(NOW.plusSeconds(5), "engine-b")).attempts()).isEqualTo(1);
    }

    @Test
    void aClaimTakesNoMoreThanItsLimit() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery first = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery second = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery third = enqueued(delivery(subscription, newTask(), NOW));

        assertThat(events(store.claimDeliveries(NOW, lease("engine-a", NOW), 2)))
                .containsExactly(first.eventId(), second.eventId());
        assertThat(events(store.claimDeliveries(NOW, lease("engine-a", NOW), 2)))
                .containsExactly(third.eventId());
    }

    @Test
    void deliveriesAreClaimedByNextAttemptThenByPosition() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery latest = enqueued(delivery(subscription, newTask(), NOW.plusSeconds(2)));
        NewDelivery earliest = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery alsoEarliest = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery retried = enqueued(delivery(subscription, newTask(), NOW.minusSeconds(5)));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW.minusSeconds(5), lease, 100));
        store.recordAttempt(retriedAttempt(claimed, lease, NOW.minusSeconds(5), NOW.plusSeconds(1)))
                .orElseThrow();

        assertThat(events(claim(NOW.plusSeconds(2), "engine-b")))
                .containsExactly(earliest.eventId(), alsoEarliest.eventId(), retried.eventId(), latest.eventId());
    }

    @Test
    void severalClaimersNeverClaimOneDeliveryAndDeliverEachTasksEventsInOrder() throws Exception {
        WebhookSubscription subscription = insertedSubscription();
        WebhookSubscription another = inserted(subscription(tenant, NOW));
        List<NewDelivery> all = new ArrayList<>();
        for (int event = 0; event < 6; event++) {
            for (int task = 0; task < 5; task++) {
                all.add(delivery(subscription, TaskId.of(task + 1L), NOW));
                all.add(delivery(another, TaskId.of(task + 1L), NOW));
            }
        }
        Map<List<Object>, List<UUID>> expected = new HashMap<>();
        for (NewDelivery d : all) {
            expected.computeIfAbsent(List.of(d.subscriptionId(), d.taskId()), k -> new ArrayList<>())
                    .add(d.eventId());
        }
        assertThat(store.enqueueDeliveries(all)).isEqualTo(all.size());

        Instant now = NOW.plusSeconds(1);
        Map<List<Object>, List<UUID>> delivered = new HashMap<>();
        Set<Long> claimedPositions = Collections.synchronizedSet(new HashSet<>());
        List<Long> claimedTwice = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String owner = "engine-" + t;
                Callable<Void> worker = () -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (done.get() < all.size() && System.nanoTime() < deadline) {
                        Lease lease = new Lease(owner, now.plus(Duration.ofHours(1)));
                        List<ClaimedDelivery> claimed = store.claimDeliveries(now, lease, 3);
                        for (ClaimedDelivery c : claimed) {
                            if (!c.delivery().subscriptionId().equals(subscription.id())
                                    && !c.delivery().subscriptionId().equals(another.id())) {
                                continue;
                            }
                            if (!claimedPositions.add(c.position())) {
                                claimedTwice.add(c.position());
                            }
                            synchronized (delivered) {
                                delivered
                                        .computeIfAbsent(
                                                List.of(
                                                        c.delivery().subscriptionId(),
                                                        c.delivery().taskId()),
                                                k -> new ArrayList<>())
                                        .add(c.delivery().eventId());
                            }
                            if (store.recordAttempt(deliveredAttempt(c, lease, now))
                                    .isPresent()) {
                                done.incrementAndGet();
                            }
                        }
                        if (claimed.isEmpty()) {
                            Thread.sleep(1);
                        }
                    }
                    return null;
                };
                workers.add(pool.submit(worker));
            }
            for (Future<Void> worker : workers) {
                worker.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(claimedTwice).isEmpty();
        assertThat(done.get()).isEqualTo(all.size());
        assertThat(delivered).isEqualTo(expected);
    }

    // --- attempts

    @Test
    void aDeliveredAttemptFinishesTheDeliveryAndIsLogged() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        Instant at = NOW.plusMillis(250);

        RecordedAttempt recorded =
                store.recordAttempt(deliveredAttempt(claimed, lease, at)).orElseThrow();

        assertThat(recorded.disabledNow()).isFalse();
        assertThat(recorded.subscription()).isEqualTo(subscription);
        WebhookDelivery logged = logged(subscription, delivery.eventId());
        assertThat(logged.state()).isEqualTo(WebhookDelivery.State.DELIVERED);
        assertThat(logged.nextAttemptAt()).isEmpty();
        assertThat(logged.finishedAt()).contains(at);
        assertThat(logged.attempts()).containsExactly(answered(at, 204));
        assertThat(claim(at.plus(Duration.ofDays(1)), "engine-b")).isEmpty();
    }

    @Test
    void aGivenUpAttemptFinishesTheDeliveryAsFailed() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));

        store.recordAttempt(givenUpAttempt(claimed, lease, NOW.plusSeconds(1))).orElseThrow();

        WebhookDelivery logged = logged(subscription, delivery.eventId());
        assertThat(logged.state()).isEqualTo(WebhookDelivery.State.FAILED);
        assertThat(logged.nextAttemptAt()).isEmpty();
        assertThat(logged.finishedAt()).contains(NOW.plusSeconds(1));
        assertThat(claim(NOW.plus(Duration.ofDays(1)), "engine-b")).isEmpty();
    }

    @Test
    void aRetriedAttemptLeavesTheDeliveryPendingUntilItsNextAttemptAndReleasesIt() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        Instant next = NOW.plusSeconds(30);

        store.recordAttempt(retriedAttempt(claimed, lease, NOW, next)).orElseThrow();

        WebhookDelivery logged = logged(subscription, delivery.eventId());
        assertThat(logged.state()).isEqualTo(WebhookDelivery.State.PENDING);
        assertThat(logged.nextAttemptAt()).contains(next);
        assertThat(logged.finishedAt()).isEmpty();
        assertThat(claim(next.minusSeconds(1), "engine-b")).isEmpty();
        // Due again before the first lease ran out: the attempt released it.
        assertThat(next).isBefore(lease.until());
        assertThat(events(claim(next, "engine-b"))).containsExactly(delivery.eventId());
    }

    @Test
    void anAttemptUnderAnotherOwnersLeaseRecordsNothing() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));

        assertThat(store.recordAttempt(deliveredAttempt(claimed, new Lease("engine-b", lease.until()), NOW)))
                .isEmpty();

        WebhookDelivery logged = logged(subscription, delivery.eventId());
        assertThat(logged.state()).isEqualTo(WebhookDelivery.State.PENDING);
        assertThat(logged.attempts()).isEmpty();
        assertThat(store.recordAttempt(deliveredAttempt(claimed, lease, NOW))).isPresent();
    }

    @Test
    void anAttemptUnderALeaseThatRanOutAndWasClaimedAgainRecordsNothing() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease first = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, first, 100));
        Instant later = first.until();
        Lease second = lease("engine-b", later);
        only(store.claimDeliveries(later, second, 100));

        assertThat(store.recordAttempt(givenUpAttempt(claimed, first, later))).isEmpty();
        assertThat(store.findWebhook(tenant, subscription.id())).contains(subscription);
        assertThat(logged(subscription, delivery.eventId()).attempts()).isEmpty();

        assertThat(store.recordAttempt(deliveredAttempt(claimed, second, later)))
                .isPresent();
        // Recorded once: the same lease no longer holds a finished delivery.
        assertThat(store.recordAttempt(deliveredAttempt(claimed, second, later)))
                .isEmpty();
        assertThat(logged(subscription, delivery.eventId()).attempts()).hasSize(1);
    }

    @Test
    void anAttemptOfAnUnknownDeliveryRecordsNothing() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        ClaimedDelivery unknown =
                new ClaimedDelivery(Long.MAX_VALUE - 7, claimed.delivery(), claimed.attempts(), claimed.subscription());
        assertThat(store.recordAttempt(deliveredAttempt(unknown, lease, NOW))).isEmpty();
    }

    @Test
    void failedAttemptsAreCountedSinceTheFirstAndADeliveredOneClearsThem() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));

        RecordedAttempt once = failOnceAt(NOW, 5, Duration.ofHours(1));
        assertThat(once.subscription().consecutiveFailures()).isEqualTo(1);
        assertThat(once.subscription().failingSince()).contains(NOW);

        RecordedAttempt twice = failOnceAt(NOW.plusSeconds(10), 5, Duration.ofHours(1));
        assertThat(twice.subscription().consecutiveFailures()).isEqualTo(2);
        assertThat(twice.subscription().failingSince()).contains(NOW);
        assertThat(twice.subscription().enabled()).isTrue();
        assertThat(store.findWebhook(tenant, subscription.id())).contains(twice.subscription());

        Instant at = NOW.plusSeconds(20);
        Lease lease = lease("engine-a", at);
        ClaimedDelivery claimed = only(store.claimDeliveries(at, lease, 100));
        assertThat(claimed.subscription()).isEqualTo(twice.subscription());
        RecordedAttempt delivered =
                store.recordAttempt(deliveredAttempt(claimed, lease, at)).orElseThrow();
        assertThat(delivered.subscription().consecutiveFailures()).isZero();
        assertThat(delivered.subscription().failingSince()).isEmpty();
        // As it was inserted, three writes later.
        assertThat(store.findWebhook(tenant, subscription.id())).contains(subscription.withVersion(3));
    }

    @Test
    void failuresAreCountedAcrossTheSubscriptionsDeliveries() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        List<ClaimedDelivery> claimed = store.claimDeliveries(NOW, lease, 100);
        assertThat(claimed).hasSize(2);

        store.recordAttempt(givenUpAttempt(claimed.get(0), lease, NOW)).orElseThrow();
        RecordedAttempt second = store.recordAttempt(givenUpAttempt(claimed.get(1), lease, NOW.plusSeconds(1)))
                .orElseThrow();

        assertThat(second.subscription().consecutiveFailures()).isEqualTo(2);
        assertThat(second.subscription().failingSince()).contains(NOW);
    }

    @Test
    void aGoneAnswerDisablesTheSubscriptionAsTheAttemptSays() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        WebhookSubscription.Disabled gone =
                new WebhookSubscription.Disabled(WebhookSubscription.Reason.GONE, NOW, "the receiver answered 410");

        RecordedAttempt recorded = store.recordAttempt(new DeliveryAttempt(
                        claimed.position(),
                        lease,
                        answered(NOW, 410),
                        WebhookDelivery.State.FAILED,
                        Optional.empty(),
                        Optional.of(gone),
                        5,
                        Duration.ofHours(1)))
                .orElseThrow();

        assertThat(recorded.disabledNow()).isTrue();
        assertThat(recorded.disabled()).contains(recorded.subscription());
        assertThat(recorded.subscription().disabled()).contains(gone);
        assertThat(recorded.subscription().consecutiveFailures()).isEqualTo(1);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(recorded.subscription());
        assertThat(store.enabledWebhooks(List.of(tenant))).isEmpty();
        assertThat(logged(subscription, delivery.eventId()).state()).isEqualTo(WebhookDelivery.State.FAILED);
    }

    @Test
    void failuresInARowForLongEnoughDisableTheSubscriptionExactlyOnce() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        Duration failingFor = Duration.ofHours(1);

        assertThat(failOnceAt(NOW, 3, failingFor).disabledNow()).isFalse();
        // Long enough, but not enough failures yet.
        RecordedAttempt second = failOnceAt(NOW.plus(Duration.ofHours(2)), 3, failingFor);
        assertThat(second.disabledNow()).isFalse();
        assertThat(second.subscription().enabled()).isTrue();

        Instant third = NOW.plus(Duration.ofHours(2)).plusSeconds(1);
        RecordedAttempt disabling = failOnceAt(third, 3, failingFor);

        assertThat(disabling.disabledNow()).isTrue();
        WebhookSubscription.Disabled disabled =
                disabling.subscription().disabled().orElseThrow();
        assertThat(disabled.reason()).isEqualTo(WebhookSubscription.Reason.FAILING);
        assertThat(disabled.at()).isEqualTo(third);
        assertThat(disabled.detail()).isNotBlank();
        assertThat(disabling.subscription().consecutiveFailures()).isEqualTo(3);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(disabling.subscription());
        assertThat(claim(third.plus(Duration.ofDays(1)), "engine-a")).isEmpty();
    }

    @Test
    void enoughFailuresInAShortWhileDoNotDisableTheSubscription() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        Duration failingFor = Duration.ofHours(1);

        failOnceAt(NOW, 3, failingFor);
        failOnceAt(NOW.plusSeconds(60), 3, failingFor);
        RecordedAttempt third = failOnceAt(NOW.plusSeconds(120), 3, failingFor);
        RecordedAttempt fourth = failOnceAt(NOW.plus(failingFor).minusNanos(1000), 3, failingFor);

        assertThat(third.subscription().enabled()).isTrue();
        assertThat(fourth.subscription().enabled()).isTrue();
        assertThat(fourth.subscription().consecutiveFailures()).isEqualTo(4);
        assertThat(failOnceAt(NOW.plus(failingFor), 3, failingFor).disabledNow())
                .isTrue();
    }

    @Test
    void anAttemptThatChangesTheSubscriptionMakesItsVersionOneMoreSoThatAStaleUpdateConflicts() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));

        RecordedAttempt failed = failOnceAt(NOW, 5, Duration.ofHours(1));
        assertThat(failed.subscription().consecutiveFailures()).isEqualTo(1);
        assertThat(failed.subscription().version()).isEqualTo(subscription.version() + 1);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(failed.subscription());

        // A change made from the subscription read before the attempt would roll its failures back.
        WebhookSubscription stale = withDisabled(subscription, Optional.of(BY_REQUEST));
        assertThat(store.updateWebhook(stale, subscription.version())).isEqualTo(WebhookStore.Update.CONFLICT);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(failed.subscription());

        RecordedAttempt again = failOnceAt(NOW.plusSeconds(1), 5, Duration.ofHours(1));
        assertThat(again.subscription().version()).isEqualTo(subscription.version() + 2);

        Lease lease = lease("engine-a", NOW.plusSeconds(2));
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW.plusSeconds(2), lease, 100));
        RecordedAttempt delivered = store.recordAttempt(deliveredAttempt(claimed, lease, NOW.plusSeconds(2)))
                .orElseThrow();
        assertThat(delivered.subscription().consecutiveFailures()).isZero();
        assertThat(delivered.subscription().version()).isEqualTo(subscription.version() + 3);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(delivered.subscription());
    }

    @Test
    void aDeliveredAttemptOfASubscriptionWithoutFailuresLeavesItsVersion() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));

        RecordedAttempt delivered =
                store.recordAttempt(deliveredAttempt(claimed, lease, NOW)).orElseThrow();

        assertThat(delivered.subscription()).isEqualTo(subscription);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(subscription);
    }

    @Test
    void anAttemptThatDisablesTheSubscriptionMakesItsVersionOneMore() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));

        RecordedAttempt gone = store.recordAttempt(new DeliveryAttempt(
                        claimed.position(),
                        lease,
                        answered(NOW.plusSeconds(1), 410),
                        WebhookDelivery.State.FAILED,
                        Optional.empty(),
                        Optional.of(new WebhookSubscription.Disabled(
                                WebhookSubscription.Reason.GONE, NOW.plusSeconds(1), "410")),
                        5,
                        Duration.ofHours(1)))
                .orElseThrow();

        assertThat(gone.disabledNow()).isTrue();
        assertThat(gone.subscription().version()).isGreaterThan(subscription.version());
        assertThat(store.findWebhook(tenant, subscription.id())).contains(gone.subscription());
        // The host's change made from the enabled subscription would enable it again.
        assertThat(store.updateWebhook(subscription, subscription.version())).isEqualTo(WebhookStore.Update.CONFLICT);
        assertThat(store.findWebhook(tenant, subscription.id()).orElseThrow().enabled())
                .isFalse();
    }

    @Test
    void aSubscriptionDisabledAlreadyStaysAsItWasDisabled() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease lease = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, lease, 100));
        WebhookSubscription byRequest = withDisabled(subscription, Optional.of(BY_REQUEST));
        assertThat(store.updateWebhook(byRequest, subscription.version())).isEqualTo(WebhookStore.Update.UPDATED);

        RecordedAttempt recorded = store.recordAttempt(new DeliveryAttempt(
                        claimed.position(),
                        lease,
                        answered(NOW.plusSeconds(1), 410),
                        WebhookDelivery.State.FAILED,
                        Optional.empty(),
                        Optional.of(new WebhookSubscription.Disabled(
                                WebhookSubscription.Reason.GONE, NOW.plusSeconds(1), "410")),
                        1,
                        Duration.ZERO))
                .orElseThrow();

        assertThat(recorded.disabledNow()).isFalse();
        assertThat(recorded.disabled()).isEmpty();
        assertThat(recorded.subscription().disabled()).contains(BY_REQUEST);
        assertThat(recorded.subscription().consecutiveFailures()).isEqualTo(1);
        assertThat(store.findWebhook(tenant, subscription.id())).contains(recorded.subscription());
        assertThat(logged(subscription, delivery.eventId()).attempts()).hasSize(1);
    }

    // --- the delivery log

    @Test
    void theLogShowsEachDeliverysAttemptsOldestFirst() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery delivery = enqueued(delivery(subscription, newTask(), NOW));
        Lease first = lease("engine-a", NOW);
        ClaimedDelivery claimed = only(store.claimDeliveries(NOW, first, 100));
        WebhookDelivery.Attempt timedOut = new WebhookDelivery.Attempt(
                NOW, "engine-a", 0, Duration.ofSeconds(10), Optional.of("no answer within 10s: read timed out"));
        store.recordAttempt(new DeliveryAttempt(
                        claimed.position(),
                        first,
                        timedOut,
                        WebhookDelivery.State.PENDING,
                        Optional.of(NOW.plusSeconds(5)),
                        Optional.empty(),
                        5,
                        Duration.ofHours(1)))
                .orElseThrow();
        Instant at = NOW.plusSeconds(5);
        Lease second = new Lease("engine-b", at.plus(LEASE));
        ClaimedDelivery again = only(store.claimDeliveries(at, second, 100));
        WebhookDelivery.Attempt ok =
                new WebhookDelivery.Attempt(at, "engine-b", 200, Duration.ofNanos(1_000), Optional.empty());
        store.recordAttempt(new DeliveryAttempt(
                        again.position(),
                        second,
                        ok,
                        WebhookDelivery.State.DELIVERED,
                        Optional.empty(),
                        Optional.empty(),
                        5,
                        Duration.ofHours(1)))
                .orElseThrow();

        WebhookDelivery logged = logged(subscription, delivery.eventId());
        assertThat(logged.attempts()).containsExactly(timedOut, ok);
        assertThat(logged.lastAttempt()).contains(ok);
    }

    @Test
    void theLogPagesNewestFirstBeforeThePositionItAnswered() {
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery first = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery second = enqueued(delivery(subscription, newTask(), NOW));
        NewDelivery third = enqueued(delivery(subscription, newTask(), NOW));
        enqueued(delivery(inserted(subscription(tenant, NOW)), newTask(), NOW));

        StoredDeliveries page = store.deliveries(tenant, subscription.id(), 2, OptionalLong.empty());
        assertThat(page.deliveries())
                .extracting(WebhookDelivery::eventId)
                .containsExactly(third.eventId(), second.eventId());
        assertThat(page.next()).isPresent();

        StoredDeliveries rest = store.deliveries(tenant, subscription.id(), 2, page.next());
        assertThat(rest.deliveries()).extracting(WebhookDelivery::eventId).containsExactly(first.eventId());
        assertThat(rest.next()).isEmpty();
    }

    @Test
    void theLogOfAMissingSubscriptionOrOneOfAnotherTenantIsEmpty() {
        WebhookSubscription subscription = insertedSubscription();
        enqueued(delivery(subscription, newTask(), NOW));
        assertThat(store.deliveries(freshTenant(), subscription.id(), 10, OptionalLong.empty()))
                .isEqualTo(new StoredDeliveries(List.of(), OptionalLong.empty()));
        assertThat(store.deliveries(tenant, UUID.randomUUID(), 10, OptionalLong.empty()))
                .isEqualTo(new StoredDeliveries(List.of(), OptionalLong.empty()));
    }

    @Test
    void finishedDeliveriesFinishedBeforeTheInstantAreForgotten() {
        // Times of their own, long before any other test's, so that no other delivery is finished before them.
        Instant base = Instant.parse("2000-01-01T00:00:00Z");
        WebhookSubscription subscription = insertedSubscription();
        NewDelivery deliveredEarly = enqueued(delivery(subscription, newTask(), base));
        NewDelivery givenUpEarly = enqueued(delivery(subscription, newTask(), base));
        NewDelivery deliveredLate = enqueued(delivery(subscription, newTask(), base));
        NewDelivery pending = enqueued(delivery(subscription, newTask(), base));
        Lease lease = lease("engine-a", base);
        Map<UUID, ClaimedDelivery> claimed = new HashMap<>();
        store.claimDeliveries(base, lease, 100)
                .forEach(c -> claimed.put(c.delivery().eventId(), c));
        store.recordAttempt(deliveredAttempt(claimed.get(deliveredEarly.eventId()), lease, base.plusSeconds(1)))
                .orElseThrow();
        store.recordAttempt(givenUpAttempt(claimed.get(givenUpEarly.eventId()), lease, base.plusSeconds(2)))
                .orElseThrow();
        store.recordAttempt(deliveredAttempt(claimed.get(deliveredLate.eventId()), lease, base.plusSeconds(4)))
                .orElseThrow();
        store.recordAttempt(retriedAttempt(claimed.get(pending.eventId()), lease, base.plusSeconds(3), base))
                .orElseThrow();

        assertThat(store.forgetDeliveries(base.plusSeconds(1))).isZero();
        assertThat(store.forgetDeliveries(base.plusSeconds(4))).isEqualTo(2);

        assertThat(log(subscription))
                .extracting(WebhookDelivery::eventId)
                .containsExactly(pending.eventId(), deliveredLate.eventId());
    }
}
