package dev.taskengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.JdbiWebhookStore;
import dev.taskengine.api.NewWebhook;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.contract.WebhookReceiver;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks at least once, in order per task, through a dead engine: 2,000 events (400 to-dos, each created, snoozed,
 * unsnoozed, updated and completed, written in bursts while the engines run) of one tenant on PostgreSQL, delivered by
 * two engines in JVMs of their own ({@link WebhookWorker}) to a receiver in this JVM that checks every signature, takes
 * 20 to 50 ms per request and answers 500 to a seeded-random 30 % of them. Once the receiver accepted a third of the
 * events, the first engine is killed with SIGKILL while deliveries are under its lease (the receiver slowed for that
 * moment, so that some of them are being posted): the other takes them over once their lease ran out and posts them
 * again, with the same webhook-id. Every event written is accepted at least once, a duplicate has the first's id and
 * body, and each task's events are first accepted in the order they were written.
 */
class WebhookKilledEngineTest {
    static final int TASKS = 400;
    static final int WRITES_PER_TASK = 5;
    static final int EVENTS = TASKS * WRITES_PER_TASK;
    static final int BURSTS = 4;
    static final double FAILING = 0.30;
    static final long SEED = 20_261_201L;

    /** Every event must be accepted within this, from the first write. */
    private static final Duration RUN_BOUND = Duration.ofMinutes(4);

    private static final long READY_TIMEOUT_SECONDS = 60;

    private final Path folder =
            Path.of("target", "webhook-kill", UUID.randomUUID().toString()).toAbsolutePath();
    private final List<WorkerJvm> workers = new ArrayList<>();
    private WebhookReceiver receiver;

