package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.NewWebhook;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.WebhookChange;
import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookDeliveryPage;
import dev.taskengine.api.WebhookError;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.api.Webhooks;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks through the engine, delivered to a real receiver on loopback that checks every signature: what is
 * delivered, when, in which order, how failures are retried and logged, and when a subscription is disabled. The same
 * on every adapter: an adapter's test extends this class and implements {@link #store()} and {@link #webhookStore()}.
 */
public abstract class WebhookContract {

    protected abstract TaskStore store();

    protected abstract WebhookStore webhookStore();

    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(10);
    private static final Duration RETRY_FOR = Duration.ofHours(1);
    private static final SchedulerOptions SCHEDULER =
            SchedulerOptions.defaults().withPollInterval(Duration.ofMillis(10));
    private static final WebhookOptions OPTIONS = WebhookOptions.defaults()
            .withAllowHttp(true)
            .withAllowLoopback(true)
            .withRetries(RETRY_FOR, FIRST_RETRY, LONGEST_RETRY)
            .withDisableAfter(3, Duration.ofMinutes(1))
            .withSecretOverlap(Duration.ofHours(24));

    private final MutableClock clock = new MutableClock(NOW);
    private final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<WebhookSubscription> toldDisabled = Collections.synchronizedList(new ArrayList<>());
    private WebhookReceiver receiver;
    private TenantId tenant;
    private TaskEngine engine;
    private Webhooks webhooks;
    private TaskScheduler scheduler;

    @BeforeEach
    void setUpEngine() {
        tenant = freshTenant();
        receiver = new WebhookReceiver();
        engine = engine(OPTIONS);
        webhooks = engine.webhooks().orElseThrow();
        scheduler = engine.scheduler(SCHEDULER);
    }

    /**
     * Deletes the test's subscriptions, and with them their deliveries: claims run across tenants, so that a later test
     * on a shared database claims none of this one's.
     */
    @AfterEach
    void forgetSubscriptionsAndStopReceiver() {
        webhooks.list(tenant).forEach(subscription -> webhooks.delete(tenant, subscription.id()));
        receiver.close();
    }

    private TaskEngine engine(WebhookOptions options) {
        return engine(options, webhookStore());
    }

    private TaskEngine engine(WebhookOptions options, WebhookStore webhookStore) {
        return TaskEngine.builder()
                .store(store())
                .events(events::add)
                .webhooks(webhookStore, options)
                .webhookListener(toldDisabled::add)
                .clock(clock)
                .build();
    }

    private WebhookSubscription subscribe(NewWebhook subscription) {
        WebhookSubscription created = webhooks.create(subscription).get();
        receiver.expectSecrets(() -> webhooks.find(tenant, created.id())
                .map(s -> s.signingSecrets(clock.instant()))
                .orElse(List.of()));
        return created;
    }

    private WebhookSubscription subscribe() {
        return subscribe(NewWebhook.of(tenant, receiver.url()));
    }

    private Task createToDo() {
        return engine.create(Writes.ACTOR, newToDo(tenant).build()).get();
    }

    private TaskRef ref(Task task) {
        return TaskRef.of(Writes.ACTOR, tenant, task.id());
    }

    /** One scheduler poll: relays events (enqueuing their deliveries) and attempts the due deliveries. */
    private void poll() {
        scheduler.pollOnce();
    }

    private List<TaskEvent> eventsOf(Task task) {
        synchronized (events) {
            return events.stream().filter(e -> e.taskId().equals(task.id())).toList();
        }
    }

    /** Whether {@code request} delivers an event of {@code task}. */
    private static boolean about(WebhookReceiver.Received request, Task task) {
        return request.body().contains("\"taskId\":" + task.id().value() + ",");
    }

    private List<WebhookDelivery> log(WebhookSubscription subscription) {
        return webhooks.deliveries(tenant, subscription.id(), 100, Optional.empty())
                .get()
                .items();
    }

    // --- managing subscriptions

    @Test
    void aSubscriptionIsCreatedEnabledWithASecretMadeForIt() {
        WebhookSubscription created =
                webhooks.create(NewWebhook.of(tenant, receiver.url())).get();

        assertThat(created.enabled()).isTrue();
        assertThat(created.secret()).startsWith("whsec_");
        assertThat(created.eventTypes()).isEmpty();
        assertThat(webhooks.find(tenant, created.id())).contains(created);
        assertThat(webhooks.list(tenant)).containsExactly(created);
    }

