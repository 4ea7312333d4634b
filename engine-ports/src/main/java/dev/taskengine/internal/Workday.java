package dev.taskengine.internal;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryPage;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.StaleRules;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Keyset;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.StoredHistory;
import dev.taskengine.store.StoredPage;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * The rep's working day over many tasks: bulk snooze and reschedule, hand-over, contact pauses, notes, history and the
 * stale-rule preview. Every change is a versioned write with its history entry and event, written in batches of
 * {@link #WRITE_BATCH} through {@link TaskStore#updateAll} (one transaction each), each task refused on its own.
 */
final class Workday {
    /** How many writes one transaction of a bulk call holds. */
    static final int WRITE_BATCH = 100;

    private static final Set<TaskStatus> ACTIVE = EnumSet.of(TaskStatus.NEW, TaskStatus.IN_PROGRESS);

    private final TaskStore store;
    private final TaskWriter writer;
    private final Clock clock;
    private final Cursors cursors;
    private final StaleRules staleRules;

    Workday(TaskWriter writer, EngineParts parts, Cursors cursors) {
        this.store = parts.store();
        this.writer = writer;
        this.clock = parts.clock();
        this.cursors = cursors;
        this.staleRules = parts.staleRules();
    }

    /** The selected tasks, each changed by {@code change} on its own; failures per id, in selection order. */
    Either<TaskError, BatchResult> changeAll(
            Actor actor,
            TaskSelection selection,
            TaskEventType type,
            DefaultTaskEngine.Change change,
            List<Violation> callViolations,
            Function<TaskQuery, Either<TaskError, StoredPage>> page) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(selection, "tasks");
        Instant now = clock.instant();
        // Every problem of the call at once: its own (a snooze's end) and its selection's.
        List<Violation> violations = new ArrayList<>(callViolations);
        Map<TaskId, Either<TaskError, Task>> found = new LinkedHashMap<>();
        if (selection.ids().isPresent()) {
            List<TaskId> ids = selection.ids().get();
            violations.addAll(DefaultTaskEngine.idViolations(ids, Limits.BULK_MAX));
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Map<TaskId, Task> stored = new java.util.HashMap<>();
            store.findAll(selection.tenant(), new LinkedHashSet<>(ids)).forEach(task -> stored.put(task.id(), task));
            for (TaskId id : new LinkedHashSet<>(ids)) {
                Task task = stored.get(id);
                found.put(id, task != null ? Either.right(task) : Either.left(new TaskError.NotFound(id)));
            }
        } else {
            TaskQuery query = selection.query().orElseThrow();
            if (query.limit() > Limits.BULK_MAX) {
                violations.add(Violation.of(
                        "query.limit.outOfRange",
                        "/limit",
                        "a bulk change takes 1 to " + Limits.BULK_MAX + " tasks of a query, not " + query.limit()));
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Either<TaskError, StoredPage> tasks = page.apply(query);
            if (tasks.isLeft() && tasks.getLeft() instanceof TaskError.InvalidInput invalid) {
                violations.addAll(invalid.violations());
            } else if (tasks.isLeft()) {
                return Either.left(tasks.getLeft());
            }
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            tasks.get().tasks().forEach(task -> found.put(task.id(), Either.right(task)));
        }
        Map<TaskId, TaskError> failures = new LinkedHashMap<>();
        List<TaskWrite> writes = new ArrayList<>();
        for (Map.Entry<TaskId, Either<TaskError, Task>> entry : found.entrySet()) {
            Either<TaskError, TaskWrite> write = entry.getValue()
                    .flatMap(
                            task -> change.apply(task, now).map(changed -> writer.writeOf(task, changed, type, actor)));
            write.fold(error -> failures.put(entry.getKey(), error), writes::add);
        }
        List<TaskId> succeeded = new ArrayList<>();
        writeInBatches(writes, succeeded, failures);
        // Failures in selection order, as every batch call reports them.
        Map<TaskId, TaskError> ordered = new LinkedHashMap<>();
        found.keySet().stream().filter(failures::containsKey).forEach(id -> ordered.put(id, failures.get(id)));
        List<TaskId> succeededInOrder = found.keySet().stream()
                .filter(new java.util.HashSet<>(succeeded)::contains)
                .toList();
        return Either.right(new BatchResult(succeededInOrder, ordered));
    }

    /**
     * Writes {@code writes}, {@link #WRITE_BATCH} a transaction, adding each task kept to {@code succeeded} and each
     * refused one, with its reason, to {@code failures}.
     */
    private void writeInBatches(List<TaskWrite> writes, List<TaskId> succeeded, Map<TaskId, TaskError> failures) {
        for (int from = 0; from < writes.size(); from += WRITE_BATCH) {
            List<TaskWrite> batch = writes.subList(from, Math.min(writes.size(), from + WRITE_BATCH));
            List<Either<TaskError, Task>> outcomes = writer.writeAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                TaskId id = batch.get(i).changed().id();
                outcomes.get(i).fold(error -> failures.put(id, error), task -> succeeded.add(id));
            }
        }
    }

    Either<TaskError, HandOverReport> handOver(HandOver handOver) {
        Objects.requireNonNull(handOver, "handOver");
        List<Violation> violations = new ArrayList<>();
        if (handOver.from() == null) {
            violations.add(Violation.of("handOver.from.required", "/from", "the user handing over is required"));
        } else if (handOver.from().value() <= 0) {
            violations.add(Violation.of(
                    "handOver.from.invalid", "/from", "a user id is a positive number, not " + handOver.from()));
        }
        List<UserId> to = handOver.to() == null ? List.of() : handOver.to();
        if (to.isEmpty() || to.size() > Limits.BATCH_MAX) {
            violations.add(Violation.of(
                    "handOver.to.countOutOfRange",
                    "/to",
                    "a hand-over goes to 1 to " + Limits.BATCH_MAX + " users, not " + to.size()));
        }
        for (int i = 0; i < to.size(); i++) {
            UserId user = to.get(i);
            if (user == null || user.value() <= 0) {
                violations.add(
                        Violation.of("handOver.to.invalid", "/to/" + i, "a user id is a positive number, not " + user));
            } else if (user.equals(handOver.from())) {
                violations.add(Violation.of(
                        "handOver.to.sameAsFrom", "/to/" + i, "user " + user + " cannot hand over to themselves"));
            }
        }
        if (handOver.batchSize() < 1 || handOver.batchSize() > Limits.PAGE_MAX) {
            violations.add(Violation.of(
                    "handOver.batchSize.outOfRange",
                    "/batchSize",
                    "a batch holds 1 to " + Limits.PAGE_MAX + " tasks, not " + handOver.batchSize()));
        }
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        String reason = "handOver: from " + Actor.user(handOver.from()).wireName();
        TaskQuery query = TaskQuery.forTenant(handOver.tenant())
                .assignee(handOver.from())
                .statuses(ACTIVE)
                .sort(TaskSort.CREATED_AT_ASC)
                .limit(handOver.batchSize())
                .build();
        List<HandOverReport.Move> moved = new ArrayList<>();
        Map<TaskId, TaskError> notMoved = new LinkedHashMap<>();
        int[] batches = {0};
        forEachPage(query, (tasks, now) -> {
            List<TaskWrite> writes = new ArrayList<>();
            for (Task task : tasks) {
                // Round-robin over the tasks this call moves, in the order it moves them.
                UserId next = to.get((moved.size() + writes.size()) % to.size());
                Either<TaskError, Task> reassigned = task.reassign(next, now);
                if (reassigned.isLeft()) {
                    notMoved.put(task.id(), reassigned.getLeft());
                } else {
                    writes.add(
                            writer.writeOf(task, reassigned.get(), TaskEventType.REASSIGNED, handOver.actor(), reason));
                }
            }
            if (!writes.isEmpty()) {
                List<Either<TaskError, Task>> outcomes = writer.writeAll(writes);
                batches[0]++;
                for (int i = 0; i < writes.size(); i++) {
                    Either<TaskError, Task> outcome = outcomes.get(i);
                    if (outcome.isRight()) {
                        moved.add(new HandOverReport.Move(
                                outcome.get().id(),
                                outcome.get().assignedUserId(),
                                outcome.get().version()));
                    } else {
                        notMoved.put(writes.get(i).changed().id(), outcome.getLeft());
                    }
                }
            }
        });
        return Either.right(new HandOverReport(moved, notMoved, batches[0]));
    }

    /**
     * Hands every page of {@code query} to {@code each}, in order, with the time it was read at: keyset paging, so that
     * what {@code each} writes between pages (tasks that stop matching) never shifts a page.
     */
    private void forEachPage(TaskQuery query, java.util.function.BiConsumer<List<Task>, Instant> each) {
        Keyset after = null;
        while (true) {
            Instant now = clock.instant();
            StoredPage page =
                    store.query(after == null ? PageRequest.first(query, now) : PageRequest.after(query, after, now));
            each.accept(page.tasks(), now);
            if (!page.hasMore() || page.tasks().isEmpty()) {
                return;
            }
            after = Keyset.of(page.tasks().get(page.tasks().size() - 1), query.sort());
        }
    }

    Either<TaskError, BatchResult> pauseContact(Actor actor, TenantId tenant, ContactId contact, Instant until) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(tenant, "tenant");
        Instant now = clock.instant();
        List<Violation> violations = new ArrayList<>(contactViolations(contact));
        violations.addAll(Task.pauseViolations(until, now));
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        // The pause first, so that a task created from now on starts held.
        store.keepContactPause(tenant, contact, until);
        return Either.right(changeContactTasks(
                actor, tenant, contact, TaskEventType.PAUSED, task -> true, task -> task.paused(until, now)));
    }

    Either<TaskError, BatchResult> resumeContact(Actor actor, TenantId tenant, ContactId contact) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(tenant, "tenant");
        List<Violation> violations = contactViolations(contact);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        Instant now = clock.instant();
        store.keepContactPause(tenant, contact, null);
        return Either.right(changeContactTasks(
                actor,
                tenant,
                contact,
                TaskEventType.RESUMED,
                task -> task.pausedUntil().filter(at -> at.isAfter(now)).isPresent(),
                task -> task.resumed(now)));
    }

    private static List<Violation> contactViolations(ContactId contact) {
        if (contact == null) {
            return List.of(Violation.of("contact.contactId.required", "/contactId", "a contact is required"));
        }
        if (contact.value() <= 0) {
            return List.of(
                    Violation.of("contact.contactId.invalid", "/contactId", "a contact id is a positive number"));
        }
        return List.of();
    }

    /** Every active task of the contact that {@code which} keeps, changed by {@code change}, page by page. */
    private BatchResult changeContactTasks(
            Actor actor,
            TenantId tenant,
            ContactId contact,
            TaskEventType type,
            java.util.function.Predicate<Task> which,
            Function<Task, Either<TaskError, Task>> change) {
        TaskQuery query = TaskQuery.forTenant(tenant)
                .contact(contact)
                .statuses(ACTIVE)
                .sort(TaskSort.CREATED_AT_ASC)
                .limit(WRITE_BATCH)
                .build();
        List<TaskId> succeeded = new ArrayList<>();
        Map<TaskId, TaskError> failures = new LinkedHashMap<>();
        forEachPage(query, (tasks, now) -> {
            List<TaskWrite> writes = new ArrayList<>();
            for (Task task : tasks) {
                if (!which.test(task)) {
                    continue;
                }
                change.apply(task)
                        .fold(
                                error -> failures.put(task.id(), error),
                                changed -> writes.add(writer.writeOf(task, changed, type, actor)));
            }
            writeInBatches(writes, succeeded, failures);
        });
        return new BatchResult(succeeded, failures);
    }

    Either<TaskError, HistoryEntry> addNote(TaskRef ref, String text) {
        Instant now = clock.instant();
        return writer.find(ref)
                .flatMap(task -> task.allows(TaskAction.ADD_NOTE).orElse(() -> Either.right(task)))
                .flatMap(task -> HistoryEntry.note(EntryIds.at(now), task, ref.actor(), now, text)
                        .flatMap(note -> {
                            List<TaskEvent> events = writer.eventsOf(note, task);
                            return store.addNote(note, events)
                                    .peek(kept -> writer.relay().publishCommitted(events));
                        }));
    }

    /** The notes of {@code task}, newest first (at most {@link Limits#PAGE_MAX}). */
    List<HistoryEntry> notes(Task task) {
        return store.history(new HistoryRequest(
                        task.tenant(),
                        Optional.of(task.id()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Set.of(TaskEventType.NOTE_ADDED),
                        OptionalLong.empty(),
                        Limits.PAGE_MAX))
                .entries();
    }

    Either<TaskError, HistoryPage> history(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        List<Violation> violations = new ArrayList<>();
        if (query.limit() < 1 || query.limit() > Limits.PAGE_MAX) {
            violations.add(Violation.of(
                    "history.limit.outOfRange",
                    "/limit",
                    "a history page holds 1 to " + Limits.PAGE_MAX + " entries, not " + query.limit()));
        }
        if (query.from().isPresent()
                && query.to().isPresent()
                && query.to().get().isBefore(query.from().get())) {
            violations.add(Violation.of(
                    "history.to.beforeFrom",
                    "/to",
                    "the window [from, to) ends before it begins: to "
                            + query.to().get() + " is before from "
                            + query.from().get()));
        }
        OptionalLong before = OptionalLong.empty();
        if (query.cursor().isPresent()) {
            Either<Violation, Long> decoded =
                    cursors.decodeHistory(query.cursor().get());
            if (decoded.isLeft()) {
                violations.add(decoded.getLeft());
            } else {
                before = OptionalLong.of(decoded.get());
            }
        }
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        StoredHistory page = store.history(new HistoryRequest(
                query.tenant(),
                query.taskId(),
                query.actor(),
                query.from(),
                query.to(),
                query.types(),
                before,
                query.limit()));
        Optional<String> next = page.next().isPresent()
                ? Optional.of(cursors.encodeHistory(page.next().getAsLong()))
                : Optional.empty();
        return Either.right(new HistoryPage(page.entries(), next));
    }

    Either<TaskError, TaskPage> staleTasks(TenantId tenant, int limit) {
        Objects.requireNonNull(tenant, "tenant");
        if (limit < 1 || limit > Limits.PAGE_MAX) {
            return Either.left(TaskError.InvalidInput.of(Violation.of(
                    "query.limit.outOfRange",
                    "/limit",
                    "a page holds 1 to " + Limits.PAGE_MAX + " tasks, not " + limit)));
        }
        Instant now = clock.instant();
        List<Task> stale = new ArrayList<>();
        for (Map.Entry<StaleRule, Set<TaskType>> rule :
                staleRules.typesByRule(tenant).entrySet()) {
            stale.addAll(
                    store.query(PageRequest.first(staleQuery(tenant, rule.getKey(), rule.getValue(), now, limit), now))
                            .tasks());
        }
        List<Task> mostOverdueFirst = stale.stream()
                .sorted(Comparator.comparing((Task t) -> t.schedule().dueTo()).thenComparing(Task::id))
                .limit(limit)
                .toList();
        return Either.right(new TaskPage(mostOverdueFirst, Optional.empty(), OptionalLong.empty()));
    }

    /** The tasks {@code rule} takes at {@code now} among {@code types}' tasks of {@code tenant}, most overdue first. */
    static TaskQuery staleQuery(TenantId tenant, StaleRule rule, Set<TaskType> types, Instant now, int limit) {
        return TaskQuery.forTenant(tenant)
                .statuses(ACTIVE)
                .types(types)
                .dueToBefore(rule.staleBefore(now))
                .hidden(false)
                .executing(false)
                .sort(TaskSort.DUE_TO_ASC)
                .limit(limit)
                .build();
    }
}
