package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.NOW;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.api.TaskSort;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.TaskFixtures;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.reliability.Command.Target;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs one generated sequence of calls against an adapter and against the {@link Model}, and after every step checks
 * that the adapter answered what the model says and that the invariants of the issue hold on what the adapter stores:
 *
 * <ol>
 *   <li>finishedAt is set exactly when the task is finished, or was finished before it was archived;</li>
 *   <li>dueTo is after startAt;</li>
 *   <li>versions strictly increase on every write, and a task whose version did not move did not change;</li>
 *   <li>a closed task changes only by reopen or archive (or disappears by delete); an archived one never changes;</li>
 *   <li>a successful execution clears failed, its reason and its retry time;</li>
 *   <li>the tenant never changes, and another tenant's tasks (the "neighbour") never change;</li>
 *   <li>the adapter's answer, and every task it stores, equals the model's.</li>
 *   <li>every write is in its task's history once (one entry per new version, by the call's actor, of the call's
 *       type), and a note is recorded exactly when it is kept.</li>
 * </ol>
 */
final class SequenceRunner {
    /** Figures, per adapter, for the report. */
    static final Map<Adapter, AtomicLong> SEQUENCES = new EnumMap<>(Adapter.class);

    static final Map<Adapter, AtomicLong> STEPS = new EnumMap<>(Adapter.class);

    /**
     * Per adapter, how often each working-day call was kept and refused ({kept, refused}), to show that the sequences
     * reach both sides of each.
     */
    static final Map<Adapter, Map<String, long[]>> WORKDAY_ANSWERS = new EnumMap<>(Adapter.class);

    static {
        for (Adapter adapter : Adapter.values()) {
            SEQUENCES.put(adapter, new AtomicLong());
            STEPS.put(adapter, new AtomicLong());
            WORKDAY_ANSWERS.put(adapter, new java.util.TreeMap<>());
        }
    }

    /** Another tenant's tasks on a shared database, created once per adapter; see {@link #neighbourOf}. */
    private static final Map<TaskStore, Neighbour> NEIGHBOURS = new HashMap<>();

    private record Neighbour(TenantId tenant, List<TaskId> ids, List<Task> tasks) {}

    private final Adapter adapter;
    private final List<Command> script;
    private final TenantId tenant = TenantId.of("rel-" + UUID.randomUUID());
    private final MutableClock clock = new MutableClock(NOW);
    private final ScriptedSender sender = new ScriptedSender();
    private final Model model = new Model(tenant, clock);
    private final List<TaskId> known = new ArrayList<>();
    private final Map<TaskId, TaskStatus> archivedFrom = new HashMap<>();
    private TaskEngine engine;
    private Neighbour neighbour;
    private int step;

    private SequenceRunner(Adapter adapter, List<Command> script) {
        this.adapter = adapter;
        this.script = script;
    }

    static void run(Adapter adapter, List<Command> script) {
        new SequenceRunner(adapter, script).run();
        SEQUENCES.get(adapter).incrementAndGet();
        STEPS.get(adapter).addAndGet(script.size());
    }

    private void run() {
        TaskStore store = adapter.store();
        engine = TaskEngine.builder()
                .store(store)
                .contacts(World.contacts())
                .senderAccounts(World.accounts())
                .sender(sender)
                .clock(clock)
                .templates(World.TEMPLATES)
                .build();
        neighbour = neighbourOf(store);
        Map<TaskId, Task> previous = Map.of();
        for (step = 0; step < script.size(); step++) {
            Command command = script.get(step);
            Object actual;
            Object predicted;
            try {
                Object[] answers = apply(command);
                actual = answers[0];
                predicted = answers[1];
            } catch (RuntimeException e) {
                throw failure(command, "an exception escaped the engine: " + e, e);
            }
            if (!Objects.equals(predicted, actual)) {
                throw failure(
                        command,
                        "the adapter answered differently from the model\n" + Diff.describe(predicted, actual),
                        null);
            }
            Map<TaskId, Task> current = snapshot();
            checkInvariants(command, actual, previous, current);
            checkHistory(command, actual, previous, current);
            Map<TaskId, Task> expected = new LinkedHashMap<>();
            model.tasks().forEach((id, task) -> expected.put(id, task.toTask()));
            if (!expected.equals(current)) {
                throw failure(
                        command,
                        "the adapter stores differently from the model\n" + Diff.describe(expected, current),
                        null);
            }
            previous = current;
            tally(command, actual);
        }
        List<Task> now = engine.query(TaskQuery.forTenant(neighbour.tenant())
                        .sort(TaskSort.CREATED_AT_ASC)
                        .limit(10)
                        .build())
                .getOrElseThrow(e -> failure(null, "another tenant's tasks cannot be read: " + e, null))
                .tasks();
        if (!now.equals(neighbour.tasks())) {
            throw failure(null, "another tenant's tasks changed\n" + Diff.describe(neighbour.tasks(), now), null);
        }
    }