    @Test
    void aSubscriptionNamesEveryProblemOfItsInputAndKeepsNothing() {
        WebhookError error = webhooks.create(NewWebhook.of(tenant, "ftp://user:pw@example.com/x")
                        .eventTypes("task.completed", "task.exploded")
                        .secret("not-a-secret"))
                .getLeft();

        assertThat(error).isInstanceOf(WebhookError.Invalid.class);
        assertThat(((WebhookError.Invalid) error).violations())
                .extracting(Violation::code)
                .containsExactlyInAnyOrder(
                        "webhook.url.scheme",
                        "webhook.url.userInfo",
                        "webhook.eventTypes.unknown",
                        "webhook.secret.invalid");
        assertThat(webhooks.list(tenant)).isEmpty();
    }

    @Test
    void aTargetOnLoopbackIsRefusedUnlessTheEngineAllowsIt() {
        Webhooks strict = engine(WebhookOptions.defaults()).webhooks().orElseThrow();

        assertThat(strict.create(NewWebhook.of(tenant, "https://127.0.0.1:8443/hooks"))
                        .getLeft())
                .isInstanceOfSatisfying(
                        WebhookError.Invalid.class,
                        invalid -> assertThat(invalid.violations())
                                .extracting(Violation::code)
                                .containsExactly("webhook.url.address"));
        assertThat(strict.create(NewWebhook.of(tenant, "https://localhost/hooks"))
                        .getLeft())
                .isInstanceOf(WebhookError.Invalid.class);
        assertThat(strict.create(NewWebhook.of(tenant, "https://169.254.169.254/latest/meta-data"))
                        .getLeft())
                .isInstanceOf(WebhookError.Invalid.class);
    }

    @Test
    void anHttpTargetIsRefusedUnlessTheEngineAllowsIt() {
        Webhooks strict = engine(WebhookOptions.defaults()).webhooks().orElseThrow();

        assertThat(strict.create(NewWebhook.of(tenant, "http://hooks.example.com/in"))
                        .getLeft())
                .isInstanceOfSatisfying(
                        WebhookError.Invalid.class,
                        invalid -> assertThat(invalid.violations())
                                .extracting(Violation::code)
                                .containsExactly("webhook.url.scheme"));
    }

    @Test
    void anotherTenantsSubscriptionIsNotFound() {
        WebhookSubscription created = subscribe();
        TenantId other = freshTenant();

        assertThat(webhooks.find(other, created.id())).isEmpty();
        assertThat(webhooks.change(other, created.id(), WebhookChange.none().enabled(false))
                        .getLeft())
                .isEqualTo(new WebhookError.NotFound(created.id()));
        assertThat(webhooks.delete(other, created.id()).getLeft()).isEqualTo(new WebhookError.NotFound(created.id()));
    }

    // --- delivery

    @Test
    void anEventIsDeliveredSignedWithItsIdAndPayload() {
        subscribe();
        Task task = createToDo();

        poll();

        TaskEvent created = eventsOf(task).get(0);
        assertThat(receiver.received()).singleElement().satisfies(request -> {
            assertThat(request.signatureValid()).isTrue();
            assertThat(request.id()).isEqualTo(created.id().toString());
            assertThat(request.timestamp())
                    .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
            assertThat(request.body()).isEqualTo(created.payload());
        });
    }

