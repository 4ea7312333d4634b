package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSort;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.RecordingSender;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
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
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tenant isolation: tenant B calls every driving operation, every query filter, every batch call and every count with
 * tenant A's ids (and A's sequence and contact ids, and a cursor from A's pages). Each answer must be exactly what B
 * gets for an id nobody has — "not found", the same error text but for the id, so that the error carries no signal of
 * existence (no version, no status, no "conflict") — batch calls report every id not found, queries and counts are empty,
 * and afterwards A's tasks, A's events and the sender are exactly as before.
 */
class TenantIsolationTest {
    private static final long SEQUENCE = 500;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void anotherTenantsIdsAreNotFoundAndNothingLeaks(Adapter adapter) {
        TaskStore store = adapter.store();
        TenantId a = TenantId.of("rel-owner-" + UUID.randomUUID());
        TenantId b = TenantId.of("rel-intruder-" + UUID.randomUUID());
        List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
        RecordingSender sender = new RecordingSender();
        MutableClock clock = new MutableClock(NOW);
        TaskEngine owner = engine(store, a, events, sender, clock);
        TaskEngine intruder = engine(store, b, events, sender, clock);

        List<Task> owned = createOwnersTasks(owner, a);
        Map<TaskId, Task> before = snapshot(owner, a, owned);
        int eventsBefore = events.size();
        int sendsBefore = sender.calls().size();
        String cursorOfA = owner.query(TaskQuery.forTenant(a).limit(2).build())
                .get()
                .nextCursor()
                .orElseThrow();

        List<String> leaks = new ArrayList<>();
        int calls = 0;
        long nobody = 9_000_000_000_000L;
        for (Task task : owned) {
            TaskId id = task.id();
            for (Map.Entry<String, Function<TaskId, Either<TaskError, ?>>> call :
                    singleTaskCalls(intruder, b, task).entrySet()) {
                Either<TaskError, ?> foreign = call.getValue().apply(id);
                Either<TaskError, ?> absent = call.getValue().apply(TaskId.of(nobody));
                calls++;
                if (foreign.isRight() || !(foreign.getLeft() instanceof TaskError.NotFound)) {
                    leaks.add(call.getKey() + " on A's task " + id + " answered " + foreign);
                } else if (!sameShape(foreign.getLeft(), id, absent.getLeft(), TaskId.of(nobody))) {
                    leaks.add(call.getKey() + " on A's task " + id + " answered "
                            + foreign.getLeft().message() + " but on an id nobody has "
                            + absent.getLeft().message());
                }
            }
        }
        List<TaskId> ids = owned.stream().map(Task::id).toList();
        Map<String, Either<TaskError, BatchResult>> batches = new LinkedHashMap<>();
        batches.put("completeAll", intruder.completeAll(Writes.ACTOR, b, ids, Completion.done()));
        batches.put("assignAll", intruder.assignAll(Writes.ACTOR, b, ids, UserId.of(66)));
        batches.put("deleteAll", intruder.deleteAll(Writes.ACTOR, b, ids));
        for (var batch : batches.entrySet()) {
            calls++;
            BatchResult result = batch.getValue().get();
            if (!result.succeeded().isEmpty()
                    || !result.failures().keySet().equals(new java.util.LinkedHashSet<>(ids))
                    || !result.failures().values().stream().allMatch(e -> e instanceof TaskError.NotFound)) {
                leaks.add(batch.getKey() + " with A's ids answered " + result);
            }
        }
        Either<TaskError, List<Task>> sequence =
                intruder.reassignSequence(Writes.ACTOR, b, SequenceId.of(SEQUENCE), UserId.of(66));
        calls++;
        if (sequence.isLeft() || !sequence.get().isEmpty()) {
            leaks.add("reassignSequence of A's sequence answered " + sequence);
        }
        Map<String, TaskQuery> queries = new LinkedHashMap<>();
        queries.put("everything", TaskQuery.forTenant(b).includeTotal().build());
        queries.put(
                "A's sequence",
                TaskQuery.forTenant(b)
                        .sequence(SequenceId.of(SEQUENCE))
                        .includeTotal()
                        .build());
        queries.put(
                "A's contact",
                TaskQuery.forTenant(b).contact(ContactId.of(1)).includeTotal().build());
        queries.put(
                "A's assignee",
                TaskQuery.forTenant(b).assignee(UserId.of(7)).includeTotal().build());
        queries.put(
                "A's types",
                TaskQuery.forTenant(b).type(TaskType.values()).includeTotal().build());
        queries.put(
                "overdue", TaskQuery.forTenant(b).overdue(true).includeTotal().build());
        queries.put(
                "scheduled",
                TaskQuery.forTenant(b).scheduled(true).includeTotal().build());
        queries.put(
                "A's cursor",
                TaskQuery.forTenant(b).after(cursorOfA).includeTotal().build());
        for (TaskSort sort : TaskSort.values()) {
            queries.put(
                    "sorted " + sort,
                    TaskQuery.forTenant(b).sort(sort).limit(1).includeTotal().build());
        }
        for (var query : queries.entrySet()) {
            calls++;
            Either<TaskError, TaskPage> page = intruder.query(query.getValue());
            if (page.isLeft()
                    || !page.get().tasks().isEmpty()
                    || page.get().total().orElse(-1) != 0
                    || page.get().hasMore()) {
                leaks.add("query " + query.getKey() + " answered " + page);
            }
        }

        Map<TaskId, Task> after = snapshot(owner, a, owned);
        if (!after.equals(before)) {
            leaks.add("A's tasks changed:\n" + Diff.describe(before, after));
        }
        List<TaskEvent> newEvents = events.subList(eventsBefore, events.size());
        if (!newEvents.isEmpty()) {
            leaks.add("events were stored or published: " + newEvents);
        }
        if (sender.calls().size() != sendsBefore) {
            leaks.add("messages were sent: "
                    + sender.calls().subList(sendsBefore, sender.calls().size()));
        }
        Figures.report(
                "tenant isolation on %s: %d calls by another tenant naming the owner's tasks, sequence, contact or"
                        + " cursor (%d task ids x %d single-task operations, each compared with the same call on an id nobody"
                        + " has; 3 batch calls; 1 sequence reassign; %d queries and counts); cross-tenant leaks %d",
                adapter.label(),
                calls,
                owned.size(),
                singleTaskCalls(intruder, b, owned.get(0)).size(),
                queries.size(),
                leaks.size());
        assertThat(leaks).as("cross-tenant leaks").isEmpty();
    }

