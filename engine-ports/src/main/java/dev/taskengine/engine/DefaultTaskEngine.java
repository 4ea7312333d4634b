package dev.taskengine.engine;

import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.DeliveryInfo;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.Texts;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.ports.Channel;
import dev.taskengine.ports.ContactDirectory;
import dev.taskengine.ports.Delivery;
import dev.taskengine.ports.DueTasks;
import dev.taskengine.ports.Keyset;
import dev.taskengine.ports.MessageSender;
import dev.taskengine.ports.OutgoingMessage;
import dev.taskengine.ports.SenderAccounts;
import dev.taskengine.ports.SequenceMembership;
import dev.taskengine.ports.StoredPage;
import dev.taskengine.ports.TaskEvent;
import dev.taskengine.ports.TaskEventType;
import dev.taskengine.ports.TaskQuery;
import dev.taskengine.ports.TaskStore;
import dev.taskengine.ports.TaskWrite;
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
    private final EventRelay relay;
    private final Clock clock;
    private final TemplateEngine templates;
    private final MessageSender sender;
    private final SenderAccounts senderAccounts;
    private final SequenceMembership sequenceMembership;
    private final RetryPolicy retryPolicy;

    DefaultTaskEngine(TaskEngineBuilder builder) {
        this.store = builder.store;
        this.contacts = builder.contacts;
        this.relay = new EventRelay(builder.store, builder.events);
        this.clock = builder.clock;
        this.templates = builder.templates == null ? TemplateEngine.create() : builder.templates;
        this.sender = builder.sender;
        this.senderAccounts = builder.senderAccounts;
        this.sequenceMembership = builder.sequenceMembership;
        this.retryPolicy = builder.retryPolicy;
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
            List<TaskEvent> events = eventsFor(TaskEventType.CREATED, task, now);
            store.insert(task, events);
            relay.publishCommitted(events);
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
        violations.addAll(assigneeViolations(assignee));
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        return Either.right(reassignWholeSequence(tenant, sequence, assignee));
    }

    private List<Task> reassignWholeSequence(TenantId tenant, SequenceId sequence, UserId assignee) {
        List<Task> reassigned = store.reassignSequence(tenant, sequence, assignee, clock.instant(), relay.enabled());
        relay.relayPending();
        return reassigned;
    }

    @Override
    public Either<TaskError, Task> start(TaskRef ref) {
        return change(ref, TaskEventType.STARTED, (task, now) -> task.start(now));
    }

    @Override
    public Either<TaskError, Task> complete(TaskRef ref, Completion completion) {
        Objects.requireNonNull(completion, "completion");
        return change(ref, TaskEventType.COMPLETED, (task, now) -> task.complete(completion, finalContent(task), now))
                .peek(task -> {
                    if (completion.finishProspectInSequence()) {
                        finishProspect(task);
                    }
                });
    }

    /** What a finished task keeps as its template: the template rendered for its contact now, when it renders. */
    private Optional<Content> finalContent(Task task) {
        Optional<Contact> contact = task.contactId().flatMap(id -> contacts.find(task.tenant(), id));
        Rendering rendering = templates.render(task.type(), task.template(), contact.map(Contact::variables).orElse(Map.of()));
        return rendering instanceof Rendering.Rendered rendered ? Optional.of(rendered.content()) : Optional.empty();
    }

    private void finishProspect(Task task) {
        task.sequence().ifPresent(sequence -> task.contactId().ifPresent(contact -> {
            try {
                sequenceMembership.finishProspect(task.tenant(), sequence.sequenceId(), contact);
            } catch (RuntimeException e) {
                // The task is complete; the host's sequence is told best-effort and logs its own failure.
                LOG.log(System.Logger.Level.WARNING, "sequence membership failed to finish contact " + contact
                        + " in sequence " + sequence.sequenceId() + " after task " + task.id(), e);
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
        return change(ref, TaskEventType.REOPENED, (task, now) -> task.reopen(reason, now));
    }

    @Override
    public Either<TaskError, Task> archive(TaskRef ref) {
        return change(ref, TaskEventType.ARCHIVED, (task, now) -> task.archive(now));
    }

    @Override
    public Either<TaskError, Task> delete(TaskRef ref) {
        Instant now = clock.instant();
        return find(ref)
                .flatMap(task -> task.allows(TaskAction.DELETE))
                .flatMap(task -> {
                    List<TaskEvent> events = eventsFor(TaskEventType.DELETED, task, now);
                    return store.delete(task.tenant(), task.id(), task.version(), events)
                            .peek(deleted -> relay.publishCommitted(events));
                });
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
        List<Violation> violations = assigneeViolations(assignee);
        if (!violations.isEmpty()) {
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


    // --- execution

    @Override
    public Either<TaskError, Task> execute(TaskRef ref, Optional<Content> content, Optional<EmailAccountId> emailAccount) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(emailAccount, "emailAccount");
        if (!store.commitsEachWrite()) {
            throw new IllegalStateException("execute sends a message, which must not happen before its execution record is"
                    + " committed: execute with an engine whose store commits each write, not inside a host's transaction");
        }
        Instant now = clock.instant();
        return find(ref)
                .flatMap(Task::executable)
                .flatMap(task -> prepare(task, content, emailAccount, now)
                        .flatMap(execution -> task.executionStarted(execution, now))
                        .flatMap(started -> write(task, started, null, now)))
                .flatMap(this::deliver);
    }

    /** Decides what is sent, to whom and from which account, before anything is recorded; every problem at once. */
    private Either<TaskError, Execution> prepare(Task task, Optional<Content> given, Optional<EmailAccountId> requested, Instant now) {
        List<Violation> violations = new ArrayList<>();
        Optional<Contact> contact = task.contactId().flatMap(id -> contacts.find(task.tenant(), id));
        boolean email = task.type() == TaskType.MANUAL_EMAIL;
        Optional<String> target = contact.flatMap(c -> email ? c.email() : c.phone()).filter(t -> !t.isBlank());
        if (target.isEmpty()) {
            String what = email ? "an email address" : "a phone number";
            violations.add(Violation.of(email ? "task.deliveryInfo.email.missing" : "task.deliveryInfo.phoneNumber.missing",
                    "/contactId", contact.isPresent()
                            ? "contact " + task.contactId().orElseThrow() + " has no " + (email ? "email address" : "phone number")
                            : "the task needs a contact with " + what + " to be executed"));
        }
        Optional<EmailAccountId> account = email ? emailAccount(task, requested, violations) : Optional.empty();
        Optional<Content> content = given.isPresent() ? checked(given.get(), email, violations) : rendered(task, contact, violations);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        // The same key for every attempt of one execution: a retry after a transient failure reuses its key.
        String key = task.retryKey().orElseGet(() -> task.tenant() + "/" + task.id() + "/" + (task.version() + 1));
        return Either.right(new Execution(key, now, content.orElseThrow(), target.orElseThrow(), account));
    }

    /** Sequence tasks send from the sequence's account; others from the chosen account, or the assignee's default. */
    private Optional<EmailAccountId> emailAccount(Task task, Optional<EmailAccountId> requested, List<Violation> violations) {
        if (task.sequence().isPresent()) {
            Optional<EmailAccountId> account = senderAccounts.sequenceAccount(task.tenant(), task.sequence().get().sequenceId());
            if (account.isEmpty()) {
                violations.add(Violation.of("task.emailAccountId.noSequenceAccount", "/emailAccountId",
                        "sequence " + task.sequence().get().sequenceId() + " has no email account to send from"));
            }
            return account;
        }
        if (requested.isPresent()) {
            if (!senderAccounts.usable(task.tenant(), task.assignedUserId(), requested.get())) {
                violations.add(Violation.of("task.emailAccountId.unknown", "/emailAccountId",
                        "email account " + requested.get() + " is not usable by user " + task.assignedUserId()));
                return Optional.empty();
            }
            return requested;
        }
        Optional<EmailAccountId> account = senderAccounts.defaultAccount(task.tenant(), task.assignedUserId());
        if (account.isEmpty()) {
            violations.add(Violation.of("task.emailAccountId.noDefaultAccount", "/emailAccountId",
                    "user " + task.assignedUserId() + " has no default email account; name one"));
        }
        return account;
    }

    /** Content given by the caller is sent as it is, once it passes the text rules. */
    private static Optional<Content> checked(Content given, boolean email, List<Violation> violations) {
        int before = violations.size();
        if (given.body().isBlank()) {
            violations.add(Violation.of("task.content.body.required", "/content/body", "the content body is required"));
        } else {
            violations.addAll(Texts.check("/content/body", given.body(), Limits.BODY_MAX_CHARS));
        }
        Optional<String> subject = email ? given.subject() : Optional.empty();
        subject.ifPresent(s -> violations.addAll(Texts.check("/content/subject", s, Limits.SUBJECT_MAX_CHARS)));
        return violations.size() == before ? Optional.of(new Content(subject, given.body())) : Optional.empty();
    }

    private Optional<Content> rendered(Task task, Optional<Contact> contact, List<Violation> violations) {
        Rendering rendering = templates.render(task.type(), task.template(), contact.map(Contact::variables).orElse(Map.of()));
        if (rendering instanceof Rendering.MissingVariables missing) {
            missing.names().forEach(name -> violations.add(Violation.of("task.template.variable.missing", "/template",
                    "variable '" + name + "' has no value" + task.contactId().map(id -> " for contact " + id).orElse(""))));
            return Optional.empty();
        }
        Content content = ((Rendering.Rendered) rendering).content();
        return Optional.of(task.type() == TaskType.MANUAL_EMAIL ? content : new Content(Optional.empty(), content.body()));
    }

    /** Hands the recorded execution to the sender and records the outcome. */
    private Either<TaskError, Task> deliver(Task started) {
        Delivery delivery = send(started, started.execution().orElseThrow());
        Instant now = clock.instant();
        Outcome outcome = outcome(started, delivery, now);
        return outcome.reported(recordOutcome(started, outcome.change(), outcome.event(), now));
    }

    /**
     * What a delivery makes of the started task: the domain's change, its event, and how the engine reports it (a failed
     * delivery is a {@link TaskError.DeliveryFailed} once its outcome is recorded).
     */
    record Outcome(Function<Task, Either<TaskError, Task>> change, TaskEventType event, Optional<Delivery.Failed> failed) {
        Either<TaskError, Task> reported(Either<TaskError, Task> recorded) {
            return failed.isEmpty() ? recorded : recorded.flatMap(task -> Either.left(
                    new TaskError.DeliveryFailed(task.id(), failed.get().reason(), failed.get().transientFailure())));
        }
    }

    private Outcome outcome(Task started, Delivery delivery, Instant now) {
        if (delivery instanceof Delivery.Failed failed) {
            Optional<Instant> retryAt = started.scheduled()
                    ? retryPolicy.retryAt(started.failedAttempts() + 1, failed.transientFailure(), now)
                    : Optional.empty();
            Function<Task, Either<TaskError, Task>> change = failed.transientFailure()
                    ? task -> task.executionFailedTransiently(failed.reason(), retryAt, now)
                    : task -> task.executionFailed(failed.reason(), retryAt, now);
            return new Outcome(change, TaskEventType.EXECUTION_FAILED, Optional.of(failed));
        }
        return new Outcome(task -> task.executionSucceeded(now), TaskEventType.EXECUTED, Optional.empty());
    }

    private Delivery send(Task task, Execution execution) {
        boolean email = task.type() == TaskType.MANUAL_EMAIL;
        OutgoingMessage message = new OutgoingMessage(execution.idempotencyKey(), task.tenant(), task.id(),
                email ? Channel.EMAIL : Channel.SMS, execution.emailAccount(), execution.target(), execution.content().subject(),
                execution.content().body(), email ? task.template().attachmentIds() : List.of());
        try {
            Delivery delivery = sender.send(message);
            return delivery == null ? Delivery.transientFailure("the sender answered nothing") : delivery;
        } catch (RuntimeException e) {
            return Delivery.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Records an execution's outcome. Another write may have raced it (a sequence-wide reassign): as long as the same
     * execution is still under way, the outcome is applied to the fresh task; if another engine already recorded it
     * (after resending under the same key), that record stands.
     */
    private Either<TaskError, Task> recordOutcome(
            Task started, Function<Task, Either<TaskError, Task>> outcome, TaskEventType event, Instant now) {
        String key = started.execution().orElseThrow().idempotencyKey();
        Task current = started;
        while (true) {
            Task base = current;
            Either<TaskError, Task> saved = outcome.apply(base).flatMap(changed -> write(base, changed, event, now));
            if (saved.isRight() || !(saved.getLeft() instanceof TaskError.VersionConflict)) {
                return saved;
            }
            Optional<Task> fresh = store.find(current.tenant(), current.id());
            if (fresh.isEmpty()) {
                return Either.left(new TaskError.NotFound(current.id()));
            }
            if (!fresh.get().execution().map(e -> e.idempotencyKey().equals(key)).orElse(false)) {
                // Another engine recorded this execution's outcome (after resending it under the same key): report that.
                Task recorded = fresh.get();
                return recorded.finishedAt().isPresent()
                        ? Either.right(recorded)
                        : Either.left(new TaskError.DeliveryFailed(recorded.id(),
                                recorded.failureReason().orElse("the execution's outcome was recorded by another engine"), true));
            }
            current = fresh.get();
        }
    }

    @Override
    public TaskScheduler scheduler(SchedulerOptions options) {
        return new TaskScheduler(this, Objects.requireNonNull(options, "options"));
    }

    @Override
    public int relayPendingEvents() {
        return relay.relayPending();
    }

    List<Task> claimDue(SchedulerOptions options, int limit, boolean dueOnly) {
        Instant now = clock.instant();
        return store.claimDue(new DueTasks(now, now.minus(options.staleExecutionAfter()), limit,
                options.owner(), now.plus(options.lease()), dueOnly));
    }

    /**
     * Starts the executions of claimed tasks, working on the rows the claim answered (read by the claim itself, so not
     * read again): the execution of every task still due is prepared from its claimed row and recorded at the version
     * the claim read, and a due task that cannot be sent as it stands is marked failed with every reason, all in one
     * {@link TaskStore#updateAll} (one commit). A task changed since its claim is a version conflict there, and is
     * neither started nor sent: never sent stale. Answers what may be sent now, each execution record committed: the
     * executions started here, then the claimed executions that died with their worker (resent as recorded).
     */
    List<Task> startClaimed(List<Task> claimed, SchedulerOptions options) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        if (!store.commitsEachWrite()) {
            throw new IllegalStateException("a scheduler sends messages, which must not happen before their execution records"
                    + " are committed: run it with an engine whose store commits each write");
        }
        Instant now = clock.instant();
        List<Task> stale = new ArrayList<>();
        List<TaskWrite> writes = new ArrayList<>();
        for (Task task : claimed) {
            if (task.executionStale(now.minus(options.staleExecutionAfter()))) {
                stale.add(task);
            } else if (task.dueForExecution(now)) {
                Either<TaskError, Task> started = prepare(task, Optional.empty(), Optional.empty(), now)
                        .flatMap(execution -> task.executionStarted(execution, now));
                if (started.isRight()) {
                    writes.add(new TaskWrite(started.get(), task.version(), List.of()));
                } else if (started.getLeft() instanceof TaskError.InvalidInput invalid) {
                    String reason = String.join("; ", invalid.violations().stream().map(Violation::message).toList());
                    task.executionRefused(reason, now).peek(failed -> writes.add(
                            new TaskWrite(failed, task.version(), eventsFor(TaskEventType.EXECUTION_FAILED, failed, now))));
                }
            }
        }
        List<Task> toSend = new ArrayList<>();
        for (Either<TaskError, Task> written : writeAll(writes)) {
            if (written.isRight() && written.get().execution().isPresent()) {
                toSend.add(written.get());
            }
        }
        toSend.addAll(stale);
        return toSend;
    }

    /**
     * Sends each recorded execution (all of them committed: see {@link #startClaimed}), then records every outcome in one
     * {@link TaskStore#updateAll}. Answers how many were handed to the sender.
     */
    int deliverAll(List<Task> executions) {
        List<Sent> sent = new ArrayList<>(executions.size());
        for (Task task : executions) {
            sent.add(send(task));
        }
        recordOutcomes(sent);
        return executions.size();
    }

    /** An execution handed to the sender at {@code at}, whose outcome is not recorded yet. */
    record Sent(Task started, Outcome outcome, Instant at) {}

    /** Hands a recorded execution (committed: see {@link #startClaimed}) to the sender; its outcome is recorded later. */
    Sent send(Task started) {
        Delivery delivery = send(started, started.execution().orElseThrow());
        Instant now = clock.instant();
        return new Sent(started, outcome(started, delivery, now), now);
    }

    /**
     * Records the outcomes of sent executions in one {@link TaskStore#updateAll} (one commit). An outcome that lost a
     * race with another write (a sequence-wide reassign) is recorded again on the fresh task, as {@link #recordOutcome}
     * does. An outcome that is not recorded (the store failing) leaves its execution to be resent, under the same
     * idempotency key, once stale.
     */
    void recordOutcomes(List<Sent> sent) {
        List<Sent> recorded = new ArrayList<>(sent.size());
        List<TaskWrite> writes = new ArrayList<>(sent.size());
        for (Sent s : sent) {
            Either<TaskError, Task> changed = s.outcome.change().apply(s.started);
            if (changed.isRight()) {
                recorded.add(s);
                writes.add(new TaskWrite(changed.get(), s.started.version(), eventsFor(s.outcome.event(), changed.get(), s.at)));
            }
        }
        List<Either<TaskError, Task>> written = writeAll(writes);
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i).isLeft() && written.get(i).getLeft() instanceof TaskError.VersionConflict) {
                Sent s = recorded.get(i);
                recordOutcome(s.started, s.outcome.change(), s.outcome.event(), s.at);
            }
        }
    }

    /**
     * Writes every change in one {@link TaskStore#updateAll} and publishes the events of those kept; answers each
     * write's outcome, in order.
     */
    private List<Either<TaskError, Task>> writeAll(List<TaskWrite> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<Either<TaskError, Task>> written = store.updateAll(writes);
        List<TaskEvent> events = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i).isRight()) {
                events.addAll(writes.get(i).events());
            }
        }
        relay.publishCommitted(events);
        return written;
    }

    /** The shape of every single-task change: find, apply the domain's rule, write with the version read, publish. */
    private interface Change {
        Either<TaskError, Task> apply(Task current, Instant now);
    }

    private Either<TaskError, Task> change(TaskRef ref, TaskEventType event, Change change) {
        Instant now = clock.instant();
        return find(ref).flatMap(current -> change.apply(current, now).flatMap(changed -> write(current, changed, event, now)));
    }

    /** Writes {@code changed} over {@code current} with its event, then publishes the event. */
    private Either<TaskError, Task> write(Task current, Task changed, TaskEventType event, Instant now) {
        List<TaskEvent> events = event == null ? List.of() : eventsFor(event, changed, now);
        return store.update(changed, current.version(), events).peek(saved -> relay.publishCommitted(events));
    }

    private List<TaskEvent> eventsFor(TaskEventType type, Task task, Instant now) {
        return relay.enabled() ? List.of(TaskEvent.of(type, task, now)) : List.of();
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
        // A finished task's template is literal: the content that was sent or done, answered as it is.
        Rendering content = templates.render(task.type(), task.template(), contact.map(Contact::variables).orElse(Map.of()));
        return new TaskDetail(task, delivery, Optional.of(content));
    }

    /** The same codes as the domain's check of an assignee. */
    private static List<Violation> assigneeViolations(UserId assignee) {
        if (assignee == null) {
            return List.of(Violation.of("task.assignedUserId.required", "/assignedUserId", "an assignee is required"));
        }
        if (assignee.value() <= 0) {
            return List.of(Violation.of("task.assignedUserId.invalid", "/assignedUserId",
                    "a user id is a positive number, not " + assignee.value()));
        }
        return List.of();
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
}
