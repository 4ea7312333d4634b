package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.store.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Several engines, one PostgreSQL, scheduled execution: two engine instances, each on its own connection pool with its
 * own started scheduler, share 10,000 due tasks. Every task must be delivered exactly once — no key sent twice to the
 * shared sender, no task delivered under two keys — none left due, and both engines must have done part of the work.
 * Runs in a schema of its own, so that the schedulers claim only these tasks.
 */
class PostgresTwoSchedulersTest {
    private static final int TASKS = 10_000;
    private static final int WORKERS_PER_ENGINE = 8;
    private static final int CREATE_CHUNK = 500;
    private static final Duration BOUND = Duration.ofMinutes(2);
    private static final SchedulerOptions OPTIONS = SchedulerOptions.defaults()
            .withPollInterval(Duration.ofMillis(25))
            .withBatchSize(50)
            .withWorkerThreads(WORKERS_PER_ENGINE)
            .withLease(Duration.ofSeconds(30))
            .withStaleExecutionAfter(Duration.ofMinutes(5));

    /** The provider both engines send through: delivers once per idempotency key and counts every call. */
    private static final class SharedSender {
        final Map<String, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
        final Map<Long, Set<String>> keysByTask = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> callsByEngine = new ConcurrentHashMap<>();
        final Map<Channel, AtomicInteger> callsByChannel = new ConcurrentHashMap<>();
        final Set<String> foreign = ConcurrentHashMap.newKeySet();

        MessageSender of(String engine, TenantId tenant) {
            return message -> {
                callsByEngine.computeIfAbsent(engine, e -> new AtomicInteger()).incrementAndGet();
                return send(message, tenant);
            };
        }

        private Delivery send(OutgoingMessage message, TenantId tenant) {
            if (!message.tenant().equals(tenant)) {
                foreign.add(message.idempotencyKey());
            }
            callsByChannel
                    .computeIfAbsent(message.channel(), c -> new AtomicInteger())
                    .incrementAndGet();
            if (callsByKey
                            .computeIfAbsent(message.idempotencyKey(), k -> new AtomicInteger())
                            .incrementAndGet()
                    == 1) {
                keysByTask
                        .computeIfAbsent(message.taskId().value(), id -> ConcurrentHashMap.newKeySet())
                        .add(message.idempotencyKey());
            }
            return Delivery.delivered("shared-" + message.idempotencyKey());
        }
    }

