package dev.taskengine.domain;

import io.vavr.control.Either;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The task aggregate: immutable, every change a new value with the next {@link #version()}.
 *
 * <p>Two ways in: {@link #create} validates a new task and reports every violation at once; the canonical constructor
 * rebuilds a stored task and only re-checks the structural invariants (a task that breaks them is corrupt, and the
 * constructor throws). Every lifecycle action is a method that answers the changed task or a {@link TaskError}; the
 * clock's reading is passed in, never read here.
 */
public record Task(
        TaskId id,
        TenantId tenant,
        long version,
        TaskType type,
        Optional<LinkedInTaskType> linkedInTaskType,
        TaskStatus status,
        Priority priority,
        Optional<ContactId> contactId,
        UserId assignedUserId,
        CreationSource creationSource,
        Optional<SequenceRef> sequence,
        Instant createdAt,
        Instant updatedAt,
        Instant startAt,
        Instant dueTo,
        Optional<Instant> finishedAt,
        Optional<Instant> skippedAt,
        Optional<Instant> reopenedAt,
        Optional<ReopenReason> reopenReason,
        Optional<Disposition> disposition,
        Optional<CallResolution> callResolution,
        boolean failed,
        Optional<String> failureReason,
        int failedAttempts,
        Optional<Instant> retryAt,
        Optional<String> retryKey,
        boolean scheduled,
        Template template,
        Optional<Execution> execution) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(linkedInTaskType, "linkedInTaskType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(assignedUserId, "assignedUserId");
        Objects.requireNonNull(creationSource, "creationSource");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(startAt, "startAt");
        Objects.requireNonNull(dueTo, "dueTo");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(skippedAt, "skippedAt");
        Objects.requireNonNull(reopenedAt, "reopenedAt");
        Objects.requireNonNull(reopenReason, "reopenReason");
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(callResolution, "callResolution");
        Objects.requireNonNull(failureReason, "failureReason");
        Objects.requireNonNull(retryAt, "retryAt");
        Objects.requireNonNull(retryKey, "retryKey");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(template.body(), "template.body");
        require(version >= 1, "version starts at 1");
        require(linkedInTaskType.isEmpty() || type == TaskType.LINKED_IN, "only LinkedIn tasks carry a LinkedIn task type");
        require(sequence.isPresent() == (creationSource == CreationSource.SEQUENCE), "sequence tasks, and only they, carry a sequence");
        require(dueTo.isAfter(startAt), "dueTo is after startAt");
        require(!updatedAt.isBefore(createdAt), "updatedAt is not before createdAt");
        require(finishedAt.isPresent() == (status == TaskStatus.FINISHED || status == TaskStatus.ARCHIVED && finishedAt.isPresent()),
                "finishedAt is set exactly when the task is (or was, before archiving) finished");
        require(skippedAt.isPresent() == (status == TaskStatus.SKIPPED || status == TaskStatus.ARCHIVED && skippedAt.isPresent()),
                "skippedAt is set exactly when the task is (or was, before archiving) skipped");
        require(finishedAt.isEmpty() || skippedAt.isEmpty(), "a task was finished or skipped, not both");
        require(reopenedAt.isPresent() == reopenReason.isPresent(), "a reopened task carries its reason");
        require(disposition.isEmpty() || type == TaskType.CALL && finishedAt.isPresent(), "only finished calls carry a disposition");
        require(callResolution.isEmpty() || type == TaskType.CALL && finishedAt.isPresent(), "only finished calls carry a call resolution");
        require(failed == failureReason.isPresent(), "a failed task carries its failure reason, and only a failed one");
        require(failedAttempts >= 0, "failed attempts are not negative");
        require(retryAt.isEmpty() || failed && status.active(), "only an active failed task waits for a retry");
        require(retryKey.isEmpty() || failed && status.active(), "only an active failed task keeps an idempotency key for its retry");
        require(execution.isEmpty() || status.active() && type.executable(), "only an active email or SMS task is being executed");
    }

    private static void require(boolean invariant, String description) {
        if (!invariant) {
            throw new IllegalArgumentException("corrupt task: " + description);
        }
    }

    /**
     * Validates a new task and, when every rule holds, builds it with an id from {@code nextId} (called only then), status
     * new, version 1.
     */
    public static Either<TaskError, Task> create(
            NewTask command, TemplateEngine templates, Instant now, Supplier<TaskId> nextId) {
        List<Violation> violations = TaskRules.checkNew(command, templates);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        Instant at = TaskRules.micros(now);
        return Either.right(new Task(nextId.get(), command.tenant(), 1, command.type(), command.linkedInTaskType(),
                TaskStatus.NEW, command.priority(), command.contactId(), command.assignedUserId(), command.creationSource(),
                command.sequence(), at, at, TaskRules.micros(command.startAt()), TaskRules.micros(command.dueTo()),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, Optional.empty(), 0, Optional.empty(), Optional.empty(), command.scheduled(), command.template(),
                Optional.empty()));
    }

    public boolean active() {
        return status.active();
    }

    /** Whether the task is overdue at {@code now}: active and past its due time. */
    public boolean overdueAt(Instant now) {
        return active() && dueTo.isBefore(now);
    }

    /**
     * Refuses {@code action} unless the lifecycle allows it in the current state and no execution is under way (while
     * a message is with the sender, only the execution's own outcome may change the task).
     */
    public Either<TaskError, Task> allows(TaskAction action) {
        if (!action.allowedFrom(status)) {
            return Either.left(new TaskError.IllegalTransition(action, status));
        }
        if (execution.isPresent()) {
            return Either.left(new TaskError.ExecutionUnderWay(id));
        }
        return Either.right(this);
    }

    /** Whether an execution is under way (recorded, outcome not yet recorded). */
    public boolean executing() {
        return execution.isPresent();
    }

    public Either<TaskError, Task> start(Instant now) {
        return allows(TaskAction.START).map(t -> t.change(now).status(TaskStatus.IN_PROGRESS).build());
    }

    /** Full replacement of the editable fields; every rule is checked again. */
    public Either<TaskError, Task> update(TaskUpdate update, TemplateEngine templates, Instant now) {
        return allows(TaskAction.UPDATE).flatMap(t -> {
            List<Violation> violations = TaskRules.checkUpdate(this, update, templates);
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.type = update.type();
            change.linkedInTaskType = update.linkedInTaskType();
            change.contactId = update.contactId();
            change.priority = update.priority();
            change.startAt = TaskRules.micros(update.startAt());
            change.dueTo = TaskRules.micros(update.dueTo());
            change.scheduled = update.scheduled();
            change.template = update.template();
            change.failed = false;
            change.failureReason = Optional.empty();
            change.failedAttempts = 0;
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            return Either.right(change.build());
        });
    }

    /** What is wrong with {@code assignee} as a task's assignee (null, or not a positive user id); empty when nothing. */
    public static List<Violation> assigneeViolations(UserId assignee) {
        List<Violation> violations = new java.util.ArrayList<>();
        TaskRules.checkAssignee(assignee, violations);
        return List.copyOf(violations);
    }

    public Either<TaskError, Task> reassign(UserId assignee, Instant now) {
        return allows(TaskAction.REASSIGN).flatMap(t -> {
            List<Violation> violations = assigneeViolations(assignee);
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.assignedUserId = assignee;
            return Either.right(change.build());
        });
    }

    /** Done by a person. A call may carry its disposition and call resolution; other types may not. */
    public Either<TaskError, Task> complete(Completion completion, Instant now) {
        return complete(completion, Optional.empty(), now);
    }

    /**
     * Done by a person; {@code finalContent}, when given, replaces the template (the template rendered for the contact
     * at the time, as Reply keeps for finished tasks).
     */
    public Either<TaskError, Task> complete(Completion completion, Optional<Content> finalContent, Instant now) {
        return allows(TaskAction.COMPLETE).flatMap(t -> {
            List<Violation> violations = new java.util.ArrayList<>();
            if (completion.disposition().isPresent() && type != TaskType.CALL) {
                violations.add(Violation.of("task.disposition.notCallTask", "/disposition",
                        "only call tasks carry a disposition; this is a " + type.wireName() + " task"));
            }
            if (completion.callResolution().isPresent() && type != TaskType.CALL) {
                violations.add(Violation.of("task.callResolution.notCallTask", "/callResolution",
                        "only call tasks carry a call resolution; this is a " + type.wireName() + " task"));
            }
            if (completion.finishProspectInSequence() && creationSource != CreationSource.SEQUENCE) {
                violations.add(Violation.of("task.finishProspectInSequence.notSequenceTask", "/finishProspectInSequence",
                        "only a sequence task can finish its prospect in the sequence"));
            }
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.status = TaskStatus.FINISHED;
            change.finishedAt = Optional.of(change.at);
            change.disposition = completion.disposition();
            change.callResolution = completion.callResolution();
            change.retryAt = Optional.empty();
            finalContent.ifPresent(content -> change.template = Template.finalContent(content, template.attachmentIds()));
            return Either.right(change.build());
        });
    }

    /** Refuses unless this task can be executed now: an active email or SMS task with no execution under way. */
    public Either<TaskError, Task> executable() {
        if (!type.executable()) {
            return Either.left(new TaskError.NotExecutable(id, type));
        }
        return allows(TaskAction.EXECUTE);
    }

    /**
     * Records that {@code execution} is under way, before the message is handed to the sender. The task stays active;
     * every other action is refused until {@link #executionSucceeded} or {@link #executionFailed} records the outcome.
     */
    public Either<TaskError, Task> executionStarted(Execution execution, Instant now) {
        return executable().map(t -> {
            Change change = change(now);
            change.execution = Optional.of(execution);
            change.retryKey = Optional.empty();
            return change.build();
        });
    }

    /** Sent: finished, the template becomes the content that was sent (the raw template is gone), failure cleared. */
    public Either<TaskError, Task> executionSucceeded(Instant now) {
        return underWay().map(sent -> {
            Change change = change(now);
            change.status = TaskStatus.FINISHED;
            change.finishedAt = Optional.of(change.at);
            change.template = Template.finalContent(sent.content(), template.attachmentIds());
            change.failed = false;
            change.failureReason = Optional.empty();
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            change.execution = Optional.empty();
            return change.build();
        });
    }

    /**
     * Not sent, for good (the provider refused the message): the task stays active, marked failed with the reason, one
     * more failed attempt counted; a scheduled task is retried at {@code retryAt} if there is one, and otherwise stays
     * failed until it is updated or executed by hand. The next attempt gets a new idempotency key.
     */
    public Either<TaskError, Task> executionFailed(String reason, Optional<Instant> retryAt, Instant now) {
        return failed(reason, retryAt, now, false);
    }

    /**
     * Not sent as far as the engine knows, but the message may have reached the provider (a timeout, an outage): as
     * {@link #executionFailed}, and the next attempt reuses this attempt's idempotency key ({@link #retryKey()}), so that
     * a provider that did take the message does not deliver it twice.
     */
    public Either<TaskError, Task> executionFailedTransiently(String reason, Optional<Instant> retryAt, Instant now) {
        return failed(reason, retryAt, now, true);
    }

    private Either<TaskError, Task> failed(String reason, Optional<Instant> retryAt, Instant now, boolean keepKey) {
        return underWay().map(attempt -> {
            Change change = change(now);
            change.failed = true;
            change.failureReason = Optional.of(reason == null || reason.isBlank() ? "unknown failure" : reason);
            change.failedAttempts = failedAttempts + 1;
            change.retryAt = retryAt.map(TaskRules::micros);
            change.retryKey = keepKey ? Optional.of(attempt.idempotencyKey()) : Optional.empty();
            change.execution = Optional.empty();
            return change.build();
        });
    }

    /** The engine records an outcome only for an execution it recorded: anything else is a bug, not a business rule. */
    private Either<TaskError, Execution> underWay() {
        return Either.right(execution.orElseThrow(
                () -> new IllegalStateException("task " + id + " has no execution under way to record an outcome for")));
    }

    /**
     * The task cannot be sent as it stands (no address, no account, a missing variable): marked failed with the reason,
     * with no retry planned, so that the scheduler leaves it until someone updates it or executes it by hand.
     */
    public Either<TaskError, Task> executionRefused(String reason, Instant now) {
        return executable().map(t -> {
            Change change = change(now);
            change.failed = true;
            change.failureReason = Optional.of(reason == null || reason.isBlank() ? "cannot be executed" : reason);
            change.failedAttempts = failedAttempts + 1;
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            return change.build();
        });
    }

    /**
     * Whether the scheduler should execute this task at {@code now}: a scheduled, active email or SMS task that has
     * started, is not being executed, and has not failed, or failed and its retry time has come.
     */
    public boolean dueForExecution(Instant now) {
        return scheduled && type.executable() && active() && execution.isEmpty() && !startAt.isAfter(now)
                && (!failed || retryAt.map(at -> !at.isAfter(now)).orElse(false));
    }

    /** Whether an execution was recorded before {@code before} and its outcome never was (its worker may have died). */
    public boolean executionStale(Instant before) {
        return execution.map(e -> e.startedAt().isBefore(before)).orElse(false);
    }

    public Either<TaskError, Task> skip(Instant now) {
        return allows(TaskAction.SKIP).map(t -> {
            Change change = change(now);
            change.status = TaskStatus.SKIPPED;
            change.skippedAt = Optional.of(change.at);
            return change.build();
        });
    }

    public Either<TaskError, Task> cancel(Instant now) {
        return allows(TaskAction.CANCEL).map(t -> change(now).status(TaskStatus.CANCELLED).build());
    }

    /** The contact left the sequence: the task leaves with it. Sequence tasks only. */
    public Either<TaskError, Task> detach(Instant now) {
        return allows(TaskAction.DETACH).flatMap(t -> {
            if (creationSource != CreationSource.SEQUENCE) {
                return Either.left(TaskError.InvalidInput.of(Violation.of("task.sequenceId.notSequenceTask", "/sequenceId",
                        "only sequence tasks can be detached from a sequence")));
            }
            return Either.right(change(now).status(TaskStatus.SEQUENCE_DETACHED).build());
        });
    }

    /**
     * Back to new: finish and skip times, disposition, call resolution and failure bookkeeping are cleared (a reopened
     * scheduled task is due again); the reopen time and reason are kept. A finished task's final content stays its
     * template, as literal text.
     */
    public Either<TaskError, Task> reopen(ReopenReason reason, Instant now) {
        return allows(TaskAction.REOPEN).flatMap(t -> {
            if (reason == null) {
                return Either.left(TaskError.InvalidInput.of(Violation.of("task.reopenReason.required", "/reopenReason",
                        "a reopen reason is required; accepted: " + WireEnums.accepted(ReopenReason.class))));
            }
            Change change = change(now);
            change.status = TaskStatus.NEW;
            change.finishedAt = Optional.empty();
            change.skippedAt = Optional.empty();
            change.disposition = Optional.empty();
            change.callResolution = Optional.empty();
            change.failed = false;
            change.failureReason = Optional.empty();
            change.failedAttempts = 0;
            change.retryKey = Optional.empty();
            change.reopenedAt = Optional.of(change.at);
            change.reopenReason = Optional.of(reason);
            return Either.right(change.build());
        });
    }

    /** The end of the road for a closed task; finish and skip times stay as they were. */
    public Either<TaskError, Task> archive(Instant now) {
        return allows(TaskAction.ARCHIVE).map(t -> change(now).status(TaskStatus.ARCHIVED).build());
    }

    /** The same task as stored after a sequence-wide reassign: the store applies this change in one statement. */
    public Task reassignedBySequence(UserId assignee, Instant now) {
        Change change = change(now);
        change.assignedUserId = assignee;
        return change.build();
    }

    private Change change(Instant now) {
        return new Change(this, now);
    }

    /** A copy being changed; {@link #build()} makes the next version, stamped with the time of the change. */
    private static final class Change {
        private final Task from;
        private final Instant at;
        private TaskType type;
        private Optional<LinkedInTaskType> linkedInTaskType;
        private TaskStatus status;
        private Priority priority;
        private Optional<ContactId> contactId;
        private UserId assignedUserId;
        private Instant startAt;
        private Instant dueTo;
        private Optional<Instant> finishedAt;
        private Optional<Instant> skippedAt;
        private Optional<Instant> reopenedAt;
        private Optional<ReopenReason> reopenReason;
        private Optional<Disposition> disposition;
        private Optional<CallResolution> callResolution;
        private boolean failed;
        private Optional<String> failureReason;
        private int failedAttempts;
        private Optional<Instant> retryAt;
        private Optional<String> retryKey;
        private boolean scheduled;
        private Template template;
        private Optional<Execution> execution;

        private Change(Task from, Instant now) {
            this.from = from;
            Instant micros = TaskRules.micros(now);
            this.at = micros.isBefore(from.updatedAt) ? from.updatedAt : micros;
            type = from.type;
            linkedInTaskType = from.linkedInTaskType;
            status = from.status;
            priority = from.priority;
            contactId = from.contactId;
            assignedUserId = from.assignedUserId;
            startAt = from.startAt;
            dueTo = from.dueTo;
            finishedAt = from.finishedAt;
            skippedAt = from.skippedAt;
            reopenedAt = from.reopenedAt;
            reopenReason = from.reopenReason;
            disposition = from.disposition;
            callResolution = from.callResolution;
            failed = from.failed;
            failureReason = from.failureReason;
            failedAttempts = from.failedAttempts;
            retryAt = from.retryAt;
            retryKey = from.retryKey;
            scheduled = from.scheduled;
            template = from.template;
            execution = from.execution;
        }

        private Change status(TaskStatus value) {
            this.status = value;
            return this;
        }

        private Task build() {
            if (!status.active()) {
                // A closed task waits for no retry, whichever action closed it.
                retryAt = Optional.empty();
                retryKey = Optional.empty();
            }
            return new Task(from.id, from.tenant, from.version + 1, type, linkedInTaskType, status, priority, contactId,
                    assignedUserId, from.creationSource, from.sequence, from.createdAt, at, startAt, dueTo, finishedAt,
                    skippedAt, reopenedAt, reopenReason, disposition, callResolution, failed, failureReason, failedAttempts,
                    retryAt, retryKey, scheduled, template, execution);
        }
    }
}