    /** Same kind of error, same code, same text but for the id: no signal that the other tenant's task exists. */
    private static boolean sameShape(TaskError foreign, TaskId foreignId, TaskError absent, TaskId absentId) {
        return foreign.getClass() == absent.getClass()
                && foreign.code().equals(absent.code())
                && foreign.message()
                        .replace(foreignId.toString(), "#")
                        .equals(absent.message().replace(absentId.toString(), "#"));
    }

    private static Map<String, Function<TaskId, Either<TaskError, ?>>> singleTaskCalls(
            TaskEngine engine, TenantId b, Task task) {
        Map<String, Function<TaskId, Either<TaskError, ?>>> calls = new LinkedHashMap<>();
        calls.put("get", id -> engine.get(b, id, false));
        calls.put("get with content", id -> engine.get(b, id, true));
        calls.put(
                "update",
                id -> engine.update(
                        TaskRef.of(Writes.ACTOR, b, id), TaskUpdate.from(task).withPriority(Priority.HOT)));
        calls.put(
                "update expecting its version",
                id -> engine.update(
                        TaskRef.of(Writes.ACTOR, b, id).expecting(task.version()),
                        TaskUpdate.from(task).withPriority(Priority.HOT)));
        calls.put(
                "update expecting another version",
                id -> engine.update(
                        TaskRef.of(Writes.ACTOR, b, id).expecting(task.version() + 5),
                        TaskUpdate.from(task).withPriority(Priority.HOT)));
        calls.put(
                "reassign", id -> engine.reassign(TaskRef.of(Writes.ACTOR, b, id), UserId.of(66), ReassignScope.TASK));
        calls.put(
                "reassign with its sequence",
                id -> engine.reassign(TaskRef.of(Writes.ACTOR, b, id), UserId.of(66), ReassignScope.SEQUENCE));
        calls.put("start", id -> engine.start(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put("complete", id -> engine.complete(TaskRef.of(Writes.ACTOR, b, id), Completion.done()));
        calls.put("skip", id -> engine.skip(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put("cancel", id -> engine.cancel(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put("detach", id -> engine.detach(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put("reopen", id -> engine.reopen(TaskRef.of(Writes.ACTOR, b, id), ReopenReason.MANUAL));
        calls.put("archive", id -> engine.archive(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put("execute", id -> engine.execute(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put(
                "execute with content",
                id -> engine.execute(
                        TaskRef.of(Writes.ACTOR, b, id),
                        ExecuteRequest.rendered()
                                .withContent(Content.of("s", "b"))
                                .fromAccount(EmailAccountId.of(501))));
        calls.put("delete", id -> engine.delete(TaskRef.of(Writes.ACTOR, b, id)));
        calls.put(
                "delete expecting its version",
                id -> engine.delete(TaskRef.of(Writes.ACTOR, b, id).expecting(task.version())));
        return calls;
    }

    /** Both tenants' engines sign cursors with one secret, as the instances behind one API do. */
    private static final byte[] CURSOR_SECRET =
            "one secret for every instance!!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static TaskEngine engine(
            TaskStore store, TenantId tenant, List<TaskEvent> events, RecordingSender sender, MutableClock clock) {
        return TaskEngine.builder()
                .store(store)
                .contacts(World.contactsOf(tenant))
                .senderAccounts(World.accounts())
                .sender(sender)
                .events(events::add)
                .clock(clock)
                .templates(World.TEMPLATES)
                .cursorSecret(CURSOR_SECRET)
                .build();
    }

    /** Tasks of A in every state an operation cares about: active, in a sequence, finished, skipped, cancelled. */
    private static List<Task> createOwnersTasks(TaskEngine owner, TenantId a) {
        Function<dev.taskengine.domain.NewTask.Builder, Task> create =
                b -> owner.create(Writes.ACTOR, b.build()).getOrElseThrow(e -> new IllegalStateException(e.message()));
        Task email = create.apply(newToDo(a)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .template(Template.of("Pilot for {{company}}", "Hi {{firstName}}"))
                .sequence(SequenceRef.of(SEQUENCE, 1, "Step 1")));
        Task sms = create.apply(newToDo(a)
                .type(TaskType.SMS)
                .contact(ContactId.of(1))
                .template(Template.of("Hi {{firstName}}"))
                .scheduled(true));
        Task finished =
                create.apply(newToDo(a).contact(ContactId.of(1)).sequence(SequenceRef.of(SEQUENCE, 2, "Step 2")));
        finished = owner.complete(TaskRef.of(Writes.ACTOR, a, finished.id()), Completion.done())
                .get();
        Task skipped = create.apply(newToDo(a).type(TaskType.CALL).contact(ContactId.of(2)));
        skipped = owner.skip(TaskRef.of(Writes.ACTOR, a, skipped.id())).get();
        Task cancelled = create.apply(newToDo(a).sequence(SequenceRef.of(SEQUENCE, 3, "Step 3")));
        cancelled = owner.cancel(TaskRef.of(Writes.ACTOR, a, cancelled.id())).get();
        return List.of(email, sms, finished, skipped, cancelled);
    }

    private static Map<TaskId, Task> snapshot(TaskEngine owner, TenantId a, List<Task> owned) {
        Map<TaskId, Task> tasks = new LinkedHashMap<>();
        for (Task task : owned) {
            tasks.put(task.id(), owner.get(a, task.id(), false).get().task());
        }
        return tasks;
    }
}