    /** Runs one call on the engine and on the model; answers {adapter's answer, model's answer}, both normalized. */
    private Object[] apply(Command command) {
        if (command instanceof Command.Create c) {
            NewTask task = Inputs.newTask(c, tenant, clock.instant());
            Either<TaskError, Task> created = engine.create(Writes.ACTOR, task);
            created.peek(t -> known.add(t.id()));
            return new Object[] {
                normalize(created), model.create(task, created.map(Task::id).toJavaOptional())
            };
        }
        if (command instanceof Command.Start c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            return new Object[] {normalize(engine.start(ref(id, expected))), model.start(id, expected)};
        }
        if (command instanceof Command.Update c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            Task read = model.task(id)
                    .map(ModelTask::toTask)
                    .orElseGet(() -> TaskFixtures.stored(tenant, id, TaskStatus.NEW));
            var update = Inputs.update(c.change(), read, clock.instant());
            return new Object[] {normalize(engine.update(ref(id, expected), update)), model.update(id, expected, update)
            };
        }
        if (command instanceof Command.Reassign c) {
            TaskId id = resolve(c.target());
            UserId user = UserId.of(c.user());
            return new Object[] {
                normalize(engine.reassign(TaskRef.of(Writes.ACTOR, tenant, id), user, c.scope())),
                c.scope() == ReassignScope.TASK ? model.reassignTask(id, user) : model.reassignWithSequence(id, user)
            };
        }
        if (command instanceof Command.ReassignSequence c) {
            return new Object[] {
                normalize(engine.reassignSequence(
                        Writes.ACTOR, tenant, SequenceId.of(c.sequence()), UserId.of(c.user()))),
                model.reassignSequence(SequenceId.of(c.sequence()), UserId.of(c.user()))
            };
        }
        if (command instanceof Command.Complete c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            var completion = Inputs.completion(c.completion());
            return new Object[] {
                normalize(engine.complete(ref(id, expected), completion)), model.complete(id, expected, completion)
            };
        }
        if (command instanceof Command.Skip c) {
            TaskId id = resolve(c.target());
            return new Object[] {normalize(engine.skip(TaskRef.of(Writes.ACTOR, tenant, id))), model.skip(id)};
        }
        if (command instanceof Command.Cancel c) {
            TaskId id = resolve(c.target());
            return new Object[] {normalize(engine.cancel(TaskRef.of(Writes.ACTOR, tenant, id))), model.cancel(id)};
        }
        if (command instanceof Command.Detach c) {
            TaskId id = resolve(c.target());
            return new Object[] {normalize(engine.detach(TaskRef.of(Writes.ACTOR, tenant, id))), model.detach(id)};
        }
        if (command instanceof Command.Reopen c) {
            TaskId id = resolve(c.target());
            return new Object[] {
                normalize(engine.reopen(TaskRef.of(Writes.ACTOR, tenant, id), c.reason())), model.reopen(id, c.reason())
            };
        }
        if (command instanceof Command.Archive c) {
            TaskId id = resolve(c.target());
            return new Object[] {normalize(engine.archive(TaskRef.of(Writes.ACTOR, tenant, id))), model.archive(id)};
        }
        if (command instanceof Command.Delete c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            return new Object[] {normalize(engine.delete(ref(id, expected))), model.delete(id, expected)};
        }
        if (command instanceof Command.Execute c) {
            TaskId id = resolve(c.target());
            sender.next(c.outcome());
            int callsBefore = sender.calls().size();
            Object actual = normalize(engine.execute(
                    TaskRef.of(Writes.ACTOR, tenant, id),
                    Inputs.content(c.content())
                            .map(ExecuteRequest.rendered()::withContent)
                            .orElse(ExecuteRequest.rendered())));
            Object predicted = model.execute(id, c.content(), c.outcome());
            OutgoingMessage expectedMessage = model.takeLastMessage();
            List<OutgoingMessage> sent =
                    sender.calls().subList(callsBefore, sender.calls().size());
            List<OutgoingMessage> expectedSent = expectedMessage == null ? List.of() : List.of(expectedMessage);
            if (!sent.equals(expectedSent)) {
                throw failure(
                        command,
                        "the sender got other messages than the model says\n"
                                + Diff.describe(expectedSent, List.copyOf(sent)),
                        null);
            }
            return new Object[] {actual, predicted};
        }
        if (command instanceof Command.CompleteAll c) {
            List<TaskId> ids = c.targets().stream().map(this::resolve).toList();
            return new Object[] {
                normalize(
                        engine.completeAll(Writes.ACTOR, tenant, ids, Inputs.completion(Command.CompletionKind.DONE))),
                model.completeAll(ids)
            };
        }
        if (command instanceof Command.AssignAll c) {
            List<TaskId> ids = c.targets().stream().map(this::resolve).toList();
            return new Object[] {
                normalize(engine.assignAll(Writes.ACTOR, tenant, ids, UserId.of(c.user()))),
                model.assignAll(ids, UserId.of(c.user()))
            };
        }
        if (command instanceof Command.DeleteAll c) {
            List<TaskId> ids = c.targets().stream().map(this::resolve).toList();
            return new Object[] {normalize(engine.deleteAll(Writes.ACTOR, tenant, ids)), model.deleteAll(ids)};
        }
        if (command instanceof Command.Get c) {
            TaskId id = resolve(c.target());
            return new Object[] {normalize(engine.get(tenant, id, c.content())), model.get(id, c.content())};
        }
        if (command instanceof Command.Query c) {
            return new Object[] {query(c), model.query(c.filter(), c.sort())};
        }
        if (command instanceof Command.Snooze c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            Instant until = clock.instant().plus(Duration.ofMinutes(c.minutes()));
            return new Object[] {normalize(engine.snooze(ref(id, expected), until)), model.snooze(id, expected, until)};
        }
        if (command instanceof Command.Unsnooze c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            return new Object[] {normalize(engine.unsnooze(ref(id, expected))), model.unsnooze(id, expected)};
        }
        if (command instanceof Command.RescheduleAll c) {
            List<TaskId> ids = c.targets().stream().map(this::resolve).toList();
            Duration shift = Duration.ofMinutes(c.minutes());
            return new Object[] {
                normalize(engine.rescheduleAll(Writes.ACTOR, TaskSelection.ids(tenant, ids), Reschedule.by(shift))),
                model.rescheduleAll(ids, shift)
            };
        }
        if (command instanceof Command.PauseContact c) {
            // Pauses end on a whole microsecond, as a database keeps them.
            Instant until = clock.instant().truncatedTo(ChronoUnit.MICROS).plus(Duration.ofMinutes(c.minutes()));
            ContactId contact = ContactId.of(c.contact());
            return new Object[] {
                normalize(engine.pauseContact(Writes.ACTOR, tenant, contact, until)), model.pauseContact(contact, until)
            };
        }
        if (command instanceof Command.ResumeContact c) {
            ContactId contact = ContactId.of(c.contact());
            return new Object[] {
                normalize(engine.resumeContact(Writes.ACTOR, tenant, contact)), model.resumeContact(contact)
            };
        }
        if (command instanceof Command.ContactPausedUntil c) {
            ContactId contact = ContactId.of(c.contact());
            return new Object[] {engine.contactPausedUntil(tenant, contact), model.contactPausedUntil(contact)};
        }
        if (command instanceof Command.AddNote c) {
            TaskId id = resolve(c.target());
            OptionalLong expected = model.expectedVersion(id, c.expect());
            String text = c.text() == Command.NoteText.TEXT ? "Called, left a voicemail" : " ";
            return new Object[] {
                normalize(engine.addNote(ref(id, expected), text)), model.addNote(id, expected, Writes.ACTOR, text)
            };
        }
        if (command instanceof Command.HandOver c) {
            UserId from = UserId.of(c.from());
            List<UserId> to = c.to().stream().map(UserId::of).toList();
            return new Object[] {
                normalize(engine.handOver(new HandOver(Writes.ACTOR, tenant, from, to, c.batchSize()))),
                model.handOver(from, to, c.batchSize())
            };
        }
        if (command instanceof Command.Tick c) {
            clock.advance(java.time.Duration.ofNanos(c.nanos()));
            return new Object[] {"tick", "tick"};
        }
        throw new IllegalStateException("unknown command " + command);
    }

