package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.contract.RecordingSender;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.TaskEvent;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Database faults on PostgreSQL: the suite's own cluster ({@link FaultCluster}, never the shared one) is stopped with
 * {@code pg_ctlcluster … stop -m fast} while writer threads create, update and complete tasks and a scheduler executes
 * scheduled SMS tasks, kept down for a few seconds, and started again. Then:
 *
 * <ul>
 *   <li>during the outage every failed call is a {@link StoreUnavailableException} (an infrastructure error), never
 *       another exception, never "not found" or another business answer;</li>
 *   <li>nothing is half-written: every task reads back valid, every acknowledged create is stored, and every stored
 *       task has exactly one event for each of its versions 1…n (a write and its event are one transaction) but the
 *       write that records an execution before the send, which stores none by design;</li>
 *   <li>the engine and its scheduler resume by themselves, without a restart: writes succeed again, every scheduled task
 *       is executed, no execution is left under way, each task's message is delivered under one idempotency key (no
 *       double send), and the scheduler stops leaving no thread behind.</li>
 * </ul>
 */
class DatabaseFaultTest {
    private static final int WRITERS = 3;
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    private static final Duration AFTER = Duration.ofSeconds(4);

    private final TenantId tenant = TenantId.of("rel-faults-" + UUID.randomUUID());
    private final Map<UUID, TaskEvent> events = new ConcurrentHashMap<>();
    private final Map<TaskId, Boolean> created = new ConcurrentHashMap<>();
    private final Set<TaskId> scheduled = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> untyped = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger unavailableWhileDown = new AtomicInteger();
    private final AtomicInteger unavailableWhileUp = new AtomicInteger();

