package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across a crash of the host JVM: a worker JVM ({@link ExecutionWorker}) executes scheduled SMS tasks
 * through a sender that honours idempotency keys and logs every delivery to a file; it is killed with SIGKILL in the
 * middle of the run, a second worker takes over, and every task must end finished and delivered exactly once — none
 * twice, none lost — the executions that were under way at the kill resent under the key they were recorded with.
 * One subclass per database.
 */
abstract class KilledWorkerBehaviour {
    static final int TASKS = 400;
    /**
     * Per send, 2 ms before the log is written and the rest after: widens the windows a kill can fall in, mostly the one
     * between a delivery and the record of its outcome.
     */
    static final long SEND_DELAY_MILLIS = 20;
    /** The first worker's sender hangs after this many deliveries, and the worker is killed then. */
    static final int KILL_AT = TASKS * 2 / 5;

    static final Duration FIRST_WORKER_BOUND = Duration.ofSeconds(60);
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);

    /** A fresh, empty database the worker JVMs and the test reach by URL. */
    record WorkerDatabase(String label, String url, String user, String password, Runnable drop) {}

    /** Creates the database for one run, in {@code folder} if it is made of files; dropped after the run. */
    protected abstract WorkerDatabase createDatabase(Path folder);

    private final Path folder =
            Path.of("target", "kill-nine", UUID.randomUUID().toString()).toAbsolutePath();
    private final List<WorkerProcess> workers = new ArrayList<>();
    private WorkerDatabase database;

    @AfterEach
    void leaveNothingBehind() {
        workers.forEach(WorkerProcess::close);
        if (database != null) {
            database.drop().run();
        }
        TestDatabase.deleteRecursively(folder);
    }

    @Test
    void everyTaskIsDeliveredExactlyOnceWhenTheWorkerJvmIsKilledMidRunAndAnotherTakesOver() throws Exception {
        Files.createDirectories(folder);
        database = createDatabase(folder);
        TenantId tenant = freshTenant();
        Path log = folder.resolve("deliveries.log");
        Set<Long> created = new HashSet<>(createDueSmsTasks(tenant));
        assertThat(created).hasSize(TASKS);

        // 1. A worker runs until a good part of the tasks is delivered, then dies with SIGKILL while its sender holds a
        //    delivered message unanswered (its other workers are wherever they are).
        WorkerProcess first = startWorker("worker-1", tenant, log, KILL_AT);
        await(
                "the first worker's " + KILL_AT + "th delivery",
                FIRST_WORKER_BOUND,
                first,
                () -> first.holding() != null);
        int exit = first.kill();
        long killed = System.nanoTime();
        assertThat(exit).as("exit code of the killed worker (128 + SIGKILL)").isEqualTo(137);
        String held = first.holding();

        List<ExecutionWorker.LogLine> atKill = ExecutionWorker.LogLine.read(log);
        Set<String> keysAtKill =
                atKill.stream().map(ExecutionWorker.LogLine::key).collect(Collectors.toSet());
        Set<Long> deliveredAtKill =
                atKill.stream().map(ExecutionWorker.LogLine::taskId).collect(Collectors.toSet());
        Map<Long, Row> rowsAtKill = rows(tenant);
        Map<Long, String> recordedAtKill = new HashMap<>();
        rowsAtKill.forEach((id, row) -> {
            if (row.executionKey() != null) {
                recordedAtKill.put(id, row.executionKey());
            }
        });
        long finishedAtKill = rowsAtKill.values().stream().filter(Row::finished).count();
        long recordedAndSent =
                recordedAtKill.values().stream().filter(keysAtKill::contains).count();
        long deliveredNotRecorded = deliveredAtKill.stream()
                .filter(id ->
                        !rowsAtKill.get(id).finished() && rowsAtKill.get(id).executionKey() == null)
                .count();
        assertThat(finishedAtKill)
                .as("tasks finished at the kill: the kill fell in the middle of the run")
                .isLessThan(TASKS);
        assertThat(atKill).as("deliveries at the kill").isNotEmpty();

        // 2. Another worker takes over until every task is finished, then stops gracefully.
        WorkerProcess second = startWorker("worker-2", tenant, log, 0);
        long recoveryStarted = System.nanoTime();
        // The executions under way at the kill are the dead worker's until their leases run out unrenewed.
        // (Told from the delivery log and the second worker's acknowledgements: an H2 file admits one process at a
        // time.)
        await("the executions under way at the kill taken over", RECOVERY_BOUND, second, () -> {
            Set<String> logged;
            try {
                logged = ExecutionWorker.LogLine.readWhileWritten(log).stream()
                        .map(ExecutionWorker.LogLine::key)
                        .collect(Collectors.toSet());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<String> acknowledged = second.acknowledged();
            return recordedAtKill.values().stream()
                    .allMatch(key -> keysAtKill.contains(key) ? acknowledged.contains(key) : logged.contains(key));
        });
        long takeoverMillis = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        await("the second worker finishing every task", RECOVERY_BOUND, second, () -> second.unfinished() == 0);
        long recoveryMillis =
                Duration.ofNanos(System.nanoTime() - recoveryStarted).toMillis();
        assertThat(second.stop(Duration.ofSeconds(60)))
                .as("exit code of the stopped worker")
                .isZero();
        assertThat(second.stoppedGracefully()).isTrue();

        // 3. The log (what the recipients got) and the database agree: each task once, none lost.
        List<ExecutionWorker.LogLine> deliveries = ExecutionWorker.LogLine.read(log);
        Map<Long, List<String>> keysByTask = deliveries.stream()
                .collect(Collectors.groupingBy(
                        ExecutionWorker.LogLine::taskId,
                        Collectors.mapping(ExecutionWorker.LogLine::key, Collectors.toList())));
        Map<String, Long> linesByKey =
                deliveries.stream().collect(Collectors.groupingBy(ExecutionWorker.LogLine::key, Collectors.counting()));
        long duplicateKeys = linesByKey.values().stream().mapToLong(n -> n - 1).sum();
        long tasksDeliveredTwice =
                keysByTask.values().stream().filter(keys -> keys.size() > 1).count();
        Set<Long> lost = new HashSet<>(created);
        lost.removeAll(keysByTask.keySet());
        Map<Long, Row> rows = rows(tenant);
        List<Long> unfinished =
                rows.values().stream().filter(r -> !r.finished()).map(Row::id).toList();
        List<Long> stillExecuting = rows.values().stream()
                .filter(r -> r.executionKey() != null)
                .map(Row::id)
                .toList();
        List<String> acknowledged = second.acknowledged();
        long recoveredByResend =
                acknowledged.stream().filter(keysAtKill::contains).distinct().count();
        List<Long> resentUnderAnotherKey = recordedAtKill.entrySet().stream()
                .filter(e -> !keysByTask.getOrDefault(e.getKey(), List.of()).equals(List.of(e.getValue())))
                .map(Map.Entry::getKey)
                .toList();

        System.out.printf(
                "kill -9 on %s: %d tasks, %d deliveries, %d duplicates, %d lost; at the kill %d delivered and"
                        + " %d finished, %d executions in flight (%d of them already delivered, %d not yet) and %d tasks"
                        + " delivered whose record the database lost; recovery: %d sent again under their key and"
                        + " acknowledged, not delivered twice; the executions under way at the kill were sent %d ms after"
                        + " it (lease %d s, renewed every %d s; executions by hand stale after %d s); %d tasks finished by"
                        + " the second worker in %d ms%n",
                database.label(),
                TASKS,
                deliveries.size(),
                duplicateKeys + tasksDeliveredTwice,
                lost.size(),
                atKill.size(),
                finishedAtKill,
                recordedAtKill.size(),
                recordedAndSent,
                recordedAtKill.size() - recordedAndSent,
                deliveredNotRecorded,
                recoveredByResend,
                takeoverMillis,
                ExecutionWorker.LEASE.toSeconds(),
                ExecutionWorker.LEASE.dividedBy(3).toSeconds(),
                ExecutionWorker.STALE_EXECUTION_AFTER.toSeconds(),
                TASKS - finishedAtKill,
                recoveryMillis);

        assertThat(keysByTask.keySet())
                .as("tasks in the delivery log that are not this run's")
                .isSubsetOf(created);
        assertThat(duplicateKeys).as("keys delivered twice").isZero();
        assertThat(tasksDeliveredTwice)
                .as("tasks delivered twice (under different keys)")
                .isZero();
        assertThat(lost).as("tasks never delivered").isEmpty();
        assertThat(deliveries).as("deliveries").hasSize(TASKS);
        assertThat(rows).as("tasks in the database").hasSize(TASKS);
        assertThat(unfinished).as("tasks not finished").isEmpty();
        assertThat(stillExecuting).as("tasks still marked executing").isEmpty();
        assertThat(resentUnderAnotherKey)
                .as("executions under way at the kill that were not delivered once, under"
                        + " the key they were recorded with")
                .isEmpty();
        assertThat(keysAtKill).as("the message held at the kill was delivered").contains(held);
        assertThat(recoveredByResend)
                .as("executions delivered before the kill and sent again under their key")
                .isPositive();
    }

    private WorkerProcess startWorker(String name, TenantId tenant, Path log, int holdAt) throws Exception {
        WorkerProcess worker = WorkerProcess.start(
                name,
                folder,
                Map.of(ExecutionWorker.PASSWORD_ENV, database.password()),
                database.url(),
                database.user(),
                tenant.value(),
                log.toString(),
                name,
                Long.toString(SEND_DELAY_MILLIS),
                Integer.toString(holdAt));
        workers.add(worker);
        return worker;
    }

    private static void await(String what, Duration bound, WorkerProcess worker, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (!worker.alive()) {
                fail("the worker died while waiting for " + what + "\n" + worker.diagnostics());
            }
            if (System.nanoTime() > deadline) {
                fail("not done within " + bound + ": " + what + "\n" + worker.diagnostics());
            }
            Thread.sleep(5);
        }
    }

    /** Migrates the database and creates the tasks: SMS, scheduled, due now, each to its own contact. */
    private List<Long> createDueSmsTasks(TenantId tenant) {
        return withDatabase(
                jdbi -> {
                    TaskEngine engine = TaskEngine.builder()
                            .store(new JdbiTaskStore(jdbi))
                            .contacts(ExecutionWorker.contacts())
                            .build();
                    Instant now = Instant.now();
                    List<Long> ids = new ArrayList<>();
                    for (int i = 1; i <= TASKS; i++) {
                        NewTask task = NewTask.builder()
                                .tenant(tenant)
                                .type(TaskType.SMS)
                                .contact(ContactId.of(i))
                                .assignee(UserId.of(7))
                                .priority(Priority.TODAY)
                                .scheduled(true)
                                .startAt(now.minusSeconds(1))
                                .dueTo(now.plus(Duration.ofHours(1)))
                                .template(Template.of("Hi {{firstName}}, your pilot is ready (" + i + ")"))
                                .build();
                        ids.add(engine.create(Actor.user(7), task).get().id().value());
                    }
                    return ids;
                },
                true);
    }

    /** One task as the database holds it: id, whether it is finished, the key of an execution under way. */
    record Row(long id, boolean finished, String executionKey) {}

    private Map<Long, Row> rows(TenantId tenant) {
        return withDatabase(
                jdbi -> jdbi
                        .withHandle(h -> h.createQuery(
                                        "SELECT id, status, execution_key FROM te_task WHERE tenant = :tenant")
                                .bind("tenant", tenant.value())
                                .map((rs, ctx) -> new Row(
                                        rs.getLong(1),
                                        rs.getInt(2) == StoredCodes.STATUS.code(TaskStatus.FINISHED),
                                        rs.getString(3)))
                                .list())
                        .stream()
                        .collect(Collectors.toMap(Row::id, r -> r)),
                false);
    }

    /**
     * Opens the database from the test JVM, only while no worker has it open (an H2 file admits one process), and
     * closes it again.
     */
    private <T> T withDatabase(Function<Jdbi, T> work, boolean migrate) {
        try (HikariDataSource pool =
                ExecutionWorker.pool(database.url(), database.user(), database.password(), 4, "test-side")) {
            if (migrate) {
                TaskSchema.migrate(pool);
            }
            Jdbi jdbi = Jdbi.create(pool);
            T result = work.apply(jdbi);
            if (database.url().startsWith("jdbc:h2:")) {
                ExecutionWorker.shutdownH2(pool);
            }
            return result;
        }
    }
}
