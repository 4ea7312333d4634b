package dev.taskengine.internal;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryPage;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.Reassignment;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.api.Webhooks;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.DeliveryInfo;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.SequenceMembership;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.Keyset;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.StoredPage;
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Implements the driving port by orchestrating the domain and the driven ports: load, apply the domain's rule, write
 * with the version that was read, then publish the event. A refused call writes nothing.
 */
final class DefaultTaskEngine implements TaskEngine {
    private static final System.Logger LOG = System.getLogger(DefaultTaskEngine.class.getName());

    private final TaskStore store;
    private final TaskWriter writer;
    private final Executions executions;
    private final ContactDirectory contacts;
    private final Clock clock;
    private final TemplateEngine templates;
    private final SequenceMembership sequenceMembership;
    private final Cursors cursors;
    private final Workday workday;
    private final TimedRules timedRules;
    private final Optional<WebhookDispatch> webhookDispatch;
    private final Optional<Webhooks> webhooks;

    DefaultTaskEngine(EngineParts parts) {
        this.store = parts.store();
        this.webhookDispatch = parts.webhooks()
                .map(w -> new WebhookDispatch(w.store(), w.options(), parts.clock(), parts.jitter(), w.listener()));
        this.webhooks =
                parts.webhooks().map(w -> (Webhooks) new DefaultWebhooks(w.store(), w.options(), parts.clock()));
        this.writer = new TaskWriter(
                parts.store(),
                new EventRelay(parts.store(), parts.publisher(), parts.outbox(), webhookDispatch, parts.observer()),
                parts.observer());
        this.executions = new Executions(writer, parts);
        this.contacts = parts.contacts();
        this.clock = parts.clock();
        this.templates = parts.templates();
        this.sequenceMembership = parts.sequenceMembership();
        this.cursors = new Cursors(parts.cursorSecret());
        this.workday = new Workday(writer, parts, cursors);
        this.timedRules = new TimedRules(writer, parts, webhookDispatch);
    }