    @Test
    void twoEnginesOnOnePostgresDeliverEachOfTenThousandScheduledTasksExactlyOnce() throws Exception {
        TenantId tenant = freshTenant();
        SharedSender sender = new SharedSender();
        try (TestDatabase.Isolated schema = PostgresServer.isolatedSchema();
                HikariDataSource poolA = pool("engine-a", schema.dataSource());
                HikariDataSource poolB = pool("engine-b", schema.dataSource())) {
            TaskSchema.migrate(poolA);
            ClaimCounter claimsA = new ClaimCounter();
            ClaimCounter claimsB = new ClaimCounter();
            TaskEngine engineA = engine(poolA, sender.of("engine-a", tenant), claimsA);
            TaskEngine engineB = engine(poolB, sender.of("engine-b", tenant), claimsB);

            long creating = System.nanoTime();
            Set<Long> created = create(tenant, poolA, poolB);
            long createMillis = millisSince(creating);
            assertThat(created).hasSize(TASKS);

            TaskScheduler schedulerA = engineA.scheduler(OPTIONS.withOwner("engine-a"));
            TaskScheduler schedulerB = engineB.scheduler(OPTIONS.withOwner("engine-b"));
            Jdbi jdbi = Jdbi.create(poolA);
            long executing = System.nanoTime();
            long[] left;
            try {
                schedulerA.start();
                schedulerB.start();
                long deadline = executing + BOUND.toNanos();
                while ((left = left(jdbi, tenant))[0] > 0) {
                    if (System.nanoTime() > deadline) {
                        fail("not every task executed within " + BOUND + ": " + left[0] + " unfinished, " + left[1]
                                + " executing, calls " + sender.callsByEngine);
                    }
                    Thread.sleep(50);
                }
            } finally {
                schedulerA.stop();
                schedulerB.stop();
            }
            long executeMillis = millisSince(executing);
            left = left(jdbi, tenant);

            int calls = sender.callsByKey.values().stream()
                    .mapToInt(AtomicInteger::get)
                    .sum();
            long duplicateCalls = sender.callsByKey.values().stream()
                    .mapToInt(AtomicInteger::get)
                    .filter(n -> n > 1)
                    .mapToLong(n -> n - 1)
                    .sum();
            long deliveredTwice = sender.keysByTask.values().stream()
                    .filter(keys -> keys.size() > 1)
                    .count();
            Set<Long> lost = new HashSet<>(created);
            lost.removeAll(sender.keysByTask.keySet());
            int byA = sender.callsByEngine
                    .getOrDefault("engine-a", new AtomicInteger())
                    .get();
            int byB = sender.callsByEngine
                    .getOrDefault("engine-b", new AtomicInteger())
                    .get();
            System.out.printf(
                    "two engines on one PostgreSQL, %d workers each: %d scheduled tasks (%s) created in %d ms,"
                            + " executed in %d ms (%.0f/s); engine-a sent %d, engine-b %d; calls %d, duplicate calls %d,"
                            + " delivered twice %d, lost %d, left unfinished %d, executing %d; engine-a made %s, engine-b %s%n",
                    WORKERS_PER_ENGINE,
                    TASKS,
                    sender.callsByChannel,
                    createMillis,
                    executeMillis,
                    TASKS * 1000.0 / Math.max(1, executeMillis),
                    byA,
                    byB,
                    calls,
                    duplicateCalls,
                    deliveredTwice,
                    lost.size(),
                    left[0],
                    left[1],
                    claimsA,
                    claimsB);

            assertThat(sender.foreign).as("messages of another tenant").isEmpty();
            assertThat(duplicateCalls)
                    .as("keys sent more than once to the sender")
                    .isZero();
            assertThat(deliveredTwice).as("tasks delivered under two keys").isZero();
            assertThat(lost).as("tasks never delivered").isEmpty();
            assertThat(sender.keysByTask.keySet()).as("tasks delivered").isEqualTo(created);
            assertThat(calls).as("calls at the sender").isEqualTo(TASKS);
            assertThat(left[0]).as("tasks not finished").isZero();
            assertThat(left[1]).as("tasks still executing").isZero();
            assertThat(left[2]).as("tasks left due").isZero();
            assertThat(byA).as("tasks sent by engine A").isPositive();
            assertThat(byB).as("tasks sent by engine B").isPositive();
            assertThat(byA + byB).as("calls by both engines").isEqualTo(TASKS);
        }
    }