    @AfterEach
    void leaveNoWorkerBehind() {
        workers.forEach(WorkerJvm::close);
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void everyEventIsReceivedAtLeastOnceInOrderPerTaskThroughAnEngineKilledWithSigkill() throws Exception {
        Postgres.OwnSchema schema = Postgres.ownSchema("te_webhook_kill");
        TenantId tenant = TenantId.of("webhook-kill-" + UUID.randomUUID());
        Files.createDirectories(folder);
        Stopwatch watch = Stopwatch.start();

        Random answers = new Random(SEED);
        Random pauses = new Random(SEED + 1);
        // How many requests of each id reached the receiver (answered or not yet).
        Map<String, AtomicInteger> arrived = new ConcurrentHashMap<>();
        AtomicReference<Duration> slowedTo = new AtomicReference<>();
        receiver = new WebhookReceiver().answer(request -> {
            if (request.id() != null) {
                arrived.computeIfAbsent(request.id(), id -> new AtomicInteger()).incrementAndGet();
            }
            Duration slowed = slowedTo.get();
            long pause;
            synchronized (pauses) {
                pause = slowed != null ? slowed.toMillis() : 20 + pauses.nextInt(31);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (answers) {
                return answers.nextDouble() < FAILING ? 500 : 200;
            }
        });

        try (HikariDataSource pool = schema.pool("webhook-controller", 4)) {
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(pool))
                    .webhooks(new JdbiWebhookStore(pool), WebhookWorker.OPTIONS)
                    .build();
            WebhookSubscription subscription = engine.webhooks()
                    .orElseThrow()
                    .create(NewWebhook.of(tenant, receiver.url()))
                    .get();
            receiver.expectSecrets(() -> List.of(subscription.secret()));

            WorkerJvm doomed = start(schema, "engine-a");
            WorkerJvm survivor = start(schema, "engine-b");
            awaitReady(doomed);
            awaitReady(survivor);

            Writer writer = new Writer(engine, tenant);
            Thread writing = new Thread(writer, "webhook-kill-writer");
            Stopwatch run = Stopwatch.start();
            writing.start();

            Instant killedAt = null;
            Set<UUID> underLeaseAtKill = Set.of();
            long postedBeforeKill = 0;
            long acceptedAtKill = 0;
            while (true) {
                assertThat(writer.failure.get()).as("a write failed").isNull();
                Set<String> accepted = acceptedIds();
                if (killedAt == null && accepted.size() >= EVENTS / 3) {
                    // Slowed for a moment: what engine-a is posting is still under way when it dies, and the rest of
                    // its claimed batch waits behind it.
                    slowedTo.set(Duration.ofMillis(400));
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (System.nanoTime() < until && !postedUnderLease(pool, arrived)) {
                        Thread.sleep(5);
                    }
                    assertThat(doomed.kill())
                            .as("exit code of the killed worker (128 + SIGKILL)")
                            .isEqualTo(137);
                    killedAt = Instant.now();
                    Map<UUID, Integer> leased = WebhookWorker.underLease(pool, doomed.owner);
                    underLeaseAtKill = leased.keySet();
                    postedBeforeKill = leased.entrySet().stream()
                            .filter(delivery -> posted(delivery, arrived))
                            .count();
                    acceptedAtKill = accepted.size();
                    slowedTo.set(null);
                }
                if (!writing.isAlive() && accepted.size() >= EVENTS) {
                    break;
                }
                if (watch.millis() > RUN_BOUND.toMillis()) {
                    break;
                }
                Thread.sleep(20);
            }
            writing.join(TimeUnit.SECONDS.toMillis(30));
            String elapsed = run.elapsed();

            Map<UUID, Written> written = written(pool, tenant);
            List<WebhookReceiver.Received> received = receiver.received();
            List<WebhookReceiver.Received> accepted = receiver.accepted();
            Map<String, WebhookReceiver.Received> firstAccepted = new LinkedHashMap<>();
            long duplicates = 0;
            long duplicatesOtherBody = 0;
            long duplicatesOfLeased = 0;
            Set<String> leasedIds =
                    underLeaseAtKill.stream().map(UUID::toString).collect(Collectors.toSet());
            for (WebhookReceiver.Received request : accepted) {
                WebhookReceiver.Received first = firstAccepted.putIfAbsent(request.id(), request);
                if (first != null) {
                    duplicates++;
                    if (leasedIds.contains(request.id())) {
                        duplicatesOfLeased++;
                    }
                    if (!first.body().equals(request.body())) {
                        duplicatesOtherBody++;
                    }
                }
            }
            Set<UUID> acceptedIds =
                    firstAccepted.keySet().stream().map(UUID::fromString).collect(Collectors.toSet());
            long lost = written.keySet().stream()
                    .filter(id -> !acceptedIds.contains(id))
                    .count();
            long notWritten =
                    acceptedIds.stream().filter(id -> !written.containsKey(id)).count();
            long invalidSignatures =
                    received.stream().filter(r -> !r.signatureValid()).count();
            long answered500 =
                    received.stream().filter(r -> r.answered() == 500).count();
            // Per task, the versions of its events in the order they were first accepted.
            Map<Long, List<Long>> versionsAccepted = new HashMap<>();
            for (String id : firstAccepted.keySet()) {
                Written write = written.get(UUID.fromString(id));
                if (write != null) {
                    versionsAccepted
                            .computeIfAbsent(write.taskId(), t -> new ArrayList<>())
                            .add(write.version());
                }
            }
            long outOfOrder = versionsAccepted.values().stream()
                    .filter(versions ->
                            !versions.equals(versions.stream().sorted().toList()))
                    .count();
            Instant kill = killedAt;
            Set<String> acceptedAfterKill = kill == null
                    ? Set.of()
                    : accepted.stream()
                            .filter(r -> r.receivedAt().isAfter(kill))
                            .map(WebhookReceiver.Received::id)
                            .collect(Collectors.toSet());
            long underLeaseDeliveredAfter = underLeaseAtKill.stream()
                    .filter(id -> acceptedAfterKill.contains(id.toString()))
                    .count();

            Figures.webhook(
                    "two engines in two JVMs, one killed with SIGKILL, one PostgreSQL: %d events, %d received at"
                            + " least once, %d lost, %d out of order per task, %d duplicates (%s), %d of %d requests"
                            + " answered 500 (%.0f %%), %d deliveries under the killed engine's lease at the kill (%d"
                            + " of them posted before it) %s; %s; %s",
                    written.size(),
                    acceptedIds.size(),
                    lost,
                    outOfOrder,
                    duplicates,
                    duplicatesOtherBody == 0
                            ? "all with the same id and body"
                            : duplicatesOtherBody + " with another body",
                    answered500,
                    received.size(),
                    received.isEmpty() ? 0.0 : 100.0 * answered500 / received.size(),
                    underLeaseAtKill.size(),
                    postedBeforeKill,
                    underLeaseDeliveredAfter == underLeaseAtKill.size()
                            ? "all delivered afterwards"
                            : underLeaseDeliveredAfter + " delivered afterwards",
                    invalidSignatures == 0 ? "every signature valid" : invalidSignatures + " signatures invalid",
                    elapsed);
            Figures.webhook(
                    "the kill came after %d events accepted, at %s; %d of the %d duplicates are of deliveries under"
                            + " the killed engine's lease; %d accepted ids never written",
                    acceptedAtKill, killedAt, duplicatesOfLeased, duplicates, notWritten);

            assertThat(writer.failure.get()).as("a write failed").isNull();
            assertThat(killedAt).as("the first worker was killed").isNotNull();
            assertThat(survivor.alive())
                    .as("the second worker lives to the end")
                    .isTrue();
            assertThat(written).as("events written (the tenant's history)").hasSize(EVENTS);
            assertThat(lost)
                    .as("events never accepted, after %s; pending deliveries: %s", RUN_BOUND, pending(pool))
                    .isZero();
            assertThat(acceptedIds).as("distinct ids accepted").hasSize(EVENTS);
            assertThat(notWritten).as("ids accepted that were never written").isZero();
            assertThat(invalidSignatures)
                    .as("requests with an invalid signature")
                    .isZero();
            assertThat(duplicatesOtherBody)
                    .as("duplicates with another body than the first")
                    .isZero();
            assertThat(outOfOrder)
                    .as("tasks whose events were first accepted out of their order: %s", versionsAccepted)
                    .isZero();
            assertThat((double) answered500 / received.size())
                    .as("share of requests answered 500")
                    .isBetween(0.25, 0.35);
            assertThat(underLeaseAtKill)
                    .as("deliveries under the killed engine's lease at the kill")
                    .isNotEmpty();
            assertThat(postedBeforeKill)
                    .as("deliveries under the killed engine's lease posted before the kill")
                    .isPositive();
            assertThat(acceptedAfterKill)
                    .as("ids accepted after the kill: every delivery under the killed engine's lease")
                    .containsAll(underLeaseAtKill.stream().map(UUID::toString).toList());
            assertThat(acceptedAtKill)
                    .as("events accepted at the kill: it fell in the middle of the run")
                    .isBetween(1L, (long) EVENTS - 1);
        }
    }

    /** Ids the receiver answered 2xx. */
    private Set<String> acceptedIds() {
        return receiver.accepted().stream().map(WebhookReceiver.Received::id).collect(Collectors.toSet());
    }

    /** Whether engine-a holds deliveries under its lease whose attempt under way reached the receiver. */
    private static boolean postedUnderLease(DataSource pool, Map<String, AtomicInteger> arrived) {
        return WebhookWorker.underLease(pool, "engine-a").entrySet().stream()
                .anyMatch(delivery -> posted(delivery, arrived));
    }

    /**
     * Whether the attempt under way of a leased delivery (event id, attempts recorded) reached the receiver: more of its
     * requests arrived than attempts were recorded.
     */
    private static boolean posted(Map.Entry<UUID, Integer> delivery, Map<String, AtomicInteger> arrived) {
        AtomicInteger requests = arrived.get(delivery.getKey().toString());
        return requests != null && requests.get() > delivery.getValue();
    }

    /** A write of the tenant's history: its task and version. */
    record Written(long taskId, long version) {}

    private static Map<UUID, Written> written(DataSource pool, TenantId tenant) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, task_id, version FROM te_history WHERE tenant = ? ORDER BY position")) {
            statement.setString(1, tenant.value());
            Map<UUID, Written> written = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    written.put(rows.getObject(1, UUID.class), new Written(rows.getLong(2), rows.getLong(3)));
                }
            }
            return written;
        }
    }

    /** The deliveries still pending, for a failure's message. */
    private static List<String> pending(DataSource pool) {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT position, task_id, event_id, attempts, next_attempt_at, lease_owner, lease_until"
                                + " FROM te_webhook_delivery WHERE state = 0 ORDER BY position LIMIT 20")) {
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getLong(1) + " task " + result.getLong(2) + " event " + result.getString(3)
                            + " attempts " + result.getInt(4) + " next " + result.getString(5) + " lease "
                            + result.getString(6) + " until " + result.getString(7));
                }
            }
            return rows;
        } catch (SQLException e) {
            return List.of("unreadable: " + e);
        }
    }

    /**
     * The test's writes: {@link #BURSTS} bursts of {@code TASKS / BURSTS} to-dos, each created, then snoozed, unsnoozed,
     * updated and completed (each step over the burst's tasks in turn, so that a task's events come apart in time),
     * a second between bursts.
     */
    static final class Writer implements Runnable {
        private final TaskEngine engine;
        private final TenantId tenant;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Writer(TaskEngine engine, TenantId tenant) {
            this.engine = engine;
            this.tenant = tenant;
        }

        @Override
        public void run() {
            try {
                for (int burst = 0; burst < BURSTS; burst++) {
                    if (burst > 0) {
                        Thread.sleep(1_000);
                    }
                    Instant now = Instant.now();
                    List<Task> tasks = new ArrayList<>();
                    for (int i = 0; i < TASKS / BURSTS; i++) {
                        tasks.add(engine.create(
                                        Writes.ACTOR,
                                        NewTask.builder()
                                                .tenant(tenant)
                                                .type(TaskType.TO_DO)
                                                .assignee(UserId.of(7))
                                                .startAt(now)
                                                .dueTo(now.plus(2, ChronoUnit.DAYS))
                                                .template(Template.of("Prepare the review " + burst + "/" + i))
                                                .build())
                                .get());
                    }
                    for (int i = 0; i < tasks.size(); i++) {
                        tasks.set(
                                i,
                                engine.snooze(ref(tasks.get(i)), Instant.now().plus(1, ChronoUnit.DAYS))
                                        .get());
                    }
                    for (int i = 0; i < tasks.size(); i++) {
                        tasks.set(i, engine.unsnooze(ref(tasks.get(i))).get());
                    }
                    for (int i = 0; i < tasks.size(); i++) {
                        Task task = tasks.get(i);
                        tasks.set(
                                i,
                                engine.update(
                                                ref(task),
                                                TaskUpdate.from(task)
                                                        .withTemplate(Template.of("Prepare the review, updated")))
                                        .get());
                    }
                    for (int i = 0; i < tasks.size(); i++) {
                        tasks.set(
                                i,
                                engine.complete(ref(tasks.get(i)), Completion.done())
                                        .get());
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }

        private TaskRef ref(Task task) {
            return TaskRef.of(Writes.ACTOR, tenant, task.id());
        }
    }

    private WorkerJvm start(Postgres.OwnSchema schema, String owner) throws IOException {
        WorkerJvm worker = WorkerJvm.start(
                owner,
                folder,
                List.of("-Xmx192m", "-XX:TieredStopAtLevel=1"),
                WebhookWorker.class,
                List.of(schema.name(), owner),
                line -> false);
        workers.add(worker);
        return worker;
    }

    /** Waits until {@code worker} says it is ready. */
    private static void awaitReady(WorkerJvm worker) throws InterruptedException {
        String line = worker.next(READY_TIMEOUT_SECONDS);
        if (!line.startsWith("ready")) {
            throw new IllegalStateException(
                    worker.owner + " said '" + line + "' instead of ready\n" + worker.diagnostics());
        }
    }
}