    @Test
    void onlyTheEventTypesASubscriptionWantsAreDelivered() {
        subscribe(NewWebhook.of(tenant, receiver.url()).eventTypes("task.snoozed"));
        Task task = createToDo();
        engine.snooze(ref(task), clock.instant().plus(Duration.ofHours(2))).get();

        poll();

        assertThat(receiver.received())
                .singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"type\":\"task.snoozed\""));
    }

    @Test
    void anotherTenantsEventsAreNotDelivered() {
        subscribe();
        engine.create(Writes.ACTOR, newToDo(freshTenant()).build()).get();

        poll();

        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aDisabledSubscriptionReceivesNothingAndItsPendingDeliveriesGoOnceItIsEnabled() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 503);
        poll();
        webhooks.change(tenant, subscription.id(), WebhookChange.none().enabled(false))
                .get();
        receiver.answer(r -> 200);
        clock.advance(LONGEST_RETRY);

        poll();
        assertThat(receiver.accepted()).isEmpty();

        WebhookSubscription enabled = webhooks.change(
                        tenant, subscription.id(), WebhookChange.none().enabled(true))
                .get();
        poll();

        assertThat(enabled.consecutiveFailures()).isZero();
        assertThat(receiver.accepted()).hasSize(1);
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsWaitWithTheSameId() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() == 1 ? 500 : 200);

        poll();
        poll();
        assertThat(receiver.received()).hasSize(1);

        clock.advance(FIRST_RETRY);
        poll();

        List<WebhookReceiver.Received> requests = receiver.received();
        assertThat(requests).extracting(WebhookReceiver.Received::answered).containsExactly(500, 200);
        assertThat(requests.get(1).id()).isEqualTo(requests.get(0).id());
        assertThat(requests).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        assertThat(log(subscription)).singleElement().satisfies(delivery -> {
            assertThat(delivery.state()).isEqualTo(WebhookDelivery.State.DELIVERED);
            assertThat(delivery.attempts())
                    .extracting(WebhookDelivery.Attempt::statusCode)
                    .containsExactly(500, 200);
            assertThat(delivery.attempts().get(0).error()).isPresent();
            assertThat(delivery.attempts().get(1).error()).isEmpty();
        });
    }

    @Test
    void aTasksEventsArriveInOrderEvenWhenTheFirstNeedsRetries() {
        subscribe();
        Task task = createToDo();
        engine.snooze(ref(task), clock.instant().plus(Duration.ofHours(2))).get();
        engine.unsnooze(ref(task)).get();
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() <= 2 ? 500 : 200);

        for (int i = 0; i < 6; i++) {
            poll();
            clock.advance(LONGEST_RETRY);
        }

        assertThat(receiver.accepted())
                .extracting(WebhookReceiver.Received::id)
                .containsExactlyElementsOf(
                        eventsOf(task).stream().map(e -> e.id().toString()).toList());
    }

    @Test
    void oneTasksFailingDeliveryDoesNotHoldBackAnotherTasks() {
        subscribe();
        Task failing = createToDo();
        Task other = createToDo();
        receiver.answer(r -> about(r, failing) ? 500 : 200);

        poll();

        assertThat(receiver.accepted())
                .extracting(WebhookReceiver.Received::id)
                .containsExactly(eventsOf(other).get(0).id().toString());
    }

    @Test
    void aDeliveryIsGivenUpAfterItsRetriesAndTheTasksNextEventGoes() {
        // Failures never disable this subscription here: only the delivery's own retries end.
        scheduler = engine(OPTIONS.withDisableAfter(1000, Duration.ofDays(30))).scheduler(SCHEDULER);
        WebhookSubscription subscription = subscribe();
        Task task = createToDo();
        engine.snooze(ref(task), clock.instant().plus(Duration.ofHours(2))).get();
        receiver.answer(r -> r.body().contains("\"type\":\"task.created\"") ? 500 : 200);

        for (int i = 0; i < 12; i++) {
            poll();
            clock.advance(LONGEST_RETRY);
        }

        List<WebhookDelivery> deliveries = log(subscription);
        assertThat(deliveries)
                .extracting(WebhookDelivery::state)
                .containsExactly(WebhookDelivery.State.DELIVERED, WebhookDelivery.State.FAILED);
        assertThat(receiver.accepted())
                .extracting(WebhookReceiver.Received::id)
                .containsExactly(eventsOf(task).get(1).id().toString());
    }

    @Test
    void aReceiverAnswering410DisablesTheSubscriptionAndTheListenerIsTold() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 410);

        poll();
        createToDo();
        clock.advance(LONGEST_RETRY);
        poll();

        WebhookSubscription gone = webhooks.find(tenant, subscription.id()).orElseThrow();
        assertThat(gone.disabled())
                .hasValueSatisfying(d -> assertThat(d.reason()).isEqualTo(WebhookSubscription.Reason.GONE));
        assertThat(toldDisabled).extracting(WebhookSubscription::id).containsExactly(subscription.id());
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void attemptsFailingInARowForLongEnoughDisableTheSubscriptionOnce() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 500);

        for (int i = 0; i < 6; i++) {
            poll();
            clock.advance(LONGEST_RETRY);
        }

        WebhookSubscription failing = webhooks.find(tenant, subscription.id()).orElseThrow();
        assertThat(failing.disabled())
                .hasValueSatisfying(d -> assertThat(d.reason()).isEqualTo(WebhookSubscription.Reason.FAILING));
        assertThat(failing.consecutiveFailures()).isEqualTo(3);
        assertThat(toldDisabled).extracting(WebhookSubscription::id).containsExactly(subscription.id());
        assertThat(receiver.received()).hasSize(3);
    }

    @Test
    void aDeliveredAttemptClearsTheFailures() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() <= 2 ? 500 : 200);

        for (int i = 0; i < 4; i++) {
            poll();
            clock.advance(LONGEST_RETRY);
        }

        WebhookSubscription after = webhooks.find(tenant, subscription.id()).orElseThrow();
        assertThat(after.consecutiveFailures()).isZero();
        assertThat(after.failingSince()).isEmpty();
        assertThat(after.enabled()).isTrue();
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 302);

        poll();

        assertThat(receiver.received()).hasSize(1);
        assertThat(log(subscription).get(0).lastAttempt()).hasValueSatisfying(attempt -> {
            assertThat(attempt.statusCode()).isEqualTo(302);
            assertThat(attempt.error()).hasValueSatisfying(e -> assertThat(e).contains("redirect"));
        });
    }

    @Test
    void whileASecretIsRotatedBothSecretsSignAndThenOnlyTheNewOne() {
        WebhookSubscription subscription = subscribe();
        String previous = subscription.secret();
        WebhookSubscription rotated = webhooks.rotateSecret(tenant, subscription.id(), Optional.empty())
                .get();
        createToDo();

        poll();
        WebhookReceiver.Received during = receiver.received().get(0);
        clock.advance(Duration.ofHours(25));
        createToDo();
        poll();
        WebhookReceiver.Received after = receiver.received().get(1);

        assertThat(rotated.secret()).isNotEqualTo(previous);
        assertThat(WebhookReceiver.verifies(
                        during.id(), during.timestamp(), during.body(), during.signature(), List.of(previous)))
                .isTrue();
        assertThat(WebhookReceiver.verifies(
                        during.id(), during.timestamp(), during.body(), during.signature(), List.of(rotated.secret())))
                .isTrue();
        assertThat(WebhookReceiver.verifies(
                        after.id(), after.timestamp(), after.body(), after.signature(), List.of(previous)))
                .isFalse();
        assertThat(WebhookReceiver.verifies(
                        after.id(), after.timestamp(), after.body(), after.signature(), List.of(rotated.secret())))
                .isTrue();
    }

    @Test
    void theDeliveryLogIsReadNewestFirstPageByPage() {
        WebhookSubscription subscription = subscribe();
        for (int i = 0; i < 5; i++) {
            createToDo();
        }
        poll();

        WebhookDeliveryPage first = webhooks.deliveries(tenant, subscription.id(), 3, Optional.empty())
                .get();
        WebhookDeliveryPage second = webhooks.deliveries(tenant, subscription.id(), 3, first.nextCursor())
                .get();

        assertThat(first.items()).hasSize(3);
        assertThat(second.items()).hasSize(2);
        assertThat(second.nextCursor()).isEmpty();
        List<String> readIds = new ArrayList<>();
        first.items().forEach(d -> readIds.add(d.eventId().toString()));
        second.items().forEach(d -> readIds.add(d.eventId().toString()));
        List<String> sentNewestFirst = new ArrayList<>(
                receiver.received().stream().map(WebhookReceiver.Received::id).toList());
        Collections.reverse(sentNewestFirst);
        assertThat(readIds).containsExactlyInAnyOrderElementsOf(sentNewestFirst);
        assertThat(first.items()).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(WebhookDelivery.State.DELIVERED);
            assertThat(d.lastAttempt())
                    .hasValueSatisfying(a -> assertThat(a.statusCode()).isEqualTo(200));
        });
    }

    @Test
    void aDeliveryLogRefusesABadLimitOrCursorNamingEach() {
        WebhookSubscription subscription = subscribe();

        WebhookError error = webhooks.deliveries(tenant, subscription.id(), 0, Optional.of("x"))
                .getLeft();

        assertThat(((WebhookError.Invalid) error).violations())
                .extracting(Violation::pointer)
                .containsExactly("/limit", "/cursor");
    }

    @Test
    void aDeletedSubscriptionReceivesNothingMore() {
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 500);
        poll();

        assertThat(webhooks.delete(tenant, subscription.id()).get().id()).isEqualTo(subscription.id());
        receiver.answer(r -> 200);
        clock.advance(LONGEST_RETRY);
        createToDo();
        poll();

        assertThat(receiver.accepted()).isEmpty();
        assertThat(webhooks.find(tenant, subscription.id())).isEmpty();
        assertThat(webhooks.deliveries(tenant, subscription.id(), 10, Optional.empty())
                        .getLeft())
                .isEqualTo(new WebhookError.NotFound(subscription.id()));
    }

    @Test
    void aChangeMadeWhileAnotherEngineDisabledTheSubscriptionKeepsItDisabled() {
        Interleaved interleaved = new Interleaved(webhookStore());
        Webhooks other = engine(OPTIONS, interleaved).webhooks().orElseThrow();
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 410);
        // Between the change's read and its write, this engine is answered 410 and disables the subscription.
        interleaved.afterNextRead(this::poll);

        WebhookSubscription changed = other.change(
                        tenant, subscription.id(), WebhookChange.none().url(receiver.url() + "/moved"))
                .get();

        assertThat(toldDisabled).extracting(WebhookSubscription::id).containsExactly(subscription.id());
        assertThat(changed.url().toString()).isEqualTo(receiver.url() + "/moved");
        assertThat(changed.disabled())
                .hasValueSatisfying(d -> assertThat(d.reason()).isEqualTo(WebhookSubscription.Reason.GONE));
        assertThat(changed.consecutiveFailures()).isEqualTo(1);
        assertThat(webhooks.find(tenant, subscription.id())).contains(changed);
    }

    @Test
    void aChangeThatEnablesTheSubscriptionEnablesItEvenIfAnotherEngineDisabledItMeanwhile() {
        Interleaved interleaved = new Interleaved(webhookStore());
        Webhooks other = engine(OPTIONS, interleaved).webhooks().orElseThrow();
        WebhookSubscription subscription = subscribe();
        createToDo();
        receiver.answer(r -> 410);
        interleaved.afterNextRead(this::poll);

        WebhookSubscription changed = other.change(
                        tenant,
                        subscription.id(),
                        WebhookChange.none().url(receiver.url() + "/moved").enabled(true))
                .get();

        assertThat(toldDisabled).extracting(WebhookSubscription::id).containsExactly(subscription.id());
        assertThat(changed.enabled()).isTrue();
        assertThat(changed.consecutiveFailures()).isZero();
        assertThat(changed.failingSince()).isEmpty();
        assertThat(webhooks.find(tenant, subscription.id())).contains(changed);
    }

    @Test
    void twoRotationsAtOnceAreBothKeptOneAfterTheOther() {
        Interleaved interleaved = new Interleaved(webhookStore());
        Webhooks other = engine(OPTIONS, interleaved).webhooks().orElseThrow();
        WebhookSubscription subscription = subscribe();
        List<WebhookSubscription> meanwhile = new ArrayList<>();
        interleaved.afterNextRead(() -> meanwhile.add(webhooks.rotateSecret(tenant, subscription.id(), Optional.empty())
                .get()));

        WebhookSubscription rotated =
                other.rotateSecret(tenant, subscription.id(), Optional.empty()).get();

        String first = meanwhile.get(0).secret();
        assertThat(rotated.secret()).isNotEqualTo(first).isNotEqualTo(subscription.secret());
        assertThat(rotated.signingSecrets(clock.instant())).containsExactly(rotated.secret(), first);
        assertThat(webhooks.find(tenant, subscription.id())).contains(rotated);
    }

    @Test
    void aChangeIsRefusedAsAConflictWhenOthersChangeTheSubscriptionEveryTimeItIsMade() {
        Interleaved interleaved = new Interleaved(webhookStore());
        Webhooks other = engine(OPTIONS, interleaved).webhooks().orElseThrow();
        WebhookSubscription subscription = subscribe();
        AtomicInteger meanwhile = new AtomicInteger();
        interleaved.afterEveryRead(() -> {
            meanwhile.incrementAndGet();
            webhooks.change(tenant, subscription.id(), WebhookChange.none().eventTypes(List.of("task.created")));
        });

        WebhookError refused = other.change(
                        tenant, subscription.id(), WebhookChange.none().enabled(false))
                .getLeft();

        assertThat(refused).isInstanceOf(WebhookError.Conflict.class);
        assertThat(refused.code()).isEqualTo("webhook.conflict");
        assertThat(meanwhile.get()).isEqualTo(5);
        assertThat(webhooks.find(tenant, subscription.id()).orElseThrow().enabled())
                .isTrue();
    }

    /**
     * A webhook store that runs a step after a read of a subscription, before it answers: a write of another engine
     * between a change's read and its write.
     */
    private static final class Interleaved implements WebhookStore {
        private final WebhookStore store;
        private volatile Runnable between;
        private volatile boolean every;

        Interleaved(WebhookStore store) {
            this.store = store;
        }

        void afterNextRead(Runnable step) {
            between = step;
            every = false;
        }

        void afterEveryRead(Runnable step) {
            between = step;
            every = true;
        }

        @Override
        public Optional<WebhookSubscription> findWebhook(TenantId tenant, java.util.UUID id) {
            Optional<WebhookSubscription> found = store.findWebhook(tenant, id);
            Runnable step = between;
            if (step != null) {
                if (!every) {
                    between = null;
                }
                step.run();
            }
            return found;
        }

        @Override
        public void insertWebhook(WebhookSubscription subscription) {
            store.insertWebhook(subscription);
        }

        @Override
        public List<WebhookSubscription> webhooks(TenantId tenant) {
            return store.webhooks(tenant);
        }

        @Override
        public Update updateWebhook(WebhookSubscription subscription, long expectedVersion) {
            return store.updateWebhook(subscription, expectedVersion);
        }

        @Override
        public boolean deleteWebhook(TenantId tenant, java.util.UUID id) {
            return store.deleteWebhook(tenant, id);
        }

        @Override
        public List<WebhookSubscription> enabledWebhooks(java.util.Collection<TenantId> tenants) {
            return store.enabledWebhooks(tenants);
        }

        @Override
        public int enqueueDeliveries(List<dev.taskengine.store.NewDelivery> deliveries) {
            return store.enqueueDeliveries(deliveries);
        }

        @Override
        public List<dev.taskengine.store.ClaimedDelivery> claimDeliveries(
                java.time.Instant now, dev.taskengine.store.Lease lease, int limit) {
            return store.claimDeliveries(now, lease, limit);
        }

        @Override
        public Optional<dev.taskengine.store.RecordedAttempt> recordAttempt(
                dev.taskengine.store.DeliveryAttempt attempt) {
            return store.recordAttempt(attempt);
        }

        @Override
        public dev.taskengine.store.StoredDeliveries deliveries(
                TenantId tenant, java.util.UUID subscription, int limit, java.util.OptionalLong before) {
            return store.deliveries(tenant, subscription, limit, before);
        }

        @Override
        public int forgetDeliveries(java.time.Instant finishedBefore) {
            return store.forgetDeliveries(finishedBefore);
        }
    }

    @Test
    void twoEnginesOnOneStoreDeliverEachEventOnce() {
        WebhookOptions inFives = OPTIONS.withDelivery(2, 5, OPTIONS.lease());
        TaskScheduler first = engine(inFives).scheduler(SCHEDULER.withOwner("first"));
        TaskScheduler second = engine(inFives).scheduler(SCHEDULER.withOwner("second"));
        subscribe();
        for (int i = 0; i < 20; i++) {
            createToDo();
        }

        for (int i = 0; i < 3; i++) {
            first.pollOnce();
            second.pollOnce();
        }

        assertThat(receiver.received()).hasSize(20);
        assertThat(receiver.received().stream()
                        .map(WebhookReceiver.Received::id)
                        .distinct())
                .hasSize(20);
    }
}
