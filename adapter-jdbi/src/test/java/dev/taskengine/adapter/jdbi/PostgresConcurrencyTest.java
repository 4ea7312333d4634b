package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several engines, one database: two engine instances, each on its own connection pool, several threads each, doing
 * conflicting single-task writes and sequence-wide reassigns on the same few tasks. Every acknowledged write must be
 * there (each version of each task acknowledged exactly once, the stored state that of the last one), every refused
 * write a typed {@link TaskError.VersionConflict}, and nothing thrown.
 */
class PostgresConcurrencyTest {
    private static final int THREADS_PER_ENGINE = 4;
    private static final int OPERATIONS_PER_THREAD = 150;
    private static final long SEQUENCE = 77;

    @BeforeEach
    void requireServer() {
        TestDatabase.POSTGRESQL.dataSource();
    }

    /** What an acknowledged write left: who wrote it and the fields the writers change. */
    private record Ack(String writer, UserId assignee, Priority priority) {}

    private final Map<TaskId, Map<Long, Ack>> acks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> duplicates = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Test
    void twoEnginesOnOneDatabaseLoseNoAcknowledgedWrite() throws Exception {
        TenantId tenant = freshTenant();
        try (HikariDataSource poolA = PostgresServer.pool("engine-a");
                HikariDataSource poolB = PostgresServer.pool("engine-b")) {
            Map<java.util.UUID, dev.taskengine.spi.TaskEvent> events = new ConcurrentHashMap<>();
            TaskEngine engineA = engine(tenant, poolA, events);
            TaskEngine engineB = engine(tenant, poolB, events);
            List<TaskId> tasks = new ArrayList<>();
            for (int step = 1; step <= 6; step++) {
                tasks.add(engineA.create(
                                Actor.user(7),
                                newToDo(tenant)
                                        .contact(ContactId.of(1))
                                        .sequence(SequenceRef.of(SEQUENCE, step, "Step " + step))
                                        .build())
                        .get()
                        .id());
            }
            tasks.add(
                    engineA.create(Actor.user(7), newToDo(tenant).build()).get().id());
            tasks.add(
                    engineB.create(Actor.user(7), newToDo(tenant).build()).get().id());
            events.clear();

            ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_ENGINE);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2 * THREADS_PER_ENGINE; t++) {
                boolean onA = t % 2 == 0;
                String writer = (onA ? "A" : "B") + t;
                TaskEngine engine = onA ? engineA : engineB;
                Random random = new Random(t);
                workers.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                        try {
                            operate(engine, tenant, tasks.get(random.nextInt(tasks.size())), random, writer);
                        } catch (RuntimeException e) {
                            failures.add(writer + ": " + e);
                        }
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
            threads.shutdown();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            JdbiTaskStore reader = new JdbiTaskStore(poolA);
            int acknowledged = 0;
            for (TaskId id : tasks) {
                Task stored = reader.find(tenant, id).orElseThrow();
                Map<Long, Ack> versions = acks.getOrDefault(id, Map.of());
                acknowledged += versions.size();
                assertThat(new TreeSet<>(versions.keySet()))
                        .as("acknowledged versions of task %s", id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(2, stored.version())
                                .boxed()
                                .toList());
                Ack last = versions.get(stored.version());
                if (last != null) {
                    assertThat(stored.assignedUserId())
                            .as("assignee of task %s", id)
                            .isEqualTo(last.assignee());
                    assertThat(stored.fields().priority())
                            .as("priority of task %s", id)
                            .isEqualTo(last.priority());
                }
            }
            engineA.relayPendingEvents();
            long published =
                    events.values().stream().filter(e -> e.version() > 1).count();
            System.out.printf(
                    "two engines, %d threads, %d operations in %d ms: %d acknowledged writes (%s), refusals %s,"
                            + " events published %s%n",
                    2 * THREADS_PER_ENGINE,
                    2 * THREADS_PER_ENGINE * OPERATIONS_PER_THREAD,
                    millis,
                    acknowledged,
                    select("ack "),
                    select("refused "),
                    published);

            assertThat(failures).as("exceptions").isEmpty();
            assertThat(duplicates)
                    .as("versions acknowledged twice (lost updates)")
                    .isEmpty();
            assertThat(counts.keySet().stream()
                            .filter(k -> k.startsWith("refused "))
                            .collect(Collectors.toSet()))
                    .as("kinds of refusal")
                    .isSubsetOf(Set.of(
                            "refused VersionConflict (expected version)", "refused VersionConflict (store check)"));
            assertThat(select("refused ").values().stream()
                            .mapToInt(Integer::intValue)
                            .sum())
                    .as("conflicts")
                    .isPositive();
            assertThat(published)
                    .as("one event (by id) per acknowledged write, each delivered at least once")
                    .isEqualTo(acknowledged);
        }
    }

    private static TaskEngine engine(
            TenantId tenant, HikariDataSource pool, Map<java.util.UUID, dev.taskengine.spi.TaskEvent> events) {
        return TaskEngine.builder()
                .store(new JdbiTaskStore(pool))
                .events(event -> {
                    if (event.tenant().equals(tenant)) {
                        events.put(event.id(), event);
                    }
                })
                .contacts((t, id) ->
                        Optional.of(Contact.builder(id.value()).firstName("Ada").build()))
                .build();
    }

    /** One write: a single-task change with or without the version read, or the sequence-wide reassign. */
    private void operate(TaskEngine engine, TenantId tenant, TaskId id, Random random, String writer) {
        int dice = random.nextInt(100);
        UserId assignee = UserId.of(1 + random.nextInt(50));
        Priority priority = Priority.values()[random.nextInt(Priority.values().length)];
        if (dice < 25) {
            Either<TaskError, List<Task>> reassigned =
                    engine.reassignSequence(Actor.user(7), tenant, SequenceId.of(SEQUENCE), assignee);
            reassigned.get().forEach(task -> ack(task, writer, "ack sequence-wide row"));
            count("sequence-wide reassigns");
            return;
        }
        if (dice < 60) {
            Task read = engine.get(tenant, id, false).get().task();
            outcome(
                    engine.update(
                            TaskRef.of(Actor.user(7), tenant, id).expecting(read.version()),
                            TaskUpdate.from(read).withPriority(priority)),
                    writer,
                    "expected version");
        } else if (dice < 85) {
            outcome(
                    engine.reassign(TaskRef.of(Actor.user(7), tenant, id), assignee, ReassignScope.TASK)
                            .map(r -> r.task()),
                    writer,
                    "store check");
        } else {
            Task read = engine.get(tenant, id, false).get().task();
            outcome(
                    engine.update(
                            TaskRef.of(Actor.user(7), tenant, id),
                            TaskUpdate.from(read).withPriority(priority)),
                    writer,
                    "store check");
        }
    }

    private void outcome(Either<TaskError, Task> result, String writer, String how) {
        if (result.isRight()) {
            ack(result.get(), writer, "ack single-task write");
        } else {
            count("refused " + result.getLeft().getClass().getSimpleName() + " (" + how + ")");
        }
    }

    private void ack(Task task, String writer, String kind) {
        Ack previous = acks.computeIfAbsent(task.id(), k -> new ConcurrentHashMap<>())
                .putIfAbsent(
                        task.version(),
                        new Ack(writer, task.assignedUserId(), task.fields().priority()));
        if (previous != null) {
            duplicates.add(task.id() + " v" + task.version() + " by " + previous.writer() + " and " + writer);
        }
        count(kind);
    }

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private Map<String, Integer> select(String prefix) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(
                        e -> e.getKey().substring(prefix.length()),
                        e -> e.getValue().get()));
    }
}
