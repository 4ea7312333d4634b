package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.StoreUnavailableException;
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
import dev.taskengine.store.WebhookFailures;
import dev.taskengine.store.WebhookStore;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The webhook store on the task store's database (H2 or PostgreSQL) through Jdbi: subscriptions in {@code te_webhook},
 * deliveries in {@code te_webhook_delivery}, the log's attempts in {@code te_webhook_attempt} (schema version 5 of
 * {@link TaskSchema}; apply it first). Every call takes a handle from the host's data source and runs in one short
 * transaction of its own, committed before it answers. Thread-safe.
 *
 * <ul>
 *   <li>A claim is one statement: it picks the due heads of their chains (no older pending delivery of the task for the
 *       subscription) of enabled subscriptions, not under a live lease, and leases them. On PostgreSQL the pick locks
 *       the rows it takes and skips those another claim locked ({@code FOR UPDATE SKIP LOCKED}); on H2, which has
 *       none, the UPDATE re-checks the lease on each row it locks, so that a row another claim took is passed over.</li>
 *   <li>An attempt is recorded in one transaction: the delivery's row is changed only while the attempt's lease holds
 *       it (its owner and end, and the delivery pending), the attempt is added to the log, the subscription's failures
 *       are counted in SQL, and the subscription is disabled by {@link WebhookFailures}' rule only if it was still
 *       enabled: the row count says whether this attempt disabled it.</li>
 *   <li>A subscription's {@code version} is one more at each write of its row; an update is a compare-and-set on it
 *       ({@code WHERE version = :expected}), a row count of 0 then told apart as a conflict or a missing one.</li>
 *   <li>Deliveries and attempts are deleted with their subscription by foreign keys ({@code ON DELETE CASCADE}). A
 *       delete, an enqueue and an attempt's record all lock the subscription's row before any delivery's, so that a
 *       delete and an enqueue never leave a delivery of a subscription gone, and none of them deadlocks another.</li>
 *   <li>Secrets: a failed statement's exception tells its SQL, never its bound values (the rendering is set on each
 *       handle's copy of the configuration, never on a Jdbi the host passed in), and the secrets are bound as an
 *       argument whose {@code toString} hides them.</li>
 *   <li>Failures: as {@link JdbiTaskStore}'s ({@link StoreFailures}): an outage is a {@link StoreUnavailableException};
 *       a deadlock or serialization failure is retried, up to {@value #ATTEMPTS} attempts.</li>
 * </ul>
 */
public final class JdbiWebhookStore implements WebhookStore {
    private static final int ATTEMPTS = 3;
    private static final int PENDING = StoredCodes.DELIVERY_STATE.code(WebhookDelivery.State.PENDING);

    private static final String WEBHOOK_COLUMNS = "id, tenant, url, event_types, secrets, disabled_reason, disabled_at,"
            + " disabled_detail, consecutive_failures, failing_since, created_at, updated_at, version";
    private static final String DELIVERY_COLUMNS = "position, subscription_id, tenant, event_id, event_type, task_id,"
            + " payload, created_at, state, next_attempt_at, finished_at, attempts";

    private final Jdbi jdbi;
    private volatile Dialect dialect;

    /** A store that takes a handle from {@code jdbi} for each call. */
    public JdbiWebhookStore(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** A store on the host's data source (pooled, in production); the store builds no pool of its own. */
    public JdbiWebhookStore(DataSource dataSource) {
        this(Jdbi.create(Objects.requireNonNull(dataSource, "dataSource")));
    }

    // --- subscriptions

    @Override
    public void insertWebhook(WebhookSubscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        transaction(
                "insert webhook " + subscription.id(),
                h -> h.createUpdate("INSERT INTO te_webhook ("
                                + WEBHOOK_COLUMNS
                                + ") VALUES (:id, :tenant, :url, :eventTypes, :secrets, :disabledReason,"
                                + " :disabledAt, :disabledDetail, :failures, :failingSince, :createdAt, :updatedAt,"
                                + " :version)")
                        .bindMap(columns(subscription))
                        .bind("version", subscription.version())
                        .execute());
    }

    /** The values of a subscription's columns but its version, by parameter name: one binding for insert and update. */
    private static java.util.Map<String, Object> columns(WebhookSubscription subscription) {
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        values.put("id", subscription.id());
        values.put("tenant", subscription.tenant().value());
        values.put("url", subscription.url().toString());
        values.put("eventTypes", eventTypes(subscription.eventTypes()));
        values.put("secrets", new HiddenSecrets(subscription.secrets()));
        values.put("disabledReason", disabledReason(subscription));
        values.put("disabledAt", time(subscription.disabled().map(WebhookSubscription.Disabled::at)));
        values.put(
                "disabledDetail",
                subscription
                        .disabled()
                        .map(WebhookSubscription.Disabled::detail)
                        .orElse(null));
        values.put("failures", subscription.consecutiveFailures());
        values.put("failingSince", time(subscription.failingSince()));
        values.put("createdAt", SqlTimes.stored(subscription.createdAt()));
        values.put("updatedAt", SqlTimes.stored(subscription.updatedAt()));
        return values;
    }

    @Override
    public Optional<WebhookSubscription> findWebhook(TenantId tenant, UUID id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return transaction("find webhook " + id, h -> find(h, tenant, id));
    }

    private static Optional<WebhookSubscription> find(Handle h, TenantId tenant, UUID id) {
        return h.createQuery("SELECT " + WEBHOOK_COLUMNS + " FROM te_webhook WHERE id = :id AND tenant = :tenant")
                .bind("id", id)
                .bind("tenant", tenant.value())
                .map((rs, ctx) -> subscription(rs))
                .findOne();
    }

    @Override
    public List<WebhookSubscription> webhooks(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return transaction(
                "list webhooks",
                h -> h.createQuery("SELECT " + WEBHOOK_COLUMNS
                                + " FROM te_webhook WHERE tenant = :tenant ORDER BY created_at, id")
                        .bind("tenant", tenant.value())
                        .map((rs, ctx) -> subscription(rs))
                        .list());
    }

    @Override
    public Update updateWebhook(WebhookSubscription subscription, long expectedVersion) {
        Objects.requireNonNull(subscription, "subscription");
        return transaction("update webhook " + subscription.id(), h -> {
            int updated = h.createUpdate("UPDATE te_webhook SET url = :url,"
                            + " event_types = :eventTypes, secrets = :secrets, disabled_reason = :disabledReason,"
                            + " disabled_at = :disabledAt, disabled_detail = :disabledDetail,"
                            + " consecutive_failures = :failures, failing_since = :failingSince,"
                            + " created_at = :createdAt, updated_at = :updatedAt, version = :next"
                            + " WHERE id = :id AND tenant = :tenant AND version = :expected")
                    .bindMap(columns(subscription))
                    .bind("expected", expectedVersion)
                    .bind("next", expectedVersion + 1)
                    .execute();
            if (updated > 0) {
                return Update.UPDATED;
            }
            return find(h, subscription.tenant(), subscription.id()).isPresent() ? Update.CONFLICT : Update.NOT_FOUND;
        });
    }

    @Override
    public boolean deleteWebhook(TenantId tenant, UUID id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return transaction("delete webhook " + id, h -> {
            // The subscription's row first, as an enqueue and an attempt's record lock it (then its deliveries'): an
            // enqueue under way is waited for, and its deliveries, committed by then, are seen by the delete that
            // follows; an enqueue after it finds no subscription. The foreign keys then delete the deliveries and their
            // attempts with the subscription (ON DELETE CASCADE).
            if (h.createQuery("SELECT id FROM te_webhook WHERE id = :id AND tenant = :tenant FOR UPDATE")
                    .bind("id", id)
                    .bind("tenant", tenant.value())
                    .mapTo(UUID.class)
                    .findOne()
                    .isEmpty()) {
                return false;
            }
            return h.createUpdate("DELETE FROM te_webhook WHERE id = :id AND tenant = :tenant")
                            .bind("id", id)
                            .bind("tenant", tenant.value())
                            .execute()
                    > 0;
        });
    }

    @Override
    public List<WebhookSubscription> enabledWebhooks(Collection<TenantId> tenants) {
        Objects.requireNonNull(tenants, "tenants");
        if (tenants.isEmpty()) {
            return List.of();
        }
        List<String> names = tenants.stream().map(TenantId::value).distinct().toList();
        return transaction(
                "list enabled webhooks",
                h -> h.createQuery("SELECT " + WEBHOOK_COLUMNS
                                + " FROM te_webhook WHERE tenant IN (<tenants>) AND disabled_at IS NULL"
                                + " ORDER BY created_at, id")
                        .bindList("tenants", names)
                        .map((rs, ctx) -> subscription(rs))
                        .list());
    }

    // --- deliveries

    @Override
    public int enqueueDeliveries(List<NewDelivery> deliveries) {
        Objects.requireNonNull(deliveries, "deliveries");
        if (deliveries.isEmpty()) {
            return 0;
        }
        // On H2 two engines keeping one event at once may both find it missing: the one refused runs again, and skips
        // it.
        // A subscription being deleted: the subscription's row is locked before any delivery is kept (on PostgreSQL by
        // the pick itself, FOR KEY SHARE, which lets other enqueues and attempts through; on H2, which checks a foreign
        // key without a lock, FOR UPDATE first), so that the enqueue waits for the delete and then keeps nothing for
        // it, or the delete waits for the enqueue and then deletes what it kept. A foreign key violation all the same
        // runs the batch again, without the deliveries of a subscription gone.
        return transaction("keep " + deliveries.size() + " webhook deliveries", true, h -> {
            boolean postgres = dialect(h) == Dialect.POSTGRESQL;
            if (!postgres) {
                h.createQuery("SELECT id FROM te_webhook WHERE id IN (<ids>) ORDER BY id FOR UPDATE")
                        .bindList(
                                "ids",
                                deliveries.stream()
                                        .map(NewDelivery::subscriptionId)
                                        .distinct()
                                        .toList())
                        .mapTo(UUID.class)
                        .list();
            }
            String insert = "INSERT INTO te_webhook_delivery (subscription_id, tenant, event_id, event_type, task_id,"
                    + " payload, created_at, state, next_attempt_at, attempts)"
                    + " SELECT s.id, s.tenant, CAST(:event AS UUID), CAST(:type AS VARCHAR(40)),"
                    + " CAST(:task AS BIGINT), CAST(:payload AS VARCHAR), CAST(:createdAt AS TIMESTAMP WITH TIME ZONE), "
                    + PENDING + ", CAST(:createdAt AS TIMESTAMP WITH TIME ZONE), 0"
                    + " FROM te_webhook s WHERE s.id = :subscription AND s.tenant = :tenant"
                    + (postgres
                            ? " FOR KEY SHARE OF s ON CONFLICT (subscription_id, event_id) DO NOTHING"
                            : " AND NOT EXISTS (SELECT 1 FROM te_webhook_delivery x"
                                    + " WHERE x.subscription_id = s.id AND x.event_id = CAST(:event AS UUID))");
            PreparedBatch batch = h.prepareBatch(insert);
            for (NewDelivery d : deliveries) {
                batch.bind("subscription", d.subscriptionId())
                        .bind("tenant", d.tenant().value())
                        .bind("event", d.eventId())
                        .bind("type", StoredCodes.EVENT_TYPE.name(d.eventType()))
                        .bind("task", d.taskId().value())
                        .bind("payload", d.payload())
                        .bind("createdAt", SqlTimes.stored(d.createdAt()))
                        .add();
            }
            int kept = 0;
            for (int count : batch.execute()) {
                kept += Math.max(count, 0);
            }
            return kept;
        });
    }

    @Override
    public List<ClaimedDelivery> claimDeliveries(Instant now, Lease lease, int limit) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lease, "lease");
        if (limit <= 0) {
            return List.of();
        }
        return transaction("claim webhook deliveries", h -> {
            Dialect d = dialect(h);
            String unleased = "(%1$s.lease_until IS NULL OR %1$s.lease_until <= :now)";
            String pick = "SELECT d.position FROM te_webhook_delivery d JOIN te_webhook s ON s.id = d.subscription_id"
                    + " WHERE d.state = " + PENDING + " AND d.next_attempt_at <= :now AND " + unleased.formatted("d")
                    + " AND s.disabled_at IS NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM te_webhook_delivery e WHERE e.subscription_id = d.subscription_id"
                    + " AND e.task_id = d.task_id AND e.state = " + PENDING + " AND e.position < d.position)"
                    + " ORDER BY d.next_attempt_at, d.position LIMIT :limit";
            String lock = "UPDATE te_webhook_delivery SET lease_owner = :owner, lease_until = :until";
            String sql;
            if (d == Dialect.POSTGRESQL) {
                // Materialized so that the pick runs once: run again, a LIMIT … SKIP LOCKED picks other rows.
                sql = "WITH picked AS MATERIALIZED (" + pick + " FOR UPDATE OF d SKIP LOCKED) " + lock
                        + " WHERE position IN (SELECT position FROM picked) RETURNING position";
            } else {
                // No SKIP LOCKED: the UPDATE re-checks, on each row it locks, that no other claim took it.
                sql = "SELECT position FROM FINAL TABLE (" + lock + " WHERE position IN (" + pick + ") AND state = "
                        + PENDING + " AND next_attempt_at <= :now AND " + unleased.formatted("te_webhook_delivery")
                        + ")";
            }
            List<Long> positions = h.createQuery(sql)
                    .bind("now", SqlTimes.stored(now))
                    .bind("limit", limit)
                    .bind("owner", lease.owner())
                    .bind("until", SqlTimes.stored(lease.until()))
                    .mapTo(Long.class)
                    .list();
            if (positions.isEmpty()) {
                return List.of();
            }
            List<Stored> claimed = h.createQuery(
                            "SELECT " + DELIVERY_COLUMNS + " FROM te_webhook_delivery WHERE position IN (<positions>)")
                    .bindList("positions", positions)
                    .map((rs, ctx) -> stored(rs))
                    .list();
            Set<UUID> ids = claimed.stream()
                    .map(s -> s.delivery().subscriptionId())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            Map<UUID, WebhookSubscription> subscriptions = new HashMap<>();
            h.createQuery("SELECT " + WEBHOOK_COLUMNS + " FROM te_webhook WHERE id IN (<ids>)")
                    .bindList("ids", new ArrayList<>(ids))
                    .map((rs, ctx) -> subscription(rs))
                    .forEach(s -> subscriptions.put(s.id(), s));
            return claimed.stream()
                    .sorted(Comparator.comparing((Stored s) -> s.nextAttemptAt().orElseThrow())
                            .thenComparingLong(Stored::position))
                    .map(s -> new ClaimedDelivery(
                            s.position(),
                            s.delivery(),
                            s.attempts(),
                            subscriptions.get(s.delivery().subscriptionId())))
                    .toList();
        });
    }

    @Override
    public Optional<RecordedAttempt> recordAttempt(DeliveryAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        return transaction("record an attempt of webhook delivery " + attempt.position(), h -> {
            // Locks in the order of a delete and an enqueue: the subscription's row, then the delivery's. Gone, or
            // being deleted: nothing is left to record the attempt in.
            Optional<UUID> owner = h.createQuery("SELECT subscription_id FROM te_webhook_delivery WHERE position = :p")
                    .bind("p", attempt.position())
                    .mapTo(UUID.class)
                    .findOne();
            if (owner.isEmpty()
                    || h.createQuery("SELECT id FROM te_webhook WHERE id = :id"
                                    + (dialect(h) == Dialect.POSTGRESQL ? " FOR NO KEY UPDATE" : " FOR UPDATE"))
                            .bind("id", owner.get())
                            .mapTo(UUID.class)
                            .findOne()
                            .isEmpty()) {
                return Optional.<RecordedAttempt>empty();
            }
            boolean finished = attempt.state() != WebhookDelivery.State.PENDING;
            WebhookDelivery.Attempt made = attempt.attempt();
            // Changed only while the attempt's lease holds it: the row lock taken here is held to the commit.
            int held = h.createUpdate("UPDATE te_webhook_delivery SET state = :state, next_attempt_at = :next,"
                            + " finished_at = :finished, attempts = attempts + 1, lease_owner = NULL,"
                            + " lease_until = NULL WHERE position = :position AND state = " + PENDING
                            + " AND lease_owner = :owner AND lease_until = :until")
                    .bind("state", StoredCodes.DELIVERY_STATE.code(attempt.state()))
                    .bind("next", time(attempt.nextAttemptAt()))
                    .bind("finished", time(finished ? Optional.of(made.at()) : Optional.empty()))
                    .bind("position", attempt.position())
                    .bind("owner", attempt.lease().owner())
                    .bind("until", SqlTimes.stored(attempt.lease().until()))
                    .execute();
            if (held == 0) {
                return Optional.<RecordedAttempt>empty();
            }
            Map<String, Object> delivery = h.createQuery(
                            "SELECT subscription_id, tenant, attempts FROM te_webhook_delivery WHERE position = :position")
                    .bind("position", attempt.position())
                    .mapToMap()
                    .one();
            UUID subscription = (UUID) delivery.get("subscription_id");
            TenantId tenant = TenantId.of((String) delivery.get("tenant"));
            h.createUpdate("INSERT INTO te_webhook_attempt (delivery_position, number, attempted_at, engine,"
                            + " status_code, latency_us, error) VALUES (:position, :number, :at, :engine, :status,"
                            + " :latency, :error)")
                    .bind("position", attempt.position())
                    .bind("number", ((Number) delivery.get("attempts")).intValue())
                    .bind("at", SqlTimes.stored(made.at()))
                    .bind("engine", made.engine())
                    .bind("status", made.statusCode())
                    .bind("latency", micros(made.latency()))
                    .bind("error", made.error().orElse(null))
                    .execute();
            // The version is one more only when the counts change: a delivery clears failures only when there are some.
            String counted = made.delivered()
                    ? "UPDATE te_webhook SET consecutive_failures = 0, failing_since = NULL, version = version + 1"
                            + " WHERE id = :id AND (consecutive_failures <> 0 OR failing_since IS NOT NULL)"
                    : "UPDATE te_webhook SET consecutive_failures = consecutive_failures + 1,"
                            + " failing_since = COALESCE(failing_since, :at), version = version + 1 WHERE id = :id";
            h.createUpdate(counted)
                    .bind("id", subscription)
                    .bind("at", SqlTimes.stored(made.at()))
                    .execute();
            Optional<WebhookSubscription> after = find(h, tenant, subscription);
            if (after.isEmpty()) {
                // Deleted under the attempt: nothing is left to record it in.
                h.rollback();
                return Optional.<RecordedAttempt>empty();
            }
            WebhookSubscription counts = after.get();
            Optional<WebhookSubscription.Disabled> disable = counts.enabled() && !made.delivered()
                    ? WebhookFailures.disabled(
                            counts,
                            attempt,
                            counts.consecutiveFailures(),
                            counts.failingSince().orElse(made.at()))
                    : Optional.empty();
            if (disable.isEmpty()) {
                return Optional.of(new RecordedAttempt(counts, false));
            }
            WebhookSubscription.Disabled disabled = disable.get();
            boolean disabledNow = h.createUpdate("UPDATE te_webhook SET disabled_reason = :reason, disabled_at = :at,"
                                    + " disabled_detail = :detail, version = version + 1"
                                    + " WHERE id = :id AND disabled_at IS NULL")
                            .bind("reason", StoredCodes.DISABLED_REASON.code(disabled.reason()))
                            .bind("at", SqlTimes.stored(disabled.at()))
                            .bind("detail", disabled.detail())
                            .bind("id", subscription)
                            .execute()
                    == 1;
            return Optional.of(new RecordedAttempt(find(h, tenant, subscription).orElseThrow(), disabledNow));
        });
    }

    @Override
    public StoredDeliveries deliveries(TenantId tenant, UUID subscription, int limit, OptionalLong before) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(before, "before");
        StoredDeliveries none = new StoredDeliveries(List.of(), OptionalLong.empty());
        if (limit <= 0) {
            return none;
        }
        return transaction("read the webhook delivery log", h -> {
            if (find(h, tenant, subscription).isEmpty()) {
                return none;
            }
            List<Stored> rows = h.createQuery("SELECT " + DELIVERY_COLUMNS + " FROM te_webhook_delivery"
                            + " WHERE subscription_id = :subscription AND position < :before"
                            + " ORDER BY position DESC LIMIT :limit")
                    .bind("subscription", subscription)
                    .bind("before", before.orElse(Long.MAX_VALUE))
                    .bind("limit", limit + 1)
                    .map((rs, ctx) -> stored(rs))
                    .list();
            boolean more = rows.size() > limit;
            List<Stored> page = more ? rows.subList(0, limit) : rows;
            if (page.isEmpty()) {
                return none;
            }
            Map<Long, List<WebhookDelivery.Attempt>> attempts = new HashMap<>();
            h.createQuery("SELECT a.delivery_position, a.attempted_at, a.engine, a.status_code, a.latency_us, a.error"
                            + " FROM te_webhook_attempt a JOIN te_webhook_delivery d ON d.position = a.delivery_position"
                            + " WHERE d.subscription_id = :subscription AND a.delivery_position BETWEEN :low AND :high"
                            + " ORDER BY a.delivery_position, a.number")
                    .bind("subscription", subscription)
                    .bind("low", page.get(page.size() - 1).position())
                    .bind("high", page.get(0).position())
                    .map((rs, ctx) -> Map.entry(rs.getLong("delivery_position"), attempt(rs)))
                    .forEach(e -> attempts.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(e.getValue()));
            List<WebhookDelivery> deliveries = page.stream()
                    .map(s -> s.view(attempts.getOrDefault(s.position(), List.of())))
                    .toList();
            return new StoredDeliveries(
                    deliveries, more ? OptionalLong.of(page.get(page.size() - 1).position()) : OptionalLong.empty());
        });
    }

    @Override
    public int forgetDeliveries(Instant finishedBefore) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        return transaction("forget finished webhook deliveries", h -> {
            String finished =
                    "SELECT position FROM te_webhook_delivery WHERE state <> " + PENDING + " AND finished_at < :before";
            h.createUpdate("DELETE FROM te_webhook_attempt WHERE delivery_position IN (" + finished + ")")
                    .bind("before", SqlTimes.bound(finishedBefore))
                    .execute();
            return h.createUpdate(
                            "DELETE FROM te_webhook_delivery WHERE state <> " + PENDING + " AND finished_at < :before")
                    .bind("before", SqlTimes.bound(finishedBefore))
                    .execute();
        });
    }

    // --- rows

    /** A delivery as kept, without its attempts. */
    private record Stored(
            long position,
            NewDelivery delivery,
            WebhookDelivery.State state,
            Optional<Instant> nextAttemptAt,
            Optional<Instant> finishedAt,
            int attempts) {
        WebhookDelivery view(List<WebhookDelivery.Attempt> log) {
            return new WebhookDelivery(
                    delivery.subscriptionId(),
                    delivery.eventId(),
                    delivery.eventType(),
                    delivery.taskId(),
                    state,
                    delivery.createdAt(),
                    nextAttemptAt,
                    finishedAt,
                    log);
        }
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        NewDelivery delivery = new NewDelivery(
                rs.getObject("subscription_id", UUID.class),
                TenantId.of(rs.getString("tenant")),
                rs.getObject("event_id", UUID.class),
                StoredCodes.EVENT_TYPE.constant(rs.getString("event_type")),
                TaskId.of(rs.getLong("task_id")),
                rs.getString("payload"),
                instant(rs, "created_at").orElseThrow());
        return new Stored(
                rs.getLong("position"),
                delivery,
                StoredCodes.DELIVERY_STATE.constant(rs.getInt("state")),
                instant(rs, "next_attempt_at"),
                instant(rs, "finished_at"),
                rs.getInt("attempts"));
    }

    private static WebhookDelivery.Attempt attempt(ResultSet rs) throws SQLException {
        return new WebhookDelivery.Attempt(
                instant(rs, "attempted_at").orElseThrow(),
                rs.getString("engine"),
                rs.getInt("status_code"),
                Duration.of(rs.getLong("latency_us"), ChronoUnit.MICROS),
                Optional.ofNullable(rs.getString("error")));
    }

    private static WebhookSubscription subscription(ResultSet rs) throws SQLException {
        Optional<WebhookSubscription.Disabled> disabled = Optional.empty();
        Optional<Instant> disabledAt = instant(rs, "disabled_at");
        if (disabledAt.isPresent()) {
            disabled = Optional.of(new WebhookSubscription.Disabled(
                    StoredCodes.DISABLED_REASON.constant(rs.getInt("disabled_reason")),
                    disabledAt.get(),
                    rs.getString("disabled_detail")));
        }
        return new WebhookSubscription(
                rs.getObject("id", UUID.class),
                TenantId.of(rs.getString("tenant")),
                URI.create(rs.getString("url")),
                eventTypes(rs.getString("event_types")),
                WebhookSecrets.decode(rs.getString("secrets")),
                disabled,
                rs.getInt("consecutive_failures"),
                instant(rs, "failing_since"),
                instant(rs, "created_at").orElseThrow(),
                instant(rs, "updated_at").orElseThrow(),
                rs.getLong("version"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(SqlTimes::read);
    }

    /** The event types as stored: their event names, in the enum's order, joined by commas; empty for every type. */
    static String eventTypes(Set<TaskEventType> types) {
        return types.stream().sorted().map(StoredCodes.EVENT_TYPE::name).collect(Collectors.joining(","));
    }

    static Set<TaskEventType> eventTypes(String stored) {
        Set<TaskEventType> types = EnumSet.noneOf(TaskEventType.class);
        if (!stored.isEmpty()) {
            for (String name : stored.split(",", -1)) {
                types.add(StoredCodes.EVENT_TYPE.constant(name));
            }
        }
        return types;
    }

    private static Integer disabledReason(WebhookSubscription subscription) {
        return subscription
                .disabled()
                .map(d -> StoredCodes.DISABLED_REASON.code(d.reason()))
                .orElse(null);
    }

    private static Argument time(Optional<Instant> instant) {
        return instant.isPresent()
                ? SqlTimes.stored(instant.get())
                : (position, statement, context) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static long micros(Duration duration) {
        return duration.getSeconds() * 1_000_000L + duration.getNano() / 1_000;
    }

    // --- secrets

    /**
     * How a failed statement of this store is told in its exception's message: its SQL, never its bound values (which
     * hold the subscriptions' secrets); Jdbi's default renders the arguments too.
     */
    private static String withoutArguments(StatementException failure) {
        StatementContext context = failure.getStatementContext();
        String sql = context == null ? null : context.getRawSql();
        return sql == null ? "" : "statement:[" + sql + "]";
    }

    /**
     * A subscription's secrets bound as their stored text ({@link WebhookSecrets}); its {@link #toString()} hides them,
     * so that no rendering of a statement's arguments (an exception's, a host's SQL logger) shows a secret.
     */
    private static final class HiddenSecrets implements Argument {
        private final String encoded;

        HiddenSecrets(List<WebhookSubscription.Secret> secrets) {
            this.encoded = WebhookSecrets.encode(secrets);
        }

        @Override
        public void apply(int position, java.sql.PreparedStatement statement, StatementContext context)
                throws SQLException {
            statement.setString(position, encoded);
        }

        @Override
        public String toString() {
            return "<secrets hidden>";
        }
    }

    // --- transactions

    @FunctionalInterface
    private interface Work<T> {
        T apply(Handle handle) throws SQLException;
    }

    private Dialect dialect(Handle h) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(h.getConnection().getMetaData());
            dialect = known;
        }
        return known;
    }

    /** Runs {@code work} in one transaction of its own, committed before it answers; see {@link StoreFailures}. */
    private <T> T transaction(String operation, Work<T> work) {
        return transaction(operation, false, work);
    }

    /** As {@link #transaction(String, Work)}; a unique violation is run again too when {@code retryDuplicates}. */
    private <T> T transaction(String operation, boolean retryDuplicates, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    // On this handle's copy of the configuration only: the host's Jdbi renders as it did.
                    h.getConfig(StatementExceptions.class).setMessageRendering(JdbiWebhookStore::withoutArguments);
                    return work.apply(h);
                });
            } catch (JdbiException | SQLException e) {
                if (attempt < ATTEMPTS
                        && (StoreFailures.isTransient(e)
                                || (retryDuplicates
                                        && (StoreFailures.isUniqueViolation(e)
                                                || StoreFailures.isForeignKeyViolation(e))))) {
                    continue;
                }
                RuntimeException translated = StoreFailures.translate(operation, e);
                if (translated instanceof IllegalStateException && !(translated instanceof StoreUnavailableException)) {
                    throw new IllegalArgumentException(operation + ": it is stored already", e);
                }
                throw translated;
            }
        }
    }
}
