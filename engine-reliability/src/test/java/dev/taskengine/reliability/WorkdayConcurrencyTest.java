package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.adapter.memory.InMemoryEventLog;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryPage;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.contract.RecordingSender;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rep's working day under concurrency, per adapter: hand-overs of one user's work racing each other and other
 * writers, reminders under two schedulers on one store, and the history of every write under conflicting writers.
 * Every engine of a test is a host of its own over the same data ({@link OwnStore}).
 */
class WorkdayConcurrencyTest {
    private static final UserId LEAVING = UserId.of(13);
    private static final List<UserId> FIRST_TAKERS = List.of(UserId.of(21), UserId.of(22));
    private static final List<UserId> SECOND_TAKERS = List.of(UserId.of(22), UserId.of(23));
    private static final Duration DEADLINE = Duration.ofSeconds(45);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void concurrentHandOversMoveEveryTaskExactlyOnceWhileAnotherWriterChangesThem(Adapter adapter) throws Exception {
        int taskCount = 300;
        TenantId tenant = TenantId.of("rel-handover-" + UUID.randomUUID());
        try (OwnStore data = new OwnStore(adapter, "rel_handover")) {
            TaskEngine first = engine(data.host(), new InMemoryEventLog());
            TaskEngine second = engine(data.host(), new InMemoryEventLog());
            TaskEngine other = engine(data.host(), new InMemoryEventLog());
            List<TaskId> ids = createTasks(first, tenant, taskCount, null);
            Actor firstLead = Actor.user(31);
            Actor secondLead = Actor.user(32);
            Actor rep = Actor.user(LEAVING);
            Stopwatch watch = Stopwatch.start();

            AtomicBoolean handingOver = new AtomicBoolean(true);
            AtomicInteger otherWrites = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            CountDownLatch go = new CountDownLatch(1);
            Callable<HandOverReport> byFirst = () -> {
                go.await();
                return first.handOver(new HandOver(firstLead, tenant, LEAVING, FIRST_TAKERS, 25))
                        .get();
            };
            Callable<HandOverReport> bySecond = () -> {
                go.await();
                return second.handOver(new HandOver(secondLead, tenant, LEAVING, SECOND_TAKERS, 25))
                        .get();
            };
            Future<HandOverReport> firstReport = pool.submit(byFirst);
            Future<HandOverReport> secondReport = pool.submit(bySecond);
            Future<?> writer = pool.submit(() -> {
                go.await();
                SplittableRandom random = new SplittableRandom(7);
                while (handingOver.get()) {
                    TaskRef ref = TaskRef.of(rep, tenant, ids.get(random.nextInt(ids.size())));
                    Either<TaskError, ?> answer = switch (random.nextInt(3)) {
                        case 0 -> other.snooze(ref, Instant.now().plus(Duration.ofHours(1)));
                        case 1 -> other.addNote(ref, "called, no answer");
                        default -> other.unsnooze(ref);
                    };
                    if (answer.isRight()) {
                        otherWrites.incrementAndGet();
                    }
                }
                return null;
            });
            go.countDown();
            List<HandOverReport> reports = new ArrayList<>();
            reports.add(firstReport.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            reports.add(secondReport.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            handingOver.set(false);
            writer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            pool.shutdown();
            int concurrentlyRefused =
                    reports.stream().mapToInt(r -> r.notMoved().size()).sum();
            // What a race refused moves when the hand-over runs again.
            for (int retry = 0; retry < 5 && activeTasksOf(first, tenant, LEAVING) > 0; retry++) {
                reports.add(first.handOver(new HandOver(firstLead, tenant, LEAVING, FIRST_TAKERS, 25))
                        .get());
            }

            Map<TaskId, List<HandOverReport.Move>> movesByTask = reports.stream()
                    .flatMap(r -> r.moved().stream())
                    .collect(Collectors.groupingBy(HandOverReport.Move::taskId));
            List<HistoryEntry> reassignments = history(first, tenant, TaskEventType.REASSIGNED);
            Map<TaskId, List<HistoryEntry>> reassignedByTask =
                    reassignments.stream().collect(Collectors.groupingBy(HistoryEntry::taskId));
            Set<UserId> takers = new HashSet<>(FIRST_TAKERS);
            takers.addAll(SECOND_TAKERS);
            List<String> wrong = new ArrayList<>();
            for (TaskId id : ids) {
                Task stored = first.get(tenant, id, false).get().task();
                List<HandOverReport.Move> moves = movesByTask.getOrDefault(id, List.of());
                List<HistoryEntry> entries = reassignedByTask.getOrDefault(id, List.of());
                if (moves.size() != 1) {
                    wrong.add(id + " moved " + moves.size() + " times by the reports");
                } else if (!moves.get(0).to().equals(stored.assignedUserId())) {
                    wrong.add(
                            id + " reported moved to " + moves.get(0).to() + " but is with " + stored.assignedUserId());
                }
                if (entries.size() != 1 || !entries.get(0).reason().orElse("").startsWith("handOver")) {
                    wrong.add(id + " has reassignment entries " + entries);
                }
                if (!takers.contains(stored.assignedUserId())) {
                    wrong.add(id + " is with " + stored.assignedUserId());
                }
            }
            Figures.report(
                    "hand-over on %s: 2 concurrent hand-overs of %d tasks (25 a batch) and a third writer (%d snoozes,"
                            + " notes and unsnoozes kept) in %s; %d moves refused by the race and moved by %d reruns;"
                            + " tasks moved twice or lost %d",
                    adapter.label(),
                    taskCount,
                    otherWrites.get(),
                    watch.elapsed(),
                    concurrentlyRefused,
                    reports.size() - 2,
                    wrong.size());
            assertThat(wrong).as("tasks not moved exactly once").isEmpty();
            assertThat(activeTasksOf(first, tenant, LEAVING))
                    .as("active tasks left with the user handing over")
                    .isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void twoSchedulersOnOneStoreEmitEachReminderExactlyOnce(Adapter adapter) throws Exception {
        int taskCount = 240;
        TenantId tenant = TenantId.of("rel-reminders-" + UUID.randomUUID());
        try (OwnStore data = new OwnStore(adapter, "rel_reminders")) {
            InMemoryEventLog firstEvents = new InMemoryEventLog();
            InMemoryEventLog secondEvents = new InMemoryEventLog();
            TaskEngine first = engine(data.host(), firstEvents);
            TaskEngine second = engine(data.host(), secondEvents);
            List<TaskId> ids = createTasks(first, tenant, taskCount, Instant.now());
            Stopwatch watch = Stopwatch.start();
            SchedulerOptions options = SchedulerOptions.defaults().withPollInterval(Duration.ofMillis(20));
            try (TaskScheduler one = first.scheduler(options.withOwner("reminders-one"));
                    TaskScheduler two = second.scheduler(options.withOwner("reminders-two"))) {
                one.start();
                two.start();
                boolean done = waitFor(() -> remindersLeft(first, tenant) == 0);
                assertThat(done)
                        .as("every reminder emitted within %s", DEADLINE)
                        .isTrue();
            }
            List<HistoryEntry> reminded = history(first, tenant, TaskEventType.REMINDED);
            List<TaskEvent> events = new ArrayList<>(firstEvents.events());
            events.addAll(secondEvents.events());
            Map<TaskId, Set<UUID>> eventIdsByTask = events.stream()
                    .filter(e -> e.tenant().equals(tenant) && e.type() == TaskEventType.REMINDED)
                    .collect(Collectors.groupingBy(
                            TaskEvent::taskId, Collectors.mapping(TaskEvent::id, Collectors.toSet())));
            Map<TaskId, Long> entriesByTask =
                    reminded.stream().collect(Collectors.groupingBy(HistoryEntry::taskId, Collectors.counting()));
            long byFirst = firstEvents.events().stream()
                    .filter(e -> e.type() == TaskEventType.REMINDED)
                    .count();
            Figures.report(
                    "reminders on %s: 2 schedulers, %d reminders due at once, emitted in %s (%d by one engine, %d by"
                            + " the other); reminders emitted twice %d, never %d",
                    adapter.label(),
                    taskCount,
                    watch.elapsed(),
                    byFirst,
                    events.stream()
                                    .filter(e -> e.type() == TaskEventType.REMINDED)
                                    .count()
                            - byFirst,
                    entriesByTask.values().stream().filter(n -> n > 1).count(),
                    ids.stream().filter(id -> !entriesByTask.containsKey(id)).count());

            assertThat(entriesByTask.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(entriesByTask.values())
                    .as("REMINDED history entries per task")
                    .containsOnly(1L);
            assertThat(eventIdsByTask.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(eventIdsByTask.values().stream().map(Set::size))
                    .as("REMINDED events per task")
                    .containsOnly(1);
            assertThat(reminded.stream().map(HistoryEntry::actor)).containsOnly(Actor.SCHEDULER);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void everyAcknowledgedWriteHasOneHistoryEntryAndTheEventsPublishedAreTheHistory(Adapter adapter) throws Exception {
        int writers = 6;
        int operationsPerWriter = 250;
        TenantId tenant = TenantId.of("rel-history-" + UUID.randomUUID());
        try (OwnStore data = new OwnStore(adapter, "rel_history")) {
            InMemoryEventLog events = new InMemoryEventLog();
            RecordingSender sender = new RecordingSender();
            List<TaskEngine> engines =
                    List.of(sendingEngine(data.host(), events, sender), sendingEngine(data.host(), events, sender));
            Acknowledged acknowledged = new Acknowledged();
            Actor creator = Actor.user(40);
            List<TaskId> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Task created = engines.get(0)
                        .create(creator, newToDo(tenant).remindAt(Instant.now()).build())
                        .get();
                acknowledged.write(creator, created, TaskEventType.CREATED);
                ids.add(created.id());
            }
            // Scheduled texts to Ada, due now: the scheduler executes them (and again after each reopen).
            for (int i = 0; i < 2; i++) {
                Task created = engines.get(0)
                        .create(
                                creator,
                                newToDo(tenant)
                                        .type(TaskType.SMS)
                                        .contact(World.ADA.id())
                                        .template(Template.of(ModelTemplates.SMS))
                                        .startAt(Instant.now())
                                        .dueTo(Instant.now().plus(Duration.ofHours(1)))
                                        .scheduled(true)
                                        .build())
                        .get();
                acknowledged.write(creator, created, TaskEventType.CREATED);
                ids.add(created.id());
            }
            Stopwatch watch = Stopwatch.start();
            ConcurrentLinkedQueue<String> escaped = new ConcurrentLinkedQueue<>();
            Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            try (TaskScheduler scheduler =
                    engines.get(1).scheduler(SchedulerOptions.defaults().withPollInterval(Duration.ofMillis(10)))) {
                scheduler.start();
                for (int w = 0; w < writers; w++) {
                    Actor actor = Actor.user(100 + w);
                    TaskEngine engine = engines.get(w % engines.size());
                    SplittableRandom random = new SplittableRandom(17L * w + adapter.ordinal());
                    work.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < operationsPerWriter; i++) {
                            TaskId id = ids.get(random.nextInt(ids.size()));
                            try {
                                writeOnce(engine, TaskRef.of(actor, tenant, id), random, acknowledged, refusals);
                            } catch (RuntimeException e) {
                                escaped.add(actor.wireName() + " on " + id + ": " + e);
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                pool.shutdown();
                for (Future<?> writer : work) {
                    writer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                }
            }
            engines.get(0).relayPendingEvents();

            List<HistoryEntry> history = history(engines.get(0), tenant, null);
            Map<UUID, TaskEvent> published = new HashMap<>();
            events.events().stream().filter(e -> e.tenant().equals(tenant)).forEach(e -> published.put(e.id(), e));
            Set<List<Object>> expectedEvents = history.stream()
                    .map(e -> List.<Object>of(e.id(), e.type(), e.version(), e.at(), e.actor()))
                    .collect(Collectors.toSet());
            Set<Actor> writerActors = acknowledged.actors();
            Set<Acknowledged.Write> recordedByWriters = history.stream()
                    .filter(e -> writerActors.contains(e.actor()) && e.type() != TaskEventType.NOTE_ADDED)
                    .map(Acknowledged.Write::of)
                    .collect(Collectors.toSet());
            Set<UUID> notesRecorded = history.stream()
                    .filter(e -> e.type() == TaskEventType.NOTE_ADDED)
                    .map(HistoryEntry::id)
                    .collect(Collectors.toSet());
            List<String> versionGaps = new ArrayList<>();
            for (TaskId id : ids) {
                long version =
                        engines.get(0).get(tenant, id, false).get().task().version();
                List<Long> versions = history.stream()
                        .filter(e -> e.taskId().equals(id) && e.type() != TaskEventType.NOTE_ADDED)
                        .map(HistoryEntry::version)
                        .sorted()
                        .toList();
                List<Long> expected = java.util.stream.LongStream.rangeClosed(1, version)
                        .boxed()
                        .toList();
                if (!versions.equals(expected)) {
                    versionGaps.add(id + " at v" + version + " has entries of versions " + versions);
                }
            }
            long schedulerWrites = history.stream()
                    .filter(e -> e.actor().equals(Actor.SCHEDULER))
                    .count();
            Figures.report(
                    "history on %s: %d writers x %d operations on %d tasks (2 scheduled texts) and a scheduler emitting"
                            + " reminders and executing, in %s;"
                            + " %d acknowledged writes and %d notes, %d scheduler writes, %d history entries, %d events"
                            + " published (%d distinct); refusals %s; writes without one entry %d, entries without an"
                            + " acknowledged write %d, escaped exceptions %d",
                    adapter.label(),
                    writers,
                    operationsPerWriter,
                    ids.size(),
                    watch.elapsed(),
                    acknowledged.writes().size(),
                    acknowledged.notes().size(),
                    schedulerWrites,
                    history.size(),
                    events.events().stream()
                            .filter(e -> e.tenant().equals(tenant))
                            .count(),
                    published.size(),
                    new TreeMap<>(refusals),
                    difference(acknowledged.writes(), recordedByWriters).size()
                            + difference(acknowledged.notes(), notesRecorded).size(),
                    difference(recordedByWriters, acknowledged.writes()).size()
                            + difference(notesRecorded, acknowledged.notes()).size(),
                    escaped.size());

            assertThat(escaped).as("exceptions that escaped the engine").isEmpty();
            assertThat(refusals.keySet())
                    .as("refusals other than a conflict would cause (task.invalid: unsnoozing a task not snoozed)")
                    .isSubsetOf(
                            "task.versionConflict", "task.illegalTransition", "task.invalid", "task.executionUnderWay");
            assertThat(recordedByWriters)
                    .as("the history of the writers' writes: one entry per acknowledged write, none for a refused one")
                    .isEqualTo(acknowledged.writes());
            assertThat(notesRecorded).as("the notes kept").isEqualTo(acknowledged.notes());
            assertThat(versionGaps)
                    .as("versions without exactly one entry (a write without history)")
                    .isEmpty();
            assertThat(history.stream().filter(e -> e.actor().equals(Actor.SCHEDULER)))
                    .extracting(HistoryEntry::type)
                    .as("the scheduler's writes: reminders and executions")
                    .isSubsetOf(
                            TaskEventType.REMINDED,
                            TaskEventType.EXECUTION_STARTED,
                            TaskEventType.EXECUTED,
                            TaskEventType.EXECUTION_FAILED);
            assertThat(published.values().stream()
                            .map(e -> List.<Object>of(e.id(), e.type(), e.version(), e.occurredAt(), e.actor()))
                            .collect(Collectors.toSet()))
                    .as("the events published are the history entries (id, type, version, time, actor)")
                    .isEqualTo(expectedEvents);
        }
    }

    /** One write of a random kind, with the version read or without; an acknowledged one is noted down. */
    private static void writeOnce(
            TaskEngine engine,
            TaskRef ref,
            SplittableRandom random,
            Acknowledged acknowledged,
            Map<String, AtomicInteger> refusals) {
        Task read = engine.get(ref.tenant(), ref.id(), false).get().task();
        TaskRef target = random.nextBoolean() ? ref.expecting(read.version()) : ref;
        int dice = random.nextInt(100);
        Either<TaskError, Task> answer;
        TaskEventType type;
        if (dice < 10) {
            Either<TaskError, HistoryEntry> note = engine.addNote(target, "note " + random.nextInt(1000));
            note.fold(error -> refused(refusals, error), entry -> acknowledged.note(entry.id()));
            return;
        } else if (dice < 30) {
            Priority priority = read.fields().priority() == Priority.HOT ? Priority.TODAY : Priority.HOT;
            Instant remindAt = Instant.now().plusMillis(random.nextInt(50));
            answer = engine.update(
                    target, new TaskUpdate(read.fields().withPriority(priority).withRemindAt(remindAt)));
            type = TaskEventType.UPDATED;
        } else if (dice < 42) {
            answer = engine.snooze(target, Instant.now().plus(Duration.ofHours(1)));
            type = TaskEventType.SNOOZED;
        } else if (dice < 54) {
            answer = engine.unsnooze(target);
            type = TaskEventType.UNSNOOZED;
        } else if (dice < 64) {
            answer = engine.reassign(target, UserId.of(1 + random.nextInt(5)), ReassignScope.TASK)
                    .map(r -> r.task());
            type = TaskEventType.REASSIGNED;
        } else if (dice < 74) {
            answer = engine.start(target);
            type = TaskEventType.STARTED;
        } else if (dice < 87) {
            answer = engine.complete(target, Completion.done());
            type = TaskEventType.COMPLETED;
        } else {
            answer = engine.reopen(target, ReopenReason.MANUAL);
            type = TaskEventType.REOPENED;
        }
        answer.fold(error -> refused(refusals, error), task -> acknowledged.write(ref.actor(), task, type));
    }

    private static Object refused(Map<String, AtomicInteger> refusals, TaskError error) {
        return refusals.computeIfAbsent(error.code(), code -> new AtomicInteger())
                .incrementAndGet();
    }

    /** What the engine acknowledged: each write by its task, version, type and actor, and each note by its id. */
    private static final class Acknowledged {
        record Write(TaskId task, long version, TaskEventType type, Actor actor) {
            static Write of(HistoryEntry entry) {
                return new Write(entry.taskId(), entry.version(), entry.type(), entry.actor());
            }
        }

        private final Set<Write> writes = ConcurrentHashMap.newKeySet();
        private final Set<UUID> notes = ConcurrentHashMap.newKeySet();
        private final Set<Actor> actors = ConcurrentHashMap.newKeySet();

        Object write(Actor actor, Task task, TaskEventType type) {
            actors.add(actor);
            return writes.add(new Write(task.id(), task.version(), type, actor));
        }

        Object note(UUID id) {
            return notes.add(id);
        }

        Set<Write> writes() {
            return Set.copyOf(writes);
        }

        Set<UUID> notes() {
            return Set.copyOf(notes);
        }

        Set<Actor> actors() {
            return Set.copyOf(actors);
        }
    }

    private static <T> Set<T> difference(Set<T> from, Set<T> without) {
        Set<T> left = new HashSet<>(from);
        left.removeAll(without);
        return left;
    }

    private static TaskEngine engine(TaskStore store, InMemoryEventLog events) {
        return TaskEngine.builder()
                .store(store)
                .events(events)
                .clock(Clock.systemUTC())
                .templates(World.TEMPLATES)
                .build();
    }

    private static TaskEngine sendingEngine(TaskStore store, InMemoryEventLog events, RecordingSender sender) {
        return TaskEngine.builder()
                .store(store)
                .events(events)
                .contacts(World.contacts())
                .senderAccounts(World.accounts())
                .sender(sender)
                .clock(Clock.systemUTC())
                .templates(World.TEMPLATES)
                .build();
    }

    /** {@code count} to-dos of the user handing over; with a reminder at {@code remindAt} when it is not null. */
    private static List<TaskId> createTasks(TaskEngine engine, TenantId tenant, int count, Instant remindAt) {
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(engine.create(
                            Actor.user(LEAVING),
                            newToDo(tenant).assignee(LEAVING).remindAt(remindAt).build())
                    .getOrElseThrow(e -> new IllegalStateException(e.message()))
                    .id());
        }
        return ids;
    }

    private static long activeTasksOf(TaskEngine engine, TenantId tenant, UserId user) {
        return engine.query(TaskQuery.forTenant(tenant)
                        .assignee(user)
                        .active()
                        .limit(1)
                        .includeTotal()
                        .build())
                .get()
                .total()
                .orElseThrow();
    }

    private static long remindersLeft(TaskEngine engine, TenantId tenant) {
        return engine.query(TaskQuery.forTenant(tenant).limit(1000).build()).get().tasks().stream()
                .filter(task -> task.fields().remindAt().isPresent())
                .count();
    }

    /** Every entry of the tenant's history, newest first; of one type when {@code type} is not null. */
    private static List<HistoryEntry> history(TaskEngine engine, TenantId tenant, TaskEventType type) {
        HistoryQuery.Builder builder = HistoryQuery.forTenant(tenant).limit(1000);
        if (type != null) {
            builder.types(type);
        }
        HistoryQuery query = builder.build();
        List<HistoryEntry> entries = new ArrayList<>();
        Optional<String> next;
        do {
            HistoryPage page = engine.history(query).get();
            entries.addAll(page.entries());
            next = page.nextCursor();
            if (next.isPresent()) {
                query = query.after(next.get());
            }
        } while (next.isPresent());
        return entries;
    }

    /** Waits for {@code condition}, looking every 20 ms, at most {@link #DEADLINE}; answers whether it came. */
    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
