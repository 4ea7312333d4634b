package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.ClaimedDelivery;
import dev.taskengine.store.DeliveryAttempt;
import dev.taskengine.store.Lease;
import dev.taskengine.store.NewDelivery;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the SQL webhook store must do beyond the contract kit, on each database: no secret in what a failed statement
 * says, the host's Jdbi left as it was, and no delivery or attempt outliving its subscription (foreign keys), even when
 * a delete races an enqueue.
 */
abstract class JdbiWebhookStoreBehaviour {
    private static final String SECRET = "whsec_dG9wLXNlY3JldC1rZXktMTIzNDU2Nzg5MA==";
    private static final AtomicLong TASK_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L + 2_000_000_000L);

    protected abstract TestDatabase database();

    private JdbiWebhookStore store;
    private TenantId tenant;

    @BeforeEach
    void setUp() {
        store = database().webhookStore();
        tenant = freshTenant();
    }

    private WebhookSubscription subscription() {
        return new WebhookSubscription(
                UUID.randomUUID(),
                tenant,
                URI.create("https://receiver.example/hooks"),
                Set.of(),
                List.of(new WebhookSubscription.Secret(SECRET, NOW, Optional.empty())),
                Optional.empty(),
                0,
                Optional.empty(),
                NOW,
                NOW,
                0);
    }

    private NewDelivery delivery(WebhookSubscription subscription) {
        return new NewDelivery(
                subscription.id(),
                subscription.tenant(),
                UUID.randomUUID(),
                TaskEventType.UPDATED,
                TaskId.of(TASK_IDS.incrementAndGet()),
                "{}",
                NOW);
    }

    private static void assertNoSecretIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).doesNotContain(SECRET);
            assertThat(cause.toString()).doesNotContain(SECRET);
            for (Throwable suppressed : cause.getSuppressed()) {
                assertNoSecretIn(suppressed);
            }
        }
    }

    @Test
    void aFailedInsertSaysNothingOfTheSecrets() {
        WebhookSubscription subscription = subscription();
        store.insertWebhook(subscription);

        assertThatThrownBy(() -> store.insertWebhook(subscription))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(JdbiWebhookStoreBehaviour::assertNoSecretIn);
        store.deleteWebhook(tenant, subscription.id());
    }

    @Test
    void theStoreLeavesTheRenderingOfTheHostsJdbiAsItWas() {
        Jdbi host = Jdbi.create(database().dataSource());
        var rendering = host.getConfig(StatementExceptions.class).getMessageRendering();
        JdbiWebhookStore onHost = new JdbiWebhookStore(host);
        WebhookSubscription subscription = subscription();
        onHost.insertWebhook(subscription);

        assertThatThrownBy(() -> onHost.insertWebhook(subscription))
                .satisfies(JdbiWebhookStoreBehaviour::assertNoSecretIn);

        assertThat(host.getConfig(StatementExceptions.class).getMessageRendering())
                .isSameAs(rendering);
        onHost.deleteWebhook(tenant, subscription.id());
    }

    @Test
    void aDeleteLeavesNoRowOfItsDeliveriesNorOfTheirAttempts() {
        WebhookSubscription subscription = subscription();
        store.insertWebhook(subscription);
        store.enqueueDeliveries(List.of(delivery(subscription), delivery(subscription)));
        Lease lease = new Lease("engine-a", NOW.plusSeconds(60));
        List<ClaimedDelivery> claimed = store.claimDeliveries(NOW, lease, 100).stream()
                .filter(c -> c.delivery().subscriptionId().equals(subscription.id()))
                .toList();
        assertThat(claimed).isNotEmpty();
        for (ClaimedDelivery c : claimed) {
            store.recordAttempt(new DeliveryAttempt(
                            c.position(),
                            lease,
                            new WebhookDelivery.Attempt(
                                    NOW, "engine-a", 500, Duration.ofMillis(3), Optional.of("answered 500")),
                            WebhookDelivery.State.PENDING,
                            Optional.of(NOW.plusSeconds(5)),
                            Optional.empty(),
                            5,
                            Duration.ofHours(1)))
                    .orElseThrow();
        }
        List<Long> positions = claimed.stream().map(ClaimedDelivery::position).toList();

        assertThat(store.deleteWebhook(tenant, subscription.id())).isTrue();

        Jdbi jdbi = database().jdbi();
        assertThat(jdbi.<Long, RuntimeException>withHandle(
                        h -> h.createQuery("SELECT COUNT(*) FROM te_webhook_delivery WHERE subscription_id = :id")
                                .bind("id", subscription.id())
                                .mapTo(Long.class)
                                .one()))
                .isZero();
        assertThat(jdbi.<Long, RuntimeException>withHandle(h -> h.createQuery(
                                "SELECT COUNT(*) FROM te_webhook_attempt WHERE delivery_position IN (<positions>)")
                        .bindList("positions", positions)
                        .mapTo(Long.class)
                        .one()))
                .isZero();
    }

    @Test
    void theSchemaRefusesADeliveryOfNoSubscription() {
        Jdbi jdbi = database().jdbi();
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO te_webhook_delivery (subscription_id,"
                                + " tenant, event_id, event_type, task_id, payload, created_at, state, attempts)"
                                + " VALUES (:id, 'nobody', :event, 'task.updated', 1, '{}', :at, 0, 0)")
                        .bind("id", UUID.randomUUID())
                        .bind("event", UUID.randomUUID())
                        .bind("at", SqlTimes.stored(NOW))
                        .execute()))
                .satisfies(e -> assertThat(StoreFailures.isForeignKeyViolation((Exception) e))
                        .isTrue());
    }

    @Test
    void aDeleteRacingEnqueuesLeavesNoDeliveryOfTheDeletedSubscription() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<UUID> deleted = new ArrayList<>();
        try {
            for (int round = 0; round < 40; round++) {
                WebhookSubscription subscription = subscription();
                store.insertWebhook(subscription);
                store.enqueueDeliveries(List.of(delivery(subscription)));
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Integer> enqueue = CompletableFuture.supplyAsync(
                        () -> {
                            await(start);
                            int kept = 0;
                            for (int i = 0; i < 5; i++) {
                                kept += store.enqueueDeliveries(
                                        List.of(delivery(subscription), delivery(subscription)));
                            }
                            return kept;
                        },
                        threads);
                CompletableFuture<Boolean> delete = CompletableFuture.supplyAsync(
                        () -> {
                            await(start);
                            return store.deleteWebhook(tenant, subscription.id());
                        },
                        threads);
                assertThat(delete.get()).isTrue();
                enqueue.get();
                deleted.add(subscription.id());
            }
        } finally {
            threads.shutdownNow();
        }

        Jdbi jdbi = database().jdbi();
        assertThat(jdbi.<Long, RuntimeException>withHandle(
                        h -> h.createQuery("SELECT COUNT(*) FROM te_webhook_delivery WHERE subscription_id IN (<ids>)")
                                .bindList("ids", deleted)
                                .mapTo(Long.class)
                                .one()))
                .isZero();
        assertThat(store.enqueueDeliveries(List.of(delivery(subscription())))).isZero();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
