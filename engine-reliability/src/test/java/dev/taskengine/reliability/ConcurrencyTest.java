package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.contract.RecordingSender;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 8 threads × 10,000 conflicting operations on 8 tasks, per adapter ({@code -Dreliability.concurrency.operationsPerThread}
 * changes the 10,000): updates (with and without
 * the version read), single-task reassigns, completions, sequence-wide reassigns, executions and reopens (which keep
 * the tasks active, so the conflicts go on). Every acknowledged write is logged by (task, version); at the end
 *
 * <ul>
 *   <li>no version of any task was acknowledged twice, and every version from 2 to the stored one was acknowledged
 *       (zero lost updates), and the stored task equals the one its last acknowledged write answered;</li>
 *   <li>every refusal is a typed {@link TaskError} of the kinds a conflict may cause (version conflict, execution under
 *       way, illegal transition), and no exception escaped;</li>
 *   <li>every execution was sent exactly once under its idempotency key (no double send);</li>
 *   <li>every worker finished within its deadline (no deadlock), and no thread of the run is left behind.</li>
 * </ul>
 */
class ConcurrencyTest {
    static final int THREADS = 8;

    /** Operations per thread: 10,000 unless the system property says otherwise. */
    static int operationsPerThread(Adapter adapter) {
        return Integer.getInteger("reliability.concurrency.operationsPerThread", 10_000);
    }

    private static final long SEQUENCE = 77;
    private static final String THREAD_PREFIX = "reliability-conflict-";