    private void tally(Command command, Object answer) {
        boolean workday = command instanceof Command.Snooze
                || command instanceof Command.Unsnooze
                || command instanceof Command.RescheduleAll
                || command instanceof Command.PauseContact
                || command instanceof Command.ResumeContact
                || command instanceof Command.AddNote
                || command instanceof Command.HandOver;
        if (workday) {
            boolean kept = !(answer instanceof Model.Refused)
                    && !(answer instanceof Model.Batch batch
                            && batch.succeeded().isEmpty());
            synchronized (WORKDAY_ANSWERS) {
                WORKDAY_ANSWERS.get(adapter)
                        .computeIfAbsent(command.getClass().getSimpleName(), name -> new long[2])[kept ? 0 : 1]++;
            }
        }
    }

    /** Every page of the query, walked with its cursors; the total asked for on the first page. */
    private Object query(Command.Query c) {
        List<TaskId> ids = new ArrayList<>();
        Long total = null;
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            TaskQuery.Builder query = filter(TaskQuery.forTenant(tenant), c.filter())
                    .sort(c.sort())
                    .limit(c.pageSize());
            if (cursor != null) {
                query.after(cursor);
            } else {
                query.includeTotal();
            }
            Either<TaskError, TaskPage> answer = engine.query(query.build());
            if (answer.isLeft()) {
                return normalize(answer);
            }
            answer.get().tasks().forEach(t -> ids.add(t.id()));
            if (total == null) {
                total = answer.get().total().orElse(-1);
            }
            if (answer.get().nextCursor().isEmpty()) {
                return new Model.Page(ids, total);
            }
            cursor = answer.get().nextCursor().get();
        }
        throw new IllegalStateException("a query that never ends: more than 1000 pages");
    }

    private static TaskQuery.Builder filter(TaskQuery.Builder query, Command.Filter filter) {
        return switch (filter) {
            case ALL -> query;
            case ACTIVE -> query.active();
            case CLOSED ->
                query.status(
                        TaskStatus.FINISHED, TaskStatus.SKIPPED, TaskStatus.CANCELLED, TaskStatus.SEQUENCE_DETACHED);
            case OVERDUE -> query.overdue(true);
            case ASSIGNEE_7 -> query.assignee(UserId.of(7));
            case SEQUENCE_1 -> query.sequence(SequenceId.of(1));
            case CONTACT_2 -> query.contact(ContactId.of(2));
            case SCHEDULED -> query.scheduled(true);
            case EMAIL_OR_SMS -> query.type(TaskType.MANUAL_EMAIL, TaskType.SMS);
            case VISIBLE_NOW -> query.hidden(false);
            case HIDDEN_NOW -> query.hidden(true);
        };
    }

    private TaskRef ref(TaskId id, OptionalLong expected) {
        TaskRef ref = TaskRef.of(Writes.ACTOR, tenant, id);
        return expected.isPresent() ? ref.expecting(expected.getAsLong()) : ref;
    }

    private TaskId resolve(Target target) {
        return switch (target.kind()) {
            case OWN -> known.isEmpty() ? TaskId.of(Long.MAX_VALUE - 7) : known.get(target.index() % known.size());
            case FOREIGN -> neighbour.ids().get(target.index() % neighbour.ids().size());
            case ABSENT -> TaskId.of(Target.ABSENT_IDS[target.index() % Target.ABSENT_IDS.length]);
        };
    }

    /** Every task of the tenant, as the adapter stores it, by one query. */
    private Map<TaskId, Task> snapshot() {
        TaskPage page = engine.query(TaskQuery.forTenant(tenant)
                        .sort(TaskSort.CREATED_AT_ASC)
                        .limit(1000)
                        .build())
                .getOrElseThrow(e -> new IllegalStateException("the snapshot query was refused: " + e));
        Map<TaskId, Task> tasks = new LinkedHashMap<>();
        page.tasks().forEach(t -> tasks.put(t.id(), t));
        return tasks;
    }

    private void checkInvariants(
            Command command, Object answer, Map<TaskId, Task> previous, Map<TaskId, Task> current) {
        for (Task task : current.values()) {
            invariant(task.tenant().equals(tenant), command, "the tenant never changes", task, null);
            invariant(
                    task.schedule().dueTo().isAfter(task.schedule().startAt()),
                    command,
                    "dueTo is after startAt",
                    task,
                    null);
            Task before = previous.get(task.id());
            if (before != null && before.status() != TaskStatus.ARCHIVED && task.status() == TaskStatus.ARCHIVED) {
                archivedFrom.put(task.id(), before.status());
            }
            boolean finishedOrWas = task.status() == TaskStatus.FINISHED
                    || task.status() == TaskStatus.ARCHIVED && archivedFrom.get(task.id()) == TaskStatus.FINISHED;
            invariant(
                    task.times().finishedAt().isPresent() == finishedOrWas,
                    command,
                    "finishedAt is set exactly when the task is (or was, before archiving) finished",
                    task,
                    before);
            if (before == null) {
                invariant(
                        task.version() == 1 && command instanceof Command.Create,
                        command,
                        "a new task is created at version 1",
                        task,
                        null);
                continue;
            }
            invariant(
                    task.id().equals(before.id())
                            && task.times().createdAt().equals(before.times().createdAt()),
                    command,
                    "id and createdAt never change",
                    task,
                    before);
            invariant(
                    !task.times().updatedAt().isBefore(before.times().updatedAt()),
                    command,
                    "updatedAt never goes back",
                    task,
                    before);
            if (task.equals(before)) {
                continue;
            }
            invariant(
                    task.version() > before.version(),
                    command,
                    "versions strictly increase on every write",
                    task,
                    before);
            if (Model.closed(before.status())) {
                boolean reopenOrArchive = command instanceof Command.Reopen r
                                && resolve(r.target()).equals(task.id())
                        || command instanceof Command.Archive a
                                && resolve(a.target()).equals(task.id());
                invariant(reopenOrArchive, command, "a closed task changes only by reopen or archive", task, before);
            }
            invariant(before.status() != TaskStatus.ARCHIVED, command, "an archived task never changes", task, before);
        }
        for (TaskId gone : previous.keySet()) {
            if (!current.containsKey(gone)) {
                boolean deleted = command instanceof Command.Delete || command instanceof Command.DeleteAll;
                invariant(deleted, command, "a task disappears only when deleted", previous.get(gone), null);
            }
        }
        if (command instanceof Command.Execute && answer instanceof Task executed) {
            Task stored = current.get(executed.id());
            invariant(
                    !stored.failure().failed()
                            && stored.failure().reason().isEmpty()
                            && stored.failure().retryAt().isEmpty(),
                    command,
                    "a successful execution clears failed",
                    stored,
                    previous.get(executed.id()));
        }
    }

    /**
     * Every write the step made is in its task's history, once: one entry per new version, by the step's actor, of the
     * type its call records (an execution: its record, then its outcome), the newest one leaving the task's status; a
     * deleted task's history ends with its deletion; a note kept is there once, a refused one not at all.
     */
    private void checkHistory(Command command, Object answer, Map<TaskId, Task> previous, Map<TaskId, Task> current) {
        Set<TaskId> touched = new java.util.LinkedHashSet<>(current.keySet());
        touched.addAll(previous.keySet());
        for (TaskId id : touched) {
            Task before = previous.get(id);
            Task after = current.get(id);
            if (Objects.equals(before, after)) {
                // Unchanged (the snapshot compares every field): a note aside, nothing was recorded; see below.
                continue;
            }
            long from = before == null ? 0 : before.version();
            long to = after == null ? from : after.version();
            List<HistoryEntry> entries = historyOf(id).stream()
                    .filter(e -> e.version() > from || e.type() == TaskEventType.DELETED && after == null)
                    .filter(e -> e.type() != TaskEventType.NOTE_ADDED)
                    .toList();
            if (after == null && before != null) {
                invariant(
                        entries.size() == 1
                                && entries.get(0).type() == TaskEventType.DELETED
                                && entries.get(0).version() == from,
                        command,
                        "a deletion is recorded once, at the deleted version: " + entries,
                        before,
                        null);
                continue;
            }
            if (after == null) {
                continue;
            }
            List<Long> versions =
                    entries.stream().map(HistoryEntry::version).sorted().toList();
            List<Long> expected = java.util.stream.LongStream.rangeClosed(from + 1, to)
                    .boxed()
                    .toList();
            invariant(
                    versions.equals(expected),
                    command,
                    "each write is recorded once, one history entry per new version: " + entries,
                    after,
                    before);
            if (entries.isEmpty()) {
                continue;
            }
            invariant(
                    entries.stream().allMatch(e -> e.actor().equals(Writes.ACTOR)),
                    command,
                    "every entry names the step's actor: " + entries,
                    after,
                    before);
            invariant(
                    entries.get(0).statusAfter().equals(java.util.Optional.of(after.status())),
                    command,
                    "the newest entry leaves the task's status: " + entries.get(0),
                    after,
                    before);
            List<TaskEventType> types =
                    new ArrayList<>(entries.stream().map(HistoryEntry::type).toList());
            java.util.Collections.reverse(types);
            invariant(
                    recordedTypes(command).contains(types),
                    command,
                    "the entries are of the call's type: " + types,
                    after,
                    before);
        }
        if (command instanceof Command.AddNote c && current.containsKey(resolve(c.target()))) {
            TaskId id = resolve(c.target());
            long kept = answer instanceof Model.Note ? notesOf.merge(id, 1L, Long::sum) : notesOf.getOrDefault(id, 0L);
            long recorded = historyOf(id).stream()
                    .filter(e -> e.type() == TaskEventType.NOTE_ADDED)
                    .count();
            invariant(
                    recorded == kept,
                    command,
                    "a note is recorded once when kept, and never when refused: " + recorded + " recorded, " + kept
                            + " kept",
                    current.get(id),
                    null);
        }
    }

    /** The notes kept so far, by task. */
    private final Map<TaskId, Long> notesOf = new HashMap<>();

    private List<HistoryEntry> historyOf(TaskId id) {
        return engine.history(HistoryQuery.forTask(tenant, id).limit(1000).build())
                .getOrElseThrow(e -> new IllegalStateException("the history query was refused: " + e))
                .entries();
    }

    /** The type sequences (oldest first) a task's new entries may have after {@code command}. */
    private static Set<List<TaskEventType>> recordedTypes(Command command) {
        TaskEventType type;
        if (command instanceof Command.Execute) {
            return Set.of(
                    List.of(TaskEventType.EXECUTION_STARTED, TaskEventType.EXECUTED),
                    List.of(TaskEventType.EXECUTION_STARTED, TaskEventType.EXECUTION_FAILED));
        } else if (command instanceof Command.Create) {
            type = TaskEventType.CREATED;
        } else if (command instanceof Command.Start) {
            type = TaskEventType.STARTED;
        } else if (command instanceof Command.Update) {
            type = TaskEventType.UPDATED;
        } else if (command instanceof Command.Reassign
                || command instanceof Command.ReassignSequence
                || command instanceof Command.AssignAll
                || command instanceof Command.HandOver) {
            type = TaskEventType.REASSIGNED;
        } else if (command instanceof Command.Complete || command instanceof Command.CompleteAll) {
            type = TaskEventType.COMPLETED;
        } else if (command instanceof Command.Skip) {
            type = TaskEventType.SKIPPED;
        } else if (command instanceof Command.Cancel) {
            type = TaskEventType.CANCELLED;
        } else if (command instanceof Command.Detach) {
            type = TaskEventType.DETACHED;
        } else if (command instanceof Command.Reopen) {
            type = TaskEventType.REOPENED;
        } else if (command instanceof Command.Archive) {
            type = TaskEventType.ARCHIVED;
        } else if (command instanceof Command.Snooze) {
            type = TaskEventType.SNOOZED;
        } else if (command instanceof Command.Unsnooze) {
            type = TaskEventType.UNSNOOZED;
        } else if (command instanceof Command.RescheduleAll) {
            type = TaskEventType.RESCHEDULED;
        } else if (command instanceof Command.PauseContact) {
            type = TaskEventType.PAUSED;
        } else if (command instanceof Command.ResumeContact) {
            type = TaskEventType.RESUMED;
        } else {
            return Set.of();
        }
        return Set.of(List.of(type));
    }

    private void invariant(boolean holds, Command command, String invariant, Task task, Task before) {
        if (!holds) {
            throw failure(
                    command,
                    "invariant broken: " + invariant + "\n  task now:    " + task
                            + (before == null ? "" : "\n  task before: " + before),
                    null);
        }
    }

    private AssertionError failure(Command command, String what, Throwable cause) {
        String where = command == null
                ? "after the last step"
                : "at step " + (step + 1) + " of " + script.size() + ", " + command;
        AssertionError error = new AssertionError(
                "on " + adapter.label() + ", " + where + ": " + what + "\nscript: " + Command.script(script));
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    /** The answer of the engine in the model's terms. */
    static Object normalize(Either<TaskError, ?> answer) {
        if (answer.isLeft()) {
            return refused(answer.getLeft());
        }
        Object value = answer.get();
        if (value instanceof TaskDetail detail) {
            return new Model.Detail(detail.task(), detail.content());
        }
        if (value instanceof HistoryEntry note) {
            return new Model.Note(
                    note.taskId(),
                    note.version(),
                    note.actor(),
                    note.statusAfter(),
                    note.note().orElse(null));
        }
        if (value instanceof BatchResult batch) {
            Map<TaskId, Object> failures = new LinkedHashMap<>();
            batch.failures()
                    .forEach((id, error) -> failures.put(id, refused(error).error()));
            return new Model.Batch(batch.succeeded(), failures);
        }
        return value;
    }

    private static Model.Refused refused(TaskError error) {
        if (error instanceof TaskError.InvalidInput invalid) {
            return new Model.Refused(new Model.Invalid(invalid.violations().stream()
                    .map(v -> v.code() + "@" + v.pointer())
                    .sorted()
                    .toList()));
        }
        return new Model.Refused(error);
    }

    /** Three tasks of another tenant, in sequences 1 and 2 like the sequences' own: they must never change. */
    private static synchronized Neighbour neighbourOf(TaskStore store) {
        if (store instanceof dev.taskengine.adapter.memory.InMemoryTaskStore) {
            return createNeighbour(store);
        }
        return NEIGHBOURS.computeIfAbsent(store, SequenceRunner::createNeighbour);
    }

    private static Neighbour createNeighbour(TaskStore store) {
        TenantId other = TenantId.of("rel-neighbour-" + UUID.randomUUID());
        TaskEngine engine = TaskEngine.builder()
                .store(store)
                .contacts(World.contacts())
                .clock(new MutableClock(NOW))
                .templates(World.TEMPLATES)
                .build();
        Function<NewTask.Builder, Task> create = b -> engine.create(Writes.ACTOR, b.build())
                .getOrElseThrow(e -> new IllegalStateException("neighbour task refused: " + e));
        List<Task> tasks = List.of(
                create.apply(TaskFixtures.newToDo(other)
                        .type(TaskType.MANUAL_EMAIL)
                        .contact(ContactId.of(1))
                        .template(Template.of(ModelTemplates.EMAIL_SUBJECT, ModelTemplates.EMAIL_BODY))
                        .sequence(SequenceRef.of(1, 1, "Step 1"))
                        .scheduled(true)),
                create.apply(TaskFixtures.newToDo(other)),
                create.apply(TaskFixtures.newToDo(other)
                        .type(TaskType.SMS)
                        .contact(ContactId.of(2))
                        .template(Template.of(ModelTemplates.SMS))
                        .sequence(SequenceRef.of(2, 1, "Step 1"))));
        return new Neighbour(other, tasks.stream().map(Task::id).toList(), tasks);
    }
}