    /**
     * Half SMS, half emails, all scheduled and due; created by engines of both pools in a few threads, each thread
     * committing every {@value #CREATE_CHUNK} tasks (an engine on the thread's transaction) rather than every task.
     */
    private static Set<Long> create(TenantId tenant, DataSource poolA, DataSource poolB) throws Exception {
        Instant now = Instant.now();
        int threads = 4;
        ExecutorService creators = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                Jdbi jdbi = Jdbi.create(t % 2 == 0 ? poolA : poolB);
                parts.add(creators.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    List<Integer> mine = new ArrayList<>();
                    for (int i = first; i < TASKS; i += threads) {
                        mine.add(i);
                    }
                    for (int from = 0; from < mine.size(); from += CREATE_CHUNK) {
                        List<Integer> chunk = mine.subList(from, Math.min(mine.size(), from + CREATE_CHUNK));
                        ids.addAll(jdbi.inTransaction(h -> {
                            TaskEngine engine = TaskEngine.builder()
                                    .store(JdbiTaskStore.inTransaction(h))
                                    .contacts(ExecutionWorker.contacts())
                                    .build();
                            List<Long> created = new ArrayList<>();
                            for (int i : chunk) {
                                created.add(engine.create(Actor.user(7), task(tenant, i, now))
                                        .get()
                                        .id()
                                        .value());
                            }
                            return created;
                        }));
                    }
                    return ids;
                }));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<List<Long>> part : parts) {
                ids.addAll(part.get(2, TimeUnit.MINUTES));
            }
            return ids;
        } finally {
            creators.shutdownNow();
        }
    }

    private static NewTask task(TenantId tenant, int i, Instant now) {
        NewTask.Builder task = NewTask.builder()
                .tenant(tenant)
                .contact(ContactId.of(i + 1))
                .assignee(UserId.of(7))
                .scheduled(true)
                .startAt(now.minusSeconds(1).minusMillis(i))
                .dueTo(now.plus(Duration.ofHours(1)));
        return i % 2 == 0
                ? task.type(TaskType.MANUAL_EMAIL)
                        .template(Template.of("Pilot {{firstName}}", "Hi {{firstName}}, it is ready."))
                        .build()
                : task.type(TaskType.SMS)
                        .template(Template.of("Hi {{firstName}}, it is ready."))
                        .build();
    }

    /** Unfinished, executing, and due (scheduled, active, not executing) tasks of the tenant. */
    private static long[] left(Jdbi jdbi, TenantId tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT"
                        + " COALESCE(SUM(CASE WHEN status <> :finished THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN execution_key IS NOT NULL THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN scheduled AND status IN (:new, :inProgress) AND execution_key IS NULL"
                        + " THEN 1 ELSE 0 END), 0)"
                        + " FROM te_task WHERE tenant = :tenant")
                .bind("tenant", tenant.value())
                .bind("finished", StoredCodes.STATUS.code(TaskStatus.FINISHED))
                .bind("new", StoredCodes.STATUS.code(TaskStatus.NEW))
                .bind("inProgress", StoredCodes.STATUS.code(TaskStatus.IN_PROGRESS))
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .one());
    }

    private static TaskEngine engine(DataSource pool, MessageSender sender, ClaimCounter claims) {
        return TaskEngine.builder()
                .store(claims.around(new JdbiTaskStore(pool)))
                .contacts(ExecutionWorker.contacts())
                .senderAccounts(new SenderAccounts() {
                    @Override
                    public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
                        return Optional.of(EmailAccountId.of(1));
                    }

                    @Override
                    public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
                        return Optional.empty();
                    }

                    @Override
                    public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
                        return true;
                    }
                })
                .sender(sender)
                .build();
    }

    /** One engine's own pool on the test schema: a connection per worker, one for the poller, one spare. */
    private static HikariDataSource pool(String name, DataSource schema) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(schema);
        config.setMaximumPoolSize(WORKERS_PER_ENGINE + 2);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** Counts the claims an engine's scheduler makes, the tasks they take and the time they take. */
    private static final class ClaimCounter {
        final AtomicLong claims = new AtomicLong();
        final AtomicLong claimed = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();

        TaskStore around(TaskStore store) {
            return (TaskStore) Proxy.newProxyInstance(
                    TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                        long started = System.nanoTime();
                        Object result;
                        try {
                            result = method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("claimDue")) {
                            claims.incrementAndGet();
                            claimed.addAndGet(((List<?>) result).size());
                            nanos.addAndGet(System.nanoTime() - started);
                        }
                        return result;
                    });
        }

        @Override
        public String toString() {
            return claims + " claims of " + String.format("%.1f", claimed.get() / (double) Math.max(1, claims.get()))
                    + " tasks on average, " + String.format("%.0f", nanos.get() / 1e6 / Math.max(1, claims.get()))
                    + " ms each";
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