    /** What an acknowledged write left, or {@code null} for an execution's record (known only by its key). */
    private final Map<TaskId, Map<Long, Optional<Task>>> acks = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<String> lostUpdates = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> escaped = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicLong operations = new AtomicLong();
    private volatile TaskId callTask;
    private volatile List<TaskId> tasksById;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void conflictingWritersLoseNothing(Adapter adapter) throws Exception {
        TaskStore store = adapter.store();
        TenantId tenant = TenantId.of("rel-conflicts-" + UUID.randomUUID());
        RecordingSender sender = new RecordingSender();
        Contact ada = World.ADA;
        TaskEngine engine = TaskEngine.builder()
                .store(store)
                .contacts((t, id) -> t.equals(tenant) ? Optional.of(ada) : Optional.empty())
                .senderAccounts(everyoneMay())
                .sender(sender)
                .clock(Clock.systemUTC())
                .templates(World.TEMPLATES)
                .build();
        List<TaskId> tasks = createTasks(engine, tenant);
        callTask = tasks.get(3);
        tasksById = tasks;
        Stopwatch watch = Stopwatch.start();
        int perThread = operationsPerThread(adapter);

        ExecutorService pool = Executors.newFixedThreadPool(
                THREADS, runnable -> new Thread(runnable, THREAD_PREFIX + UUID.randomUUID()));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(31L * t + adapter.ordinal());
            String writer = "w" + t;
            workers.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    operations.incrementAndGet();
                    TaskId id = tasks.get(random.nextInt(tasks.size()));
                    try {
                        operate(engine, tenant, id, random, writer);
                    } catch (RuntimeException e) {
                        escaped.add(writer + " on task " + id + ": " + e);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        pool.shutdown();
        boolean finished = pool.awaitTermination(8, TimeUnit.MINUTES);
        if (!finished) {
            pool.shutdownNow();
        }
        for (Future<?> worker : workers) {
            assertThat(worker).as("a worker that never ended (deadlock?)").isDone();
            worker.get();
        }

        // Executions: the record write's version is the one in the idempotency key.
        List<OutgoingMessage> calls =
                sender.calls().stream().filter(m -> m.tenant().equals(tenant)).toList();
        for (OutgoingMessage call : calls) {
            String[] parts = call.idempotencyKey().split("/");
            ack(TaskId.of(Long.parseLong(parts[1])), Long.parseLong(parts[2]), Optional.empty(), "execution recorded");
        }
        Map<String, Long> sendsPerKey =
                calls.stream().collect(Collectors.groupingBy(OutgoingMessage::idempotencyKey, Collectors.counting()));

        int acknowledged = 0;
        List<String> gaps = new ArrayList<>();
        for (TaskId id : tasks) {
            Task stored = engine.get(tenant, id, false).get().task();
            Map<Long, Optional<Task>> versions = acks.getOrDefault(id, Map.of());
            acknowledged += versions.size();
            Set<Long> expected =
                    LongStream.rangeClosed(2, stored.version()).boxed().collect(Collectors.toCollection(TreeSet::new));
            if (!new TreeSet<>(versions.keySet()).equals(expected)) {
                Set<Long> missing = new TreeSet<>(expected);
                missing.removeAll(versions.keySet());
                Set<Long> extra = new TreeSet<>(versions.keySet());
                extra.removeAll(expected);
                gaps.add("task " + id + " at version " + stored.version() + ": unacknowledged versions " + missing
                        + ", acknowledged but not stored " + extra);
            }
            Optional<Task> last = versions.getOrDefault(stored.version(), Optional.empty());
            last.ifPresent(task -> assertThat(stored)
                    .as("task %s as its last acknowledged write left it", id)
                    .isEqualTo(task));
        }
        Map<String, Integer> refusals = select("refused ");
        Figures.report(
                "concurrency on %s: %d threads x %d operations = %d operations on %d tasks in %s; %d acknowledged writes,"
                        + " %d executions sent once each, lost updates %d, escaped exceptions %d, refusals %s, unexpected refusals %s",
                adapter.label(),
                THREADS,
                perThread,
                operations.get(),
                tasks.size(),
                watch.elapsed(),
                acknowledged,
                sendsPerKey.size(),
                lostUpdates.size() + gaps.size(),
                escaped.size(),
                new TreeMap<>(refusals),
                select("unexpected "));

        assertThat(finished).as("every worker ended within its deadline").isTrue();
        assertThat(escaped).as("exceptions that escaped the engine").isEmpty();
        assertThat(lostUpdates).as("versions acknowledged twice (lost updates)").isEmpty();
        assertThat(gaps)
                .as("versions written but never acknowledged, or acknowledged but not stored")
                .isEmpty();
        assertThat(select("unexpected "))
                .as("refusals a conflict cannot explain")
                .isEmpty();
        assertThat(sendsPerKey.values()).as("sends per idempotency key").allMatch(n -> n == 1);
        assertThat(sendsPerKey.size())
                .as("executions sent = executions acknowledged")
                .isEqualTo(countOf("ack execute"));
        assertThat(refusals.values().stream().mapToInt(Integer::intValue).sum())
                .as("conflicts happened")
                .isPositive();
        assertThat(operations.get()).isEqualTo((long) THREADS * perThread);
        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads())
                .as("deadlocked threads")
                .isNull();
        for (int i = 0; i < 100 && threadsLeft() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(threadsLeft()).as("threads of the run left behind").isZero();
    }

    private static long threadsLeft() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(THREAD_PREFIX) && t.isAlive())
                .count();
    }

    private static SenderAccounts everyoneMay() {
        return new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
                return Optional.of(EmailAccountId.of(501));
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
                return Optional.of(EmailAccountId.of(900));
            }

            @Override
            public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
                return true;
            }
        };
    }

    /** Four tasks of sequence 77 (two SMS, an email, a call), two user emails, two user SMS: all contact Ada. */
    private static List<TaskId> createTasks(TaskEngine engine, TenantId tenant) {
        List<TaskId> ids = new ArrayList<>();
        Supplier<dev.taskengine.domain.NewTask.Builder> sms = () -> newToDo(tenant)
                .type(TaskType.SMS)
                .contact(ContactId.of(1))
                .template(Template.of("Hi {{firstName}}, a quick question"));
        Supplier<dev.taskengine.domain.NewTask.Builder> email = () -> newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .template(Template.of("Pilot for {{company}}", "Hi {{firstName}}, the pilot is ready."));
        List<dev.taskengine.domain.NewTask.Builder> builders = List.of(
                sms.get().sequence(SequenceRef.of(SEQUENCE, 1, "Step 1")),
                sms.get().sequence(SequenceRef.of(SEQUENCE, 2, "Step 2")),
                email.get().sequence(SequenceRef.of(SEQUENCE, 3, "Step 3")),
                newToDo(tenant)
                        .type(TaskType.CALL)
                        .contact(ContactId.of(1))
                        .sequence(SequenceRef.of(SEQUENCE, 4, "Step 4")),
                email.get(),
                email.get(),
                sms.get(),
                sms.get());
        for (var builder : builders) {
            ids.add(engine.create(Writes.ACTOR, builder.build())
                    .getOrElseThrow(e -> new IllegalStateException(e.message()))
                    .id());
        }
        return ids;
    }

    private void operate(TaskEngine engine, TenantId tenant, TaskId id, SplittableRandom random, String writer) {
        int dice = random.nextInt(100);
        TaskRef ref = TaskRef.of(Writes.ACTOR, tenant, id);
        if (dice < 25) {
            Either<TaskError, dev.taskengine.api.TaskDetail> read = engine.get(tenant, id, false);
            Task task = read.get().task();
            Priority priority = Priority.values()[random.nextInt(Priority.values().length)];
            TaskRef target = random.nextBoolean() ? ref.expecting(task.version()) : ref;
            outcome(engine.update(target, TaskUpdate.from(task).withPriority(priority)), "update");
        } else if (dice < 45) {
            outcome(
                    engine.reassign(ref, UserId.of(1 + random.nextInt(50)), ReassignScope.TASK)
                            .map(r -> r.task()),
                    "reassign");
        } else if (dice < 57) {
            outcome(engine.complete(ref, Completion.done()), "complete");
        } else if (dice < 65) {
            Either<TaskError, List<Task>> moved = engine.reassignSequence(
                    Writes.ACTOR, tenant, SequenceId.of(SEQUENCE), UserId.of(1 + random.nextInt(50)));
            if (moved.isRight()) {
                moved.get().forEach(task -> ack(task.id(), task.version(), Optional.of(task), "sequence reassign"));
                count("ack sequence reassign (calls)");
            } else {
                count("unexpected " + moved.getLeft().code() + " (sequence reassign)");
            }
        } else if (dice < 80) {
            // Calls are completed, not executed: execute the email or SMS task next to it instead.
            TaskRef executable = id.equals(callTask) ? TaskRef.of(Writes.ACTOR, tenant, tasksById.get(0)) : ref;
            outcome(engine.execute(executable), "execute");
        } else {
            outcome(engine.reopen(ref, ReopenReason.MANUAL), "reopen");
        }
    }

    private static final Set<Class<?>> CONFLICTS = Set.of(
            TaskError.VersionConflict.class, TaskError.ExecutionUnderWay.class, TaskError.IllegalTransition.class);

    private void outcome(Either<TaskError, Task> answer, String operation) {
        if (answer.isRight()) {
            ack(answer.get().id(), answer.get().version(), Optional.of(answer.get()), operation);
            count("ack " + operation);
        } else if (CONFLICTS.contains(answer.getLeft().getClass())) {
            count("refused " + answer.getLeft().code());
        } else {
            count("unexpected " + answer.getLeft().code() + " (" + operation + "): "
                    + answer.getLeft().message());
        }
    }

    private void ack(TaskId id, long version, Optional<Task> task, String how) {
        Optional<Task> previous =
                acks.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putIfAbsent(version, task);
        if (previous != null) {
            lostUpdates.add("task " + id + " version " + version + " acknowledged twice (" + how + ")");
        }
    }

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private int countOf(String key) {
        return counts.getOrDefault(key, new AtomicInteger()).get();
    }

    private Map<String, Integer> select(String prefix) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(
                        e -> e.getKey().substring(prefix.length()),
                        e -> e.getValue().get()));
    }
}