    @Override
    public Either<TaskError, Task> create(Actor actor, NewTask command) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(command, "task");
        List<Violation> contactViolations = command.tenant() == null
                ? List.of()
                : unknownContact(command.tenant(), command.fields().contactId());
        Instant now = clock.instant();
        Instant pausedUntil = command.tenant() == null
                ? null
                : command.fields()
                        .contactId()
                        .filter(id -> id.value() > 0)
                        .flatMap(id -> store.contactPause(command.tenant(), id))
                        .orElse(null);
        // The task keeps the trace context of the call creating it: its scheduled send shows in that call's trace.
        Either<TaskError, Task> created = withViolations(
                        Task.create(command, templates, now, store::nextId, pausedUntil), contactViolations)
                .map(task -> task.traced(writer.traceContext()));
        return created.peek(task -> {
            HistoryEntry entry = HistoryEntry.created(EntryIds.at(now), task, actor);
            List<TaskEvent> events = writer.eventsOf(entry, task);
            store.insert(task, entry, events);
            writer.relay().publishCommitted(events);
        });
    }

    @Override
    public Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent, boolean includeNotes) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return Option.ofOptional(store.find(tenant, id))
                .toEither(() -> (TaskError) new TaskError.NotFound(id))
                .map(task -> detail(task, includeContent, includeNotes));
    }

    @Override
    public Either<TaskError, Task> update(TaskRef ref, TaskUpdate update) {
        Objects.requireNonNull(update, "update");
        return change(
                ref,
                TaskEventType.UPDATED,
                (task, now) -> withViolations(
                        task.update(
                                update,
                                templates,
                                now,
                                update.fields()
                                        .contactId()
                                        .filter(id -> id.value() > 0)
                                        .flatMap(id -> store.contactPause(ref.tenant(), id))
                                        .orElse(null)),
                        update.fields().contactId().equals(task.fields().contactId())
                                ? List.of()
                                : unknownContact(ref.tenant(), update.fields().contactId())));
    }

    @Override
    public Either<TaskError, Reassignment> reassign(TaskRef ref, UserId assignee, ReassignScope scope) {
        Objects.requireNonNull(scope, "scope");
        if (scope == ReassignScope.TASK) {
            return change(ref, TaskEventType.REASSIGNED, (task, now) -> task.reassign(assignee, now))
                    .map(task -> new Reassignment(task, List.of(task)));
        }
        return writer.find(ref)
                .flatMap(task -> task.reassign(assignee, clock.instant()).map(ignored -> task))
                .flatMap(task -> task.origin()
                        .sequence()
                        .<Either<TaskError, Task>>map(s -> Either.right(task))
                        .orElseGet(() -> Either.left(TaskError.InvalidInput.of(Violation.of(
                                "task.scope.notSequenceTask",
                                "/scope",
                                "task " + task.id() + " belongs to no sequence; reassign it with scope TASK")))))
                .map(task -> {
                    List<Task> reassigned = reassignWholeSequence(
                            ref.actor(),
                            ref.tenant(),
                            task.origin().sequence().orElseThrow().sequenceId(),
                            assignee);
                    Task updated = reassigned.stream()
                            .filter(t -> t.id().equals(task.id()))
                            .findFirst()
                            .orElse(task);
                    return new Reassignment(updated, reassigned);
                });
    }

    @Override
    public Either<TaskError, List<Task>> reassignSequence(
            Actor actor, TenantId tenant, SequenceId sequence, UserId assignee) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(tenant, "tenant");
        List<Violation> violations = new ArrayList<>();
        if (sequence == null || sequence.value() <= 0) {
            violations.add(
                    Violation.of("task.sequenceId.invalid", "/sequenceId", "a sequence id is a positive number"));
        }
        violations.addAll(Task.assigneeViolations(assignee));
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        return Either.right(reassignWholeSequence(actor, tenant, sequence, assignee));
    }

    private List<Task> reassignWholeSequence(Actor actor, TenantId tenant, SequenceId sequence, UserId assignee) {
        List<Task> reassigned = store.reassignSequence(
                tenant,
                sequence,
                assignee,
                actor,
                clock.instant(),
                writer.relay().enabled());
        writer.relay().relayPending();
        return reassigned;
    }

    @Override
    public Either<TaskError, Task> start(TaskRef ref) {
        return change(ref, TaskEventType.STARTED, (task, now) -> task.start(now));
    }

    @Override
    public Either<TaskError, Task> complete(TaskRef ref, Completion completion) {
        Objects.requireNonNull(completion, "completion");
        return change(
                        ref,
                        TaskEventType.COMPLETED,
                        (task, now) -> finalContent(task)
                                .map(content -> task.complete(completion, content, now))
                                .orElseGet(() -> task.complete(completion, now)))
                .peek(task -> {
                    if (completion.finishProspectInSequence()) {
                        finishProspect(task);
                    }
                });
    }

    /** What a finished task keeps as its template: the template rendered for its contact now, when it renders. */
    private Optional<Content> finalContent(Task task) {
        Optional<Contact> contact = task.fields().contactId().flatMap(id -> contacts.find(task.tenant(), id));
        Rendering rendering = templates.render(
                task.type(),
                task.fields().template(),
                contact.map(Contact::variables).orElse(Map.of()));
        return rendering instanceof Rendering.Rendered rendered ? Optional.of(rendered.content()) : Optional.empty();
    }

    private void finishProspect(Task task) {
        task.origin()
                .sequence()
                .ifPresent(sequence -> task.fields().contactId().ifPresent(contact -> {
                    try {
                        sequenceMembership.finishProspect(task.tenant(), sequence.sequenceId(), contact);
                    } catch (RuntimeException e) {
                        // The task is complete; the host's sequence is told best-effort and logs its own failure.
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "sequence membership failed to finish contact " + contact + " in sequence "
                                        + sequence.sequenceId() + " after task " + task.id(),
                                e);
                    }
                }));
    }

    @Override
    public Either<TaskError, Task> skip(TaskRef ref) {
        return change(ref, TaskEventType.SKIPPED, (task, now) -> task.skip(now));
    }

    @Override
    public Either<TaskError, Task> cancel(TaskRef ref) {
        return change(ref, TaskEventType.CANCELLED, (task, now) -> task.cancel(now));
    }

    @Override
    public Either<TaskError, Task> detach(TaskRef ref) {
        return change(ref, TaskEventType.DETACHED, (task, now) -> task.detach(now));
    }

    @Override
    public Either<TaskError, Task> reopen(TaskRef ref, ReopenReason reason) {
        return change(
                ref,
                TaskEventType.REOPENED,
                (task, now) -> task.reopen(reason, now, contactPause(task).orElse(null)),
                reason == null ? null : reason.wireName());
    }

    /** Until when the contact of {@code task} is paused, if it is. */
    private Optional<Instant> contactPause(Task task) {
        return task.fields().contactId().flatMap(id -> store.contactPause(task.tenant(), id));
    }

    @Override
    public Either<TaskError, Task> archive(TaskRef ref) {
        return change(ref, TaskEventType.ARCHIVED, (task, now) -> task.archive(now));
    }

    @Override
    public Either<TaskError, Task> delete(TaskRef ref) {
        Instant now = clock.instant();
        return writer.find(ref).flatMap(task -> task.allows(TaskAction.DELETE)).flatMap(task -> {
            HistoryEntry entry = HistoryEntry.deleted(EntryIds.at(now), task, ref.actor(), now);
            List<TaskEvent> events = writer.eventsOf(entry, task);
            return store.delete(task.tenant(), task.id(), task.version(), entry, events)
                    .peek(deleted -> writer.relay().publishCommitted(events));
        });
    }

    @Override
    public Either<TaskError, TaskPage> query(TaskQuery query) {
        return page(query).map(page -> {
            Optional<String> next = page.hasMore() && !page.tasks().isEmpty()
                    ? Optional.of(cursors.encode(
                            query.sort(),
                            Keyset.of(page.tasks().get(page.tasks().size() - 1), query.sort())))
                    : Optional.empty();
            return new TaskPage(page.tasks(), next, page.total());
        });
    }

    /** The page {@code query} asks for, as the store answers it; every problem of the query at once. */
    private Either<TaskError, StoredPage> page(TaskQuery query) {
        Objects.requireNonNull(query, "query");
        List<Violation> violations = new ArrayList<>();
        if (query.limit() < 1 || query.limit() > Limits.PAGE_MAX) {
            violations.add(Violation.of(
                    "query.limit.outOfRange",
                    "/limit",
                    "a page holds 1 to " + Limits.PAGE_MAX + " tasks, not " + query.limit()));
        }
        if (query.startAtFrom().isPresent()
                && query.startAtTo().isPresent()
                && query.startAtTo().get().isBefore(query.startAtFrom().get())) {
            violations.add(Violation.of(
                    "query.startAtTo.beforeStartAtFrom",
                    "/startAtTo",
                    "the start window [startAtFrom, startAtTo) ends before it begins: startAtTo "
                            + query.startAtTo().get() + " is before startAtFrom "
                            + query.startAtFrom().get()));
        }
        Optional<Keyset> after = Optional.empty();
        if (query.cursor().isPresent()) {
            Either<Violation, Keyset> decoded =
                    cursors.decode(query.sort(), query.cursor().get());
            if (decoded.isLeft()) {
                violations.add(decoded.getLeft());
            } else {
                after = Optional.of(decoded.get());
            }
        }
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        Instant now = clock.instant();
        return Either.right(store.query(after.map(position -> PageRequest.after(query, position, now))
                .orElseGet(() -> PageRequest.first(query, now))));
    }

    @Override
    public Either<TaskError, BatchResult> completeAll(
            Actor actor, TenantId tenant, List<TaskId> ids, Completion completion) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(completion, "completion");
        return batch(tenant, ids, id -> complete(TaskRef.of(actor, tenant, id), completion));
    }

    @Override
    public Either<TaskError, BatchResult> assignAll(Actor actor, TenantId tenant, List<TaskId> ids, UserId assignee) {
        Objects.requireNonNull(actor, "actor");
        List<Violation> violations = Task.assigneeViolations(assignee);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        return batch(
                tenant,
                ids,
                id -> reassign(TaskRef.of(actor, tenant, id), assignee, ReassignScope.TASK)
                        .map(Reassignment::task));
    }

    @Override
    public Either<TaskError, BatchResult> deleteAll(Actor actor, TenantId tenant, List<TaskId> ids) {
        Objects.requireNonNull(actor, "actor");
        return batch(tenant, ids, id -> delete(TaskRef.of(actor, tenant, id)));
    }

    private Either<TaskError, BatchResult> batch(
            TenantId tenant, List<TaskId> ids, Function<TaskId, Either<TaskError, Task>> action) {
        Objects.requireNonNull(tenant, "tenant");
        List<Violation> violations = idViolations(ids, Limits.BATCH_MAX);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        List<TaskId> succeeded = new ArrayList<>();
        Map<TaskId, TaskError> failures = new LinkedHashMap<>();
        for (TaskId id : new LinkedHashSet<>(ids)) {
            action.apply(id).fold(error -> failures.put(id, error), task -> succeeded.add(id));
        }
        return Either.right(new BatchResult(succeeded, failures));
    }

    /** What is wrong with {@code ids} as the ids of a call over 1 to {@code max} tasks; empty when nothing. */
    static List<Violation> idViolations(List<TaskId> ids, int max) {
        if (ids == null || ids.isEmpty() || ids.size() > max) {
            return List.of(Violation.of(
                    "batch.ids.countOutOfRange",
                    "/ids",
                    "a batch names 1 to " + max + " task ids, not " + (ids == null ? 0 : ids.size())));
        }
        if (ids.stream().anyMatch(Objects::isNull)) {
            return List.of(Violation.of("batch.ids.null", "/ids", "a batch holds no null id"));
        }
        return List.of();
    }

    // --- the rep's working day

    @Override
    public Either<TaskError, Task> snooze(TaskRef ref, Instant until) {
        return change(ref, TaskEventType.SNOOZED, (task, now) -> task.snooze(until, now));
    }

    @Override
    public Either<TaskError, Task> unsnooze(TaskRef ref) {
        return change(ref, TaskEventType.UNSNOOZED, (task, now) -> task.unsnooze(now));
    }

    @Override
    public Either<TaskError, BatchResult> snoozeAll(Actor actor, TaskSelection tasks, Instant until) {
        // The same end for every task: wrong for one, wrong for all, so refused for the call.
        return workday.changeAll(
                actor,
                tasks,
                TaskEventType.SNOOZED,
                (task, now) -> task.snooze(until, now),
                Task.snoozeViolations(until, clock.instant()),
                this::page);
    }

    @Override
    public Either<TaskError, BatchResult> unsnoozeAll(Actor actor, TaskSelection tasks) {
        return workday.changeAll(
                actor, tasks, TaskEventType.UNSNOOZED, (task, now) -> task.unsnooze(now), List.of(), this::page);
    }

    @Override
    public Either<TaskError, BatchResult> rescheduleAll(Actor actor, TaskSelection tasks, Reschedule reschedule) {
        Objects.requireNonNull(reschedule, "reschedule");
        return workday.changeAll(
                actor,
                tasks,
                TaskEventType.RESCHEDULED,
                (task, now) -> task.reschedule(reschedule, now),
                List.of(),
                this::page);
    }

    @Override
    public Either<TaskError, HandOverReport> handOver(HandOver handOver) {
        return workday.handOver(handOver);
    }

    @Override
    public Either<TaskError, BatchResult> pauseContact(Actor actor, TenantId tenant, ContactId contact, Instant until) {
        return workday.pauseContact(actor, tenant, contact, until);
    }

    @Override
    public Either<TaskError, BatchResult> resumeContact(Actor actor, TenantId tenant, ContactId contact) {
        return workday.resumeContact(actor, tenant, contact);
    }

    @Override
    public Optional<Instant> contactPausedUntil(TenantId tenant, ContactId contact) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(contact, "contact");
        Instant now = clock.instant();
        return store.contactPause(tenant, contact).filter(until -> until.isAfter(now));
    }

    @Override
    public Either<TaskError, HistoryEntry> addNote(TaskRef ref, String text) {
        return workday.addNote(ref, text);
    }

    @Override
    public Either<TaskError, HistoryPage> history(HistoryQuery query) {
        return workday.history(query);
    }

    @Override
    public Either<TaskError, TaskPage> staleTasks(TenantId tenant, int limit) {
        return workday.staleTasks(tenant, limit);
    }

    // --- execution

    @Override
    public Either<TaskError, Task> execute(TaskRef ref, ExecuteRequest request) {
        Objects.requireNonNull(request, "request");
        return executions.execute(ref, request);
    }

    @Override
    public TaskScheduler scheduler(SchedulerOptions options) {
        Objects.requireNonNull(options, "options");
        if (!store.commitsEachWrite()) {
            throw new IllegalStateException(
                    "a scheduler claims and sends across tenants from threads of its own, and no"
                            + " message may leave before its execution record is committed: make it from an engine whose store"
                            + " commits each write, not one bound to a host's open transaction");
        }
        return new PollingScheduler(executions.forScheduler(options, timedRules), options, webhookDispatch);
    }

    @Override
    public dev.taskengine.api.Backlog backlog() {
        return store.backlog(clock.instant(), dev.taskengine.api.Backlog.COUNT_LIMIT);
    }

    @Override
    public Optional<Webhooks> webhooks() {
        return webhooks;
    }

    @Override
    public int relayPendingEvents() {
        return writer.relay().relayPending();
    }

    /** The shape of every single-task change: find, apply the domain's rule, write with the version read, publish. */
    interface Change {
        Either<TaskError, Task> apply(Task current, Instant now);
    }

    private Either<TaskError, Task> change(TaskRef ref, TaskEventType event, Change change) {
        return change(ref, event, change, null);
    }

    /** As {@link #change(TaskRef, TaskEventType, Change)}, recording {@code reason} (none when null). */
    private Either<TaskError, Task> change(TaskRef ref, TaskEventType event, Change change, String reason) {
        Instant now = clock.instant();
        return writer.find(ref)
                .flatMap(current -> change.apply(current, now)
                        .flatMap(changed -> writer.write(
                                reason == null
                                        ? writer.writeOf(current, changed, event, ref.actor())
                                        : writer.writeOf(current, changed, event, ref.actor(), reason))));
    }

    private TaskDetail detail(Task task, boolean includeContent, boolean includeNotes) {
        Optional<Contact> contact = task.fields().contactId().flatMap(id -> contacts.find(task.tenant(), id));
        Optional<DeliveryInfo> delivery = contact.flatMap(c -> DeliveryInfo.of(task.type(), c));
        List<HistoryEntry> notes = includeNotes ? workday.notes(task) : List.of();
        if (!includeContent) {
            return new TaskDetail(task, delivery, Optional.empty(), notes);
        }
        // A finished task's template is literal: the content that was sent or done, answered as it is.
        Rendering content = templates.render(
                task.type(),
                task.fields().template(),
                contact.map(Contact::variables).orElse(Map.of()));
        return new TaskDetail(task, delivery, Optional.of(content), notes);
    }

    private List<Violation> unknownContact(TenantId tenant, Optional<ContactId> contactId) {
        return contactId
                .filter(id -> id.value() > 0 && contacts.find(tenant, id).isEmpty())
                .map(id -> List.of(
                        Violation.of("task.contactId.unknown", "/contactId", "no contact " + id + " in this tenant")))
                .orElse(List.of());
    }

    private static Either<TaskError, Task> withViolations(Either<TaskError, Task> outcome, List<Violation> more) {
        if (more.isEmpty()) {
            return outcome;
        }
        if (outcome.isLeft() && outcome.getLeft() instanceof TaskError.InvalidInput invalid) {
            List<Violation> all = new ArrayList<>(invalid.violations());
            all.addAll(more);
            return Either.left(new TaskError.InvalidInput(all));
        }
        if (outcome.isLeft()) {
            return outcome;
        }
        return Either.left(new TaskError.InvalidInput(more));
    }
}
