package dev.taskengine.engine;

import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.DeliveryInfo;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.ports.ContactDirectory;
import dev.taskengine.ports.EventPublisher;
import dev.taskengine.ports.Keyset;
import dev.taskengine.ports.StoredPage;
import dev.taskengine.ports.TaskEvent;
import dev.taskengine.ports.TaskEventType;
import dev.taskengine.ports.TaskQuery;
import dev.taskengine.ports.TaskStore;
import io.vavr.control.Either;
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
    private final ContactDirectory contacts;
    private final EventPublisher events;
    private final Clock clock;
    private final TemplateEngine templates;

    DefaultTaskEngine(TaskStore store, ContactDirectory contacts, EventPublisher events, Clock clock, TemplateEngine templates) {
        this.store = store;
        this.contacts = contacts;
        this.events = events;
        this.clock = clock;
        this.templates = templates;
    }

    @Override
    public Either<TaskError, Task> create(NewTask command) {
        Objects.requireNonNull(command, "task");
        List<Violation> contactViolations = command.tenant() == null
                ? List.of()
                : unknownContact(command.tenant(), command.contactId());
        Instant now = clock.instant();
        Either<TaskError, Task> created = withViolations(
                Task.create(command, templates, now, store::nextId), contactViolations);
        return created.peek(task -> {
            store.insert(task);
            publish(TaskEventType.CREATED, task, now);
        });
    }

    @Override
    public Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent) {
        return find(TaskRef.of(tenant, id)).map(task -> detail(task, includeContent));
    }

    @Override
    public Either<TaskError, Task> update(TaskRef ref, TaskUpdate update) {
        Objects.requireNonNull(update, "update");
        return change(ref, TaskEventType.UPDATED, (task, now) -> withViolations(
                task.update(update, templates, now),
                update.contactId().equals(task.contactId()) ? List.of() : unknownContact(ref.tenant(), update.contactId())));
    }

    @Override
    public Either<TaskError, Reassignment> reassign(TaskRef ref, UserId assignee, ReassignScope scope) {
        Objects.requireNonNull(scope, "scope");
        if (scope == ReassignScope.TASK) {
            return change(ref, TaskEventType.REASSIGNED, (task, now) -> task.reassign(assignee, now))
                    .map(task -> new Reassignment(task, List.of(task)));
        }
        return find(ref)
                .flatMap(task -> task.reassign(assignee, clock.instant()).map(ignored -> task))
                .flatMap(task -> task.sequence().<Either<TaskError, Task>>map(s -> Either.right(task)).orElseGet(() -> Either.left(
                        TaskError.InvalidInput.of(Violation.of("task.scope.notSequenceTask", "/scope",
                                "task " + task.id() + " belongs to no sequence; reassign it with scope TASK")))))
                .map(task -> {
                    List<Task> reassigned = reassignWholeSequence(
                            ref.tenant(), task.sequence().orElseThrow().sequenceId(), assignee);
                    Task updated = reassigned.stream().filter(t -> t.id().equals(task.id())).findFirst().orElse(task);
                    return new Reassignment(updated, reassigned);
                });
    }

    @Override
    public Either<TaskError, List<Task>> reassignSequence(TenantId tenant, SequenceId sequence, UserId assignee) {
        Objects.requireNonNull(tenant, "tenant");
        List<Violation> violations = new ArrayList<>();
        if (sequence == null || sequence.value() <= 0) {
            violations.add(Violation.of("task.sequenceId.invalid", "/sequenceId", "a sequence id is a positive number"));
        }
        if (assignee == null || assignee.value() <= 0) {
            violations.add(Violation.of("task.assignedUserId.invalid", "/assignedUserId", "a user id is a positive number"));
        }
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        return Either.right(reassignWholeSequence(tenant, sequence, assignee));
    }

    private List<Task> reassignWholeSequence(TenantId tenant, SequenceId sequence, UserId assignee) {
        Instant now = clock.instant();
        List<Task> reassigned = store.reassignSequence(tenant, sequence, assignee, now);
        reassigned.forEach(task -> publish(TaskEventType.REASSIGNED, task, now));
        return reassigned;
    }

    @Override
    public Either<TaskError, Task> start(TaskRef ref) {
        return change(ref, TaskEventType.STARTED, (task, now) -> task.start(now));
    }

    @Override
    public Either<TaskError, Task> complete(TaskRef ref, Completion completion) {
        Objects.requireNonNull(completion, "completion");
        return change(ref, TaskEventType.COMPLETED, (task, now) -> task.complete(completion, now));
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
        return change(ref, TaskEventType.REOPENED, (task, now) -> task.reopen(reason, now));
    }

    @Override
    public Either<TaskError, Task> archive(TaskRef ref) {
        return change(ref, TaskEventType.ARCHIVED, (task, now) -> task.archive(now));
    }

    @Override
    public Either<TaskError, Task> delete(TaskRef ref) {
        return find(ref)
                .flatMap(task -> task.allows(TaskAction.DELETE))
                .flatMap(task -> store.delete(task.tenant(), task.id(), task.version()))
                .peek(task -> publish(TaskEventType.DELETED, task, clock.instant()));
    }

    @Override
    public Either<TaskError, TaskPage> query(TaskQuery query) {
        Objects.requireNonNull(query, "query");
        List<Violation> violations = new ArrayList<>();
        if (query.limit() < 1 || query.limit() > Limits.PAGE_MAX) {
            violations.add(Violation.of("query.limit.outOfRange", "/limit",
                    "a page holds 1 to " + Limits.PAGE_MAX + " tasks, not " + query.limit()));
        }
        if (query.startAtFrom().isPresent() && query.startAtTo().isPresent()
                && !query.startAtFrom().get().isBefore(query.startAtTo().get())) {
            violations.add(Violation.of("query.startAtTo.notAfterStartAtFrom", "/startAtTo",
                    "the start window ends before it begins"));
        }
        Optional<Keyset> after = Optional.empty();
        if (query.cursor().isPresent()) {
            Either<Violation, Keyset> decoded = Cursors.decode(query.sort(), query.cursor().get());
            if (decoded.isLeft()) {
                violations.add(decoded.getLeft());
            } else {
                after = Optional.of(decoded.get());
            }
        }
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        StoredPage page = store.query(query, after, clock.instant());
        Optional<String> next = page.hasMore() && !page.tasks().isEmpty()
                ? Optional.of(Cursors.encode(query.sort(), keysetOf(query, page.tasks().get(page.tasks().size() - 1))))
                : Optional.empty();
        return Either.right(new TaskPage(page.tasks(), next, page.total()));
    }

    private static Keyset keysetOf(TaskQuery query, Task last) {
        return new Keyset(query.sort().keyOf(last), last.id());
    }

    @Override
    public Either<TaskError, BatchResult> completeAll(TenantId tenant, List<TaskId> ids, Completion completion) {
        Objects.requireNonNull(completion, "completion");
        return batch(tenant, ids, id -> complete(TaskRef.of(tenant, id), completion));
    }

    @Override
    public Either<TaskError, BatchResult> assignAll(TenantId tenant, List<TaskId> ids, UserId assignee) {
        List<Violation> violations = new ArrayList<>();
        if (assignee == null || assignee.value() <= 0) {
            violations.add(Violation.of("task.assignedUserId.invalid", "/assignedUserId", "a user id is a positive number"));
            return Either.left(new TaskError.InvalidInput(violations));
        }
        return batch(tenant, ids, id -> reassign(TaskRef.of(tenant, id), assignee, ReassignScope.TASK).map(Reassignment::task));
    }

    @Override
    public Either<TaskError, BatchResult> deleteAll(TenantId tenant, List<TaskId> ids) {
        return batch(tenant, ids, id -> delete(TaskRef.of(tenant, id)));
    }

    private Either<TaskError, BatchResult> batch(TenantId tenant, List<TaskId> ids, Function<TaskId, Either<TaskError, Task>> action) {
        Objects.requireNonNull(tenant, "tenant");
        if (ids == null || ids.isEmpty() || ids.size() > Limits.BATCH_MAX) {
            return Either.left(TaskError.InvalidInput.of(Violation.of("batch.ids.countOutOfRange", "/ids",
                    "a batch names 1 to " + Limits.BATCH_MAX + " task ids, not " + (ids == null ? 0 : ids.size()))));
        }
        if (ids.stream().anyMatch(Objects::isNull)) {
            return Either.left(TaskError.InvalidInput.of(Violation.of("batch.ids.null", "/ids", "a batch holds no null id")));
        }
        List<TaskId> succeeded = new ArrayList<>();
        Map<TaskId, TaskError> failures = new LinkedHashMap<>();
        for (TaskId id : new LinkedHashSet<>(ids)) {
            action.apply(id).fold(error -> failures.put(id, error), task -> succeeded.add(id));
        }
        return Either.right(new BatchResult(succeeded, failures));
    }

    /** The shape of every single-task change: find, apply the domain's rule, write with the version read, publish. */
    private interface Change {
        Either<TaskError, Task> apply(Task current, Instant now);
    }

    private Either<TaskError, Task> change(TaskRef ref, TaskEventType event, Change change) {
        Instant now = clock.instant();
        return find(ref)
                .flatMap(current -> change.apply(current, now)
                        .flatMap(changed -> store.update(changed, current.version())))
                .peek(saved -> publish(event, saved, now));
    }

    private Either<TaskError, Task> find(TaskRef ref) {
        Objects.requireNonNull(ref, "ref");
        Optional<Task> found = store.find(ref.tenant(), ref.id());
        if (found.isEmpty()) {
            return Either.left(new TaskError.NotFound(ref.id()));
        }
        Task task = found.get();
        if (ref.expectedVersion().isPresent() && ref.expectedVersion().getAsLong() != task.version()) {
            return Either.left(new TaskError.VersionConflict(task.id(), ref.expectedVersion().getAsLong(), task.version()));
        }
        return Either.right(task);
    }

    private TaskDetail detail(Task task, boolean includeContent) {
        Optional<Contact> contact = task.contactId().flatMap(id -> contacts.find(task.tenant(), id));
        Optional<DeliveryInfo> delivery = contact.flatMap(c -> DeliveryInfo.of(task.type(), c));
        if (!includeContent) {
            return new TaskDetail(task, delivery, Optional.empty());
        }
        Rendering content = task.active()
                ? templates.render(task.type(), task.template(), contact.map(Contact::variables).orElse(Map.of()))
                : new Rendering.Rendered(new dev.taskengine.domain.Content(task.template().subject(), task.template().body()));
        return new TaskDetail(task, delivery, Optional.of(content));
    }

    private List<Violation> unknownContact(TenantId tenant, Optional<ContactId> contactId) {
        return contactId
                .filter(id -> id.value() > 0 && contacts.find(tenant, id).isEmpty())
                .map(id -> List.of(Violation.of("task.contactId.unknown", "/contactId", "no contact " + id + " in this tenant")))
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

    private void publish(TaskEventType type, Task task, Instant now) {
        try {
            events.publish(TaskEvent.of(type, task, now));
        } catch (RuntimeException e) {
            // The write already succeeded; a failing subscriber must not turn it into an error for the caller.
            LOG.log(System.Logger.Level.WARNING, "event publisher failed for " + type + " of task " + task.id(), e);
        }
    }
}