    @Test
    void aRestartOfTheDatabaseIsATypedOutageThatLeavesNothingHalfWrittenAndHealsItself() throws Exception {
        boolean wasRunning = FaultCluster.ensure();
        EngineLog log = EngineLog.capture();
        String schema = "te_fault_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        Postgres.execute(
                Postgres.simple(FaultCluster.URL, FaultCluster.USER, FaultCluster.PASSWORD, null),
                "CREATE SCHEMA " + schema);
        HikariDataSource pool = Postgres.pool(
                "reliability-faults",
                Postgres.simple(FaultCluster.URL, FaultCluster.USER, FaultCluster.PASSWORD, schema),
                8);
        pool.setConnectionTimeout(1_000);
        RecordingSender sender = new RecordingSender();
        TaskScheduler scheduler = null;
        List<Thread> writers = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            TaskSchema.migrate(pool);
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(pool))
                    .contacts(World.contactsOf(tenant))
                    .senderAccounts(World.accounts())
                    .sender(sender)
                    .events(event -> events.put(event.id(), event))
                    .clock(Clock.systemUTC())
                    .retryPolicy(new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(2)))
                    .templates(World.TEMPLATES)
                    .build();
            scheduler = engine.scheduler(SchedulerOptions.defaults()
                            .withPollInterval(Duration.ofMillis(100))
                            .withBatchSize(20)
                            .withWorkerThreads(2)
                            .withLease(Duration.ofSeconds(4))
                            .withStaleExecutionAfter(Duration.ofSeconds(3))
                            .withOwner("reliability-faults"))
                    .start();
            for (int w = 0; w < WRITERS; w++) {
                SplittableRandom random = new SplittableRandom(w);
                Thread writer = new Thread(() -> write(engine, random, writing), "reliability-fault-writer-" + w);
                writers.add(writer);
                writer.start();
            }

            Thread.sleep(BEFORE.toMillis());
            long writesBefore = calls.get();
            Stopwatch outage = Stopwatch.start();
            down.set(true);
            FaultCluster.stop();
            Thread.sleep(OUTAGE.toMillis());
            FaultCluster.start();
            FaultCluster.awaitReady(Duration.ofSeconds(60));
            long outageMillis = outage.millis();
            down.set(false);
            Stopwatch recovery = Stopwatch.start();
            long recoveredAfter = awaitFirstWrite(engine, Duration.ofSeconds(60));
            Thread.sleep(AFTER.toMillis());
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(60_000);
            }
            long totalCalls = calls.get();

            // Every scheduled task is executed once the database is back, without restarting anything.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<Task> stored = all(engine);
            while (System.nanoTime() < deadline && !allScheduledDone(stored)) {
                Thread.sleep(250);
                stored = all(engine);
            }
            long executedAfter = recovery.millis();
            assertThat(scheduler.running()).as("the scheduler is still running").isTrue();
            scheduler.stop();
            while (engine.relayPendingEvents() > 0) {
                // publish what the outage left pending
            }

            // Nothing half-written.
            Map<TaskId, Task> byId = stored.stream().collect(Collectors.toMap(Task::id, t -> t));
            List<String> halfWritten = new ArrayList<>();
            for (TaskId id : created.keySet()) {
                if (!byId.containsKey(id)) {
                    halfWritten.add("acknowledged create of task " + id + " is not stored");
                }
            }
            Map<TaskId, List<TaskEvent>> eventsByTask = events.values().stream()
                    .filter(e -> e.tenant().equals(tenant))
                    .collect(Collectors.groupingBy(TaskEvent::taskId));
            for (Task task : stored) {
                Map<Long, List<TaskEvent>> byVersion = eventsByTask.getOrDefault(task.id(), List.of()).stream()
                        .collect(Collectors.groupingBy(TaskEvent::version));
                for (long version :
                        LongStream.rangeClosed(1, task.version()).boxed().toList()) {
                    List<TaskEvent> at = byVersion.getOrDefault(version, List.of());
                    // The write that records an execution before the send stores no event; its outcome's write does.
                    boolean executionRecord = at.isEmpty()
                            && version < task.version()
                            && byVersion.getOrDefault(version + 1, List.of()).stream()
                                    .anyMatch(e -> e.type() == TaskEventType.EXECUTED
                                            || e.type() == TaskEventType.EXECUTION_FAILED);
                    if (at.size() > 1 || at.isEmpty() && !executionRecord) {
                        halfWritten.add("task " + task.id() + " at version " + task.version() + " has " + at.size()
                                + " events for version " + version + ": " + eventsByTask.get(task.id()));
                    }
                }
                if (byVersion.keySet().stream().anyMatch(v -> v > task.version())) {
                    halfWritten.add(
                            "task " + task.id() + " at version " + task.version() + " has events of later versions");
                }
                if (task.execution().isPresent()) {
                    halfWritten.add("task " + task.id() + " still has an execution under way");
                }
            }
            Map<TaskId, Set<String>> keysPerTask = sender.delivered().stream()
                    .filter(m -> m.tenant().equals(tenant))
                    .collect(Collectors.groupingBy(
                            OutgoingMessage::taskId,
                            Collectors.mapping(
                                    OutgoingMessage::idempotencyKey, Collectors.toCollection(TreeSet::new))));
            List<String> doubleSends = keysPerTask.entrySet().stream()
                    .filter(e -> e.getValue().size() > 1)
                    .map(e -> "task " + e.getKey() + " delivered under keys " + e.getValue())
                    .toList();
            long scheduledDone = stored.stream()
                    .filter(t -> scheduled.contains(t.id()) && t.status() == TaskStatus.FINISHED)
                    .count();
            long resends = sender.calls().stream()
                            .filter(m -> m.tenant().equals(tenant))
                            .count()
                    - keysPerTask.values().stream().mapToLong(Set::size).sum();

            Figures.report(
                    "database faults on PostgreSQL, own cluster %s: stopped (fast) and started after %.1f s of outage,"
                            + " during a load of %d writer threads (%d calls, %d before the outage) and scheduled executions;"
                            + " %d calls answered StoreUnavailableException during the outage (%d around it), %d other exceptions;"
                            + " nothing half-written (%d tasks, each with one event per write); the engine wrote again %.1f s"
                            + " after the server was back, and the scheduler executed all %d scheduled tasks within %.1f s, each"
                            + " delivered under one idempotency key (%d resends under the same key), no thread left; the engine"
                            + " logged %d warnings (failed polls, executions and relays, retried by themselves); outcomes %s",
                    FaultCluster.label(),
                    outageMillis / 1000.0,
                    WRITERS,
                    totalCalls,
                    writesBefore,
                    unavailableWhileDown.get(),
                    unavailableWhileUp.get(),
                    untyped.size(),
                    stored.size(),
                    recoveredAfter / 1000.0,
                    scheduled.size(),
                    executedAfter / 1000.0,
                    resends,
                    log.warnings(),
                    new TreeMap<>(Map.copyOf(outcomes.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> e.getValue().get())))));

            assertThat(untyped)
                    .as("failures that are not StoreUnavailableException")
                    .isEmpty();
            assertThat(unavailableWhileDown.get())
                    .as("calls that met the outage as StoreUnavailableException")
                    .isPositive();
            assertThat(halfWritten).as("half-written state").isEmpty();
            assertThat(scheduled).as("scheduled tasks").isNotEmpty();
            assertThat(scheduledDone)
                    .as("scheduled tasks executed after the outage")
                    .isEqualTo(scheduled.size());
            assertThat(doubleSends)
                    .as("tasks delivered under two idempotency keys (double sends)")
                    .isEmpty();
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneSatisfy(t -> assertThat(t.getName()).startsWith("taskengine-scheduler-"));
        } finally {
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(60_000);
            }
            if (scheduler != null) {
                scheduler.stop();
            }
            FaultCluster.start();
            pool.close();
            try {
                Postgres.execute(
                        Postgres.simple(FaultCluster.URL, FaultCluster.USER, FaultCluster.PASSWORD, null),
                        "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (RuntimeException e) {
                System.err.println("could not drop " + schema + " on " + FaultCluster.label() + ": " + e.getMessage());
            }
            if (!wasRunning) {
                FaultCluster.stop();
            }
            log.release();
        }
    }

    /** A writer: creates scheduled SMS tasks and to-dos, updates and completes the to-dos; logs how every call ended. */
    private void write(TaskEngine engine, SplittableRandom random, AtomicBoolean writing) {
        List<TaskId> mine = new ArrayList<>();
        while (writing.get()) {
            try {
                int dice = random.nextInt(10);
                if (dice < 3) {
                    Instant start = Instant.now().plusMillis(random.nextInt(3000));
                    record(
                            engine.create(
                                    Writes.ACTOR,
                                    newToDo(tenant)
                                            .type(TaskType.SMS)
                                            .contact(ContactId.of(1))
                                            .scheduled(true)
                                            .template(Template.of("Hi {{firstName}}, scheduled"))
                                            .startAt(start)
                                            .dueTo(start.plusSeconds(3600))
                                            .build()),
                            "create scheduled",
                            true);
                } else if (dice < 5 || mine.isEmpty()) {
                    Either<TaskError, Task> task =
                            engine.create(Writes.ACTOR, newToDo(tenant).build());
                    record(task, "create to-do", false);
                    task.peek(t -> mine.add(t.id()));
                } else if (dice < 8) {
                    TaskId id = mine.get(random.nextInt(mine.size()));
                    Optional<Task> read =
                            engine.get(tenant, id, false).map(d -> d.task()).toJavaOptional();
                    count("get " + (read.isPresent() ? "found" : "not found"));
                    read.ifPresent(t -> record(
                            engine.update(
                                    TaskRef.of(Writes.ACTOR, tenant, id).expecting(t.version()),
                                    TaskUpdate.from(t).withPriority(Priority.values()[random.nextInt(3)])),
                            "update",
                            false));
                } else {
                    record(
                            engine.complete(
                                    TaskRef.of(Writes.ACTOR, tenant, mine.get(random.nextInt(mine.size()))),
                                    Completion.done()),
                            "complete",
                            false);
                }
            } catch (StoreUnavailableException e) {
                (down.get() ? unavailableWhileDown : unavailableWhileUp).incrementAndGet();
                count("StoreUnavailableException");
                pause(50);
            } catch (RuntimeException e) {
                untyped.add(e.toString());
            } finally {
                calls.incrementAndGet();
            }
        }
    }

    private void record(Either<TaskError, Task> answer, String what, boolean isScheduled) {
        if (answer.isRight()) {
            created.putIfAbsent(answer.get().id(), Boolean.TRUE);
            if (isScheduled) {
                scheduled.add(answer.get().id());
            }
            count(what);
        } else {
            count(what + " refused " + answer.getLeft().code());
        }
    }

    private long awaitFirstWrite(TaskEngine engine, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        while (System.nanoTime() - started < timeout.toNanos()) {
            try {
                engine.create(Writes.ACTOR, newToDo(tenant).build()).peek(t -> created.put(t.id(), Boolean.TRUE));
                return (System.nanoTime() - started) / 1_000_000;
            } catch (StoreUnavailableException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the engine did not write again within " + timeout + " after the database came back");
    }

    private List<Task> all(TaskEngine engine) {
        List<Task> tasks = new ArrayList<>();
        String cursor = null;
        do {
            TaskQuery.Builder query = TaskQuery.forTenant(tenant).limit(1000);
            if (cursor != null) {
                query.after(cursor);
            }
            var page = engine.query(query.build()).get();
            tasks.addAll(page.tasks());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return tasks;
    }

    private boolean allScheduledDone(List<Task> stored) {
        return stored.stream().filter(t -> scheduled.contains(t.id())).allMatch(t -> t.status() == TaskStatus.FINISHED)
                && stored.stream().filter(t -> scheduled.contains(t.id())).count() == scheduled.size();
    }

    private void count(String key) {
        outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
