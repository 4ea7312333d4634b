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
 * <p>Three ways in: {@link #create} validates a new task and reports every violation at once; {@link #stored()} rebuilds
 * a stored task from its flat values (a row, a map entry); the canonical constructor assembles the parts. Both of the
 * last re-check only the structural invariants (a task that breaks them is corrupt, and they throw). Every lifecycle
 * action is a method that answers the changed task or a {@link TaskError}; the clock's reading is passed in, never read
 * here.
 *
 * @param fields     what a host edits: type, contact, priority, schedule, template
 * @param origin     where the task came from (creation source, sequence), fixed for its life
 * @param times      created, last changed, finished or skipped
 * @param reopening  the last reopening, if the task was ever reopened
 * @param callOutcome how a finished call went; {@link CallOutcome#NONE} otherwise
 * @param failure    the failure bookkeeping of its executions
 * @param execution  the execution under way, if any
 * @param deferral   when the sending policy deferred its scheduled send to, and why; cleared by any change that decides
 *                   the send again (its execution, an update, a reassign of the task, a reopen, closing it); a
 *                   sequence-wide reassign keeps it (the sequence's email account sends, whoever is assigned)
 * @param snoozedUntil until when the task is snoozed: hidden from "my tasks now" and not executed before then (it comes
 *                   back by itself then); cleared by unsnoozing and by closing the task
 * @param pausedUntil until when the task is held because its contact is paused (out of office, "do not contact
 *                   before"): hidden and not executed before then, like a snooze; cleared by resuming the contact and
 *                   by closing the task
 * @param trace      the trace context of the call that created the task, or last made it scheduled or moved its
 *                   scheduled start (see {@link #traced}); {@link TraceContext#NONE} when there was none. Kept through
 *                   every other change, and not part of its history: it tells where a send came from, not what the task is
 */
public record Task(
        TaskId id,
        TenantId tenant,
        long version,
        TaskStatus status,
        TaskFields fields,
        UserId assignedUserId,
        Origin origin,
        Times times,
        Optional<Reopening> reopening,
        CallOutcome callOutcome,
        Failure failure,
        Optional<Execution> execution,
        Optional<Deferral> deferral,
        Optional<Instant> snoozedUntil,
        Optional<Instant> pausedUntil,
        TraceContext trace) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(fields.type(), "type");
        Objects.requireNonNull(fields.priority(), "priority");
        Objects.requireNonNull(fields.schedule().startAt(), "startAt");
        Objects.requireNonNull(fields.schedule().dueTo(), "dueTo");
        Objects.requireNonNull(fields.template(), "template");
        Objects.requireNonNull(fields.template().body(), "template.body");
        Objects.requireNonNull(assignedUserId, "assignedUserId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(reopening, "reopening");
        Objects.requireNonNull(callOutcome, "callOutcome");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(deferral, "deferral");
        Objects.requireNonNull(snoozedUntil, "snoozedUntil");
        Objects.requireNonNull(pausedUntil, "pausedUntil");
        Objects.requireNonNull(trace, "trace");
        TaskType type = fields.type();
        Optional<Instant> finishedAt = times.finishedAt();
        Optional<Instant> skippedAt = times.skippedAt();
        require(version >= 1, "version starts at 1");
        require(
                fields.linkedInTaskType().isEmpty() || type == TaskType.LINKED_IN,
                "only LinkedIn tasks carry a LinkedIn task type");
        require(
                origin.sequence().isPresent() == (origin.source() == CreationSource.SEQUENCE),
                "sequence tasks, and only they, carry a sequence");
        require(fields.schedule().dueTo().isAfter(fields.schedule().startAt()), "dueTo is after startAt");
        require(!times.updatedAt().isBefore(times.createdAt()), "updatedAt is not before createdAt");
        require(
                finishedAt.isPresent()
                        == (status == TaskStatus.FINISHED || status == TaskStatus.ARCHIVED && finishedAt.isPresent()),
                "finishedAt is set exactly when the task is (or was, before archiving) finished");
        require(
                skippedAt.isPresent()
                        == (status == TaskStatus.SKIPPED || status == TaskStatus.ARCHIVED && skippedAt.isPresent()),
                "skippedAt is set exactly when the task is (or was, before archiving) skipped");
        require(finishedAt.isEmpty() || skippedAt.isEmpty(), "a task was finished or skipped, not both");
        require(
                callOutcome.disposition().isEmpty() || type == TaskType.CALL && finishedAt.isPresent(),
                "only finished calls carry a disposition");
        require(
                callOutcome.callResolution().isEmpty() || type == TaskType.CALL && finishedAt.isPresent(),
                "only finished calls carry a call resolution");
        require(failure.attempts() >= 0, "failed attempts are not negative");
        require(
                failure.retryAt().isEmpty() || failure.failed() && status.active(),
                "only an active failed task waits for a retry");
        require(
                failure.retryKey().isEmpty() || failure.failed() && status.active(),
                "only an active failed task keeps an idempotency key for its retry");
        require(
                execution.isEmpty() || status.active() && type.executable(),
                "only an active email or SMS task is being executed");
        require(
                deferral.isEmpty() || status.active() && type.executable(),
                "only an active email or SMS task has its send deferred");
        require(
                status.active() || fields.remindAt().isEmpty() && snoozedUntil.isEmpty() && pausedUntil.isEmpty(),
                "only an active task has a reminder, a snooze or a pause");
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
        return create(command, templates, now, nextId, null);
    }

    /**
     * As {@link #create(NewTask, TemplateEngine, Instant, Supplier)}, for a contact paused until
     * {@code contactPausedUntil}: the task starts held until then (when that is after {@code now}).
     */
    public static Either<TaskError, Task> create(
            NewTask command,
            TemplateEngine templates,
            Instant now,
            Supplier<TaskId> nextId,
            Instant contactPausedUntil) {
        List<Violation> violations = TaskRules.checkNew(command, templates);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        Instant at = TaskRules.micros(now);
        return Either.right(new Task(
                nextId.get(),
                command.tenant(),
                1,
                TaskStatus.NEW,
                command.fields().micros(),
                command.assignedUserId(),
                new Origin(command.creationSource(), command.sequence()),
                new Times(at, at, Optional.empty(), Optional.empty()),
                Optional.empty(),
                CallOutcome.NONE,
                Failure.NONE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                pauseAfter(contactPausedUntil, at),
                TraceContext.NONE));
    }

    private static Optional<Instant> pauseAfter(Instant contactPausedUntil, Instant now) {
        return contactPausedUntil != null && contactPausedUntil.isAfter(now)
                ? Optional.of(TaskRules.micros(contactPausedUntil))
                : Optional.empty();
    }

    /** Rebuilds a stored task from its flat values; see {@link Stored}. */
    public static Stored stored() {
        return new Stored();
    }

    /**
     * The same task, at the same version, keeping {@code value} as its trace context: the engine sets it on the task a
     * call creates, or makes scheduled, or whose scheduled start it moves, before writing it.
     */
    public Task traced(TraceContext value) {
        Objects.requireNonNull(value, "trace");
        if (value.equals(trace)) {
            return this;
        }
        return new Task(
                id,
                tenant,
                version,
                status,
                fields,
                assignedUserId,
                origin,
                times,
                reopening,
                callOutcome,
                failure,
                execution,
                deferral,
                snoozedUntil,
                pausedUntil,
                value);
    }

    /**
     * Whether {@code changed}, a change of this task, sends at another moment than this one would: it is scheduled, and
     * this one was not, or started at another time. The call that made such a change is the one its send comes from.
     */
    public boolean schedulesAnew(Task changed) {
        return changed.schedule().scheduled()
                && (!schedule().scheduled()
                        || !schedule().startAt().equals(changed.schedule().startAt()));
    }

    /** The task's type (of its {@link #fields()}). */
    public TaskType type() {
        return fields.type();
    }

    /** The task's start and due times and whether it is scheduled (of its {@link #fields()}). */
    public Schedule schedule() {
        return fields.schedule();
    }

    public boolean active() {
        return status.active();
    }

    /** Whether the task is overdue at {@code now}: active and past its due time. */
    public boolean overdueAt(Instant now) {
        return active() && schedule().dueTo().isBefore(now);
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

    /** Whether the task is hidden at {@code now}: snoozed or held for its paused contact until after then. */
    public boolean hiddenAt(Instant now) {
        return snoozedUntil.filter(until -> until.isAfter(now)).isPresent()
                || pausedUntil.filter(until -> until.isAfter(now)).isPresent();
    }

    /** When the task is visible again: the later of its snooze's and its pause's end, if it has either. */
    public Optional<Instant> hiddenUntil() {
        if (snoozedUntil.isEmpty()) {
            return pausedUntil;
        }
        if (pausedUntil.isEmpty()) {
            return snoozedUntil;
        }
        return Optional.of(snoozedUntil.get().isAfter(pausedUntil.get()) ? snoozedUntil.get() : pausedUntil.get());
    }

    /**
     * Snoozed until {@code until}, which is after {@code now}: hidden from "my tasks now" and not executed before then.
     * Snoozing a snoozed task moves its snooze.
     */
    public Either<TaskError, Task> snooze(Instant until, Instant now) {
        return allows(TaskAction.SNOOZE).flatMap(t -> {
            List<Violation> violations = snoozeViolations(until, now);
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.snoozedUntil = Optional.of(TaskRules.micros(until));
            return Either.right(change.build());
        });
    }

    /** What is wrong with {@code until} as the end of a snooze at {@code now}; empty when nothing. */
    public static List<Violation> snoozeViolations(Instant until, Instant now) {
        List<Violation> violations = new java.util.ArrayList<>();
        if (until == null) {
            violations.add(Violation.of("task.snoozedUntil.required", "/snoozedUntil", "a snooze needs its end"));
            return violations;
        }
        TaskRules.checkTime("/snoozedUntil", until, violations);
        if (violations.isEmpty() && !until.isAfter(now)) {
            violations.add(Violation.of(
                    "task.snoozedUntil.notInFuture",
                    "/snoozedUntil",
                    "a snooze ends after now (" + now + "), not at " + until));
        }
        return violations;
    }

    /** Back now: the snooze ends early. Refused for a task that is not snoozed at {@code now}. */
    public Either<TaskError, Task> unsnooze(Instant now) {
        return allows(TaskAction.UNSNOOZE).flatMap(t -> {
            if (snoozedUntil.filter(until -> until.isAfter(now)).isEmpty()) {
                return Either.left(TaskError.InvalidInput.of(Violation.of(
                        "task.snoozedUntil.notSnoozed", "/snoozedUntil", "task " + id + " is not snoozed")));
            }
            Change change = change(now);
            change.snoozedUntil = Optional.empty();
            return Either.right(change.build());
        });
    }

    /**
     * Start and due times moved as {@code reschedule} says, every rule of a task's times checked again; like an
     * update, the send (if scheduled) is decided again: failure bookkeeping and any deferral end.
     */
    public Either<TaskError, Task> reschedule(Reschedule reschedule, Instant now) {
        return allows(TaskAction.RESCHEDULE).flatMap(t -> {
            Schedule moved = reschedule.applyTo(schedule());
            List<Violation> violations = new java.util.ArrayList<>();
            if (moved == null) {
                violations.add(Violation.of(
                        "task.startAt.afterLatest", "/startAt", "must be on or before " + Limits.LATEST_TIME));
            } else {
                TaskRules.checkTimes(moved.startAt(), moved.dueTo(), violations);
            }
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.fields = fields.withSchedule(moved.micros());
            change.failureReason = Optional.empty();
            change.failedAttempts = 0;
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            change.deferral = Optional.empty();
            return Either.right(change.build());
        });
    }

    /** Held until {@code until} because its contact is paused; {@code until} is after {@code now}. */
    public Either<TaskError, Task> paused(Instant until, Instant now) {
        return allows(TaskAction.PAUSE).flatMap(t -> {
            List<Violation> violations = pauseViolations(until, now);
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.pausedUntil = Optional.of(TaskRules.micros(until));
            return Either.right(change.build());
        });
    }

    /** What is wrong with {@code until} as the end of a contact's pause at {@code now}; empty when nothing. */
    public static List<Violation> pauseViolations(Instant until, Instant now) {
        List<Violation> violations = new java.util.ArrayList<>();
        if (until == null) {
            violations.add(Violation.of("contact.pausedUntil.required", "/pausedUntil", "a pause needs its end"));
            return violations;
        }
        if (until.isAfter(Limits.LATEST_TIME)) {
            violations.add(Violation.of(
                    "contact.pausedUntil.afterLatest", "/pausedUntil", "must be on or before " + Limits.LATEST_TIME));
        } else if (!until.isAfter(now)) {
            violations.add(Violation.of(
                    "contact.pausedUntil.notInFuture",
                    "/pausedUntil",
                    "a pause ends after now (" + now + "), not at " + until));
        }
        return violations;
    }

    /** The hold of its paused contact ends now. Refused for a task that is not held at {@code now}. */
    public Either<TaskError, Task> resumed(Instant now) {
        return allows(TaskAction.RESUME).flatMap(t -> {
            if (pausedUntil.filter(until -> until.isAfter(now)).isEmpty()) {
                return Either.left(TaskError.InvalidInput.of(
                        Violation.of("task.pausedUntil.notPaused", "/pausedUntil", "task " + id + " is not paused")));
            }
            Change change = change(now);
            change.pausedUntil = Optional.empty();
            return Either.right(change.build());
        });
    }

    /**
     * Whether the reminder of this active task is due at {@code now}; a task being executed waits for its outcome (no
     * write races an execution).
     */
    public boolean reminderDue(Instant now) {
        return active()
                && execution.isEmpty()
                && fields.remindAt().filter(at -> !at.isAfter(now)).isPresent();
    }

    /** The reminder is emitted: its time has come, and it is cleared so that it is emitted once. */
    public Either<TaskError, Task> reminded(Instant now) {
        // While a message is with the sender the reminder waits for the outcome: no write may race the execution.
        return allows(TaskAction.REMIND).flatMap(t -> {
            if (!reminderDue(now)) {
                return Either.left(TaskError.InvalidInput.of(Violation.of(
                        "task.remindAt.notDue", "/remindAt", "task " + id + " has no reminder due at " + now)));
            }
            Change change = change(now);
            change.fields = fields.withRemindAt(null);
            return Either.right(change.build());
        });
    }

    /** Skipped, or skipped and archived, by {@code rule}; refused unless the rule {@link StaleRule#takes takes} the task. */
    public Either<TaskError, Task> closedAsStale(StaleRule rule, Instant now) {
        return allows(TaskAction.CLOSE_STALE).flatMap(t -> {
            if (!rule.takes(this, now)) {
                return Either.left(TaskError.InvalidInput.of(Violation.of(
                        "task.dueTo.notStale",
                        "/dueTo",
                        "task " + id + " is not overdue by more than " + rule.overdueBy()
                                + ", or is snoozed or paused")));
            }
            Change change = change(now);
            change.status = rule.action() == StaleRule.Action.ARCHIVE ? TaskStatus.ARCHIVED : TaskStatus.SKIPPED;
            change.skippedAt = Optional.of(change.at);
            return Either.right(change.build());
        });
    }

    /** Whether an execution is under way (recorded, outcome not yet recorded). */
    public boolean executing() {
        return execution.isPresent();
    }

    public Either<TaskError, Task> start(Instant now) {
        return allows(TaskAction.START)
                .map(t -> t.change(now).status(TaskStatus.IN_PROGRESS).build());
    }

    /** Full replacement of the editable fields; every rule is checked again. */
    public Either<TaskError, Task> update(TaskUpdate update, TemplateEngine templates, Instant now) {
        return update(update, templates, now, null);
    }

    /**
     * As {@link #update(TaskUpdate, TemplateEngine, Instant)}, where the update's contact is paused until
     * {@code contactPausedUntil} (null: not paused): a task moved to another contact takes that contact's pause (held
     * until then, or no longer held); a task that keeps its contact keeps its hold.
     */
    public Either<TaskError, Task> update(
            TaskUpdate update, TemplateEngine templates, Instant now, Instant contactPausedUntil) {
        return allows(TaskAction.UPDATE).flatMap(t -> {
            List<Violation> violations = TaskRules.checkUpdate(this, update, templates);
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.fields = update.fields().micros();
            if (!update.fields().contactId().equals(fields.contactId())) {
                change.pausedUntil = pauseAfter(contactPausedUntil, change.at);
            }
            change.failureReason = Optional.empty();
            change.failedAttempts = 0;
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            change.deferral = Optional.empty();
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
            // Another assignee may send from another account: the send is decided again.
            change.deferral = Optional.empty();
            return Either.right(change.build());
        });
    }

    /** Done by a person. A call may carry its disposition and call resolution; other types may not. */
    public Either<TaskError, Task> complete(Completion completion, Instant now) {
        return complete(completion, null, now);
    }

    /**
     * Done by a person; {@code finalContent} replaces the template (the template rendered for the contact at the time,
     * as Reply keeps for finished tasks).
     */
    public Either<TaskError, Task> complete(Completion completion, Content finalContent, Instant now) {
        return allows(TaskAction.COMPLETE).flatMap(t -> {
            TaskType type = type();
            List<Violation> violations = new java.util.ArrayList<>();
            if (completion.disposition().isPresent() && type != TaskType.CALL) {
                violations.add(Violation.of(
                        "task.disposition.notCallTask",
                        "/disposition",
                        "only call tasks carry a disposition; this is a " + type.wireName() + " task"));
            }
            if (completion.callResolution().isPresent() && type != TaskType.CALL) {
                violations.add(Violation.of(
                        "task.callResolution.notCallTask",
                        "/callResolution",
                        "only call tasks carry a call resolution; this is a " + type.wireName() + " task"));
            }
            if (completion.finishProspectInSequence() && origin.source() != CreationSource.SEQUENCE) {
                violations.add(Violation.of(
                        "task.finishProspectInSequence.notSequenceTask",
                        "/finishProspectInSequence",
                        "only a sequence task can finish its prospect in the sequence"));
            }
            if (!violations.isEmpty()) {
                return Either.left(new TaskError.InvalidInput(violations));
            }
            Change change = change(now);
            change.status = TaskStatus.FINISHED;
            change.finishedAt = Optional.of(change.at);
            change.callOutcome = new CallOutcome(completion.disposition(), completion.callResolution());
            change.retryAt = Optional.empty();
            if (finalContent != null) {
                change.template(
                        Template.finalContent(finalContent, fields.template().attachmentIds()));
            }
            return Either.right(change.build());
        });
    }

    /** Refuses unless this task can be executed now: an active email or SMS task with no execution under way. */
    public Either<TaskError, Task> executable() {
        if (!type().executable()) {
            return Either.left(new TaskError.NotExecutable(id, type()));
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
            change.deferral = Optional.empty();
            return change.build();
        });
    }

    /** Sent: finished, the template becomes the content that was sent (the raw template is gone), failure cleared. */
    public Either<TaskError, Task> executionSucceeded(Instant now) {
        return underWay().map(sent -> {
            Change change = change(now);
            change.status = TaskStatus.FINISHED;
            change.finishedAt = Optional.of(change.at);
            change.template(
                    Template.finalContent(sent.content(), fields.template().attachmentIds()));
            change.failureReason = Optional.empty();
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            change.execution = Optional.empty();
            return change.build();
        });
    }

    /**
     * Not sent, for good (the provider refused the message): the task stays active, marked failed with the reason, one
     * more failed attempt counted, and no retry planned: it stays failed until it is updated or executed by hand. The
     * next attempt gets a new idempotency key.
     */
    public Either<TaskError, Task> executionFailed(String reason, Instant now) {
        return recordFailure(reason, null, now, false);
    }

    /** As {@link #executionFailed(String, Instant)}, and the scheduler retries the task as {@code retry} says. */
    public Either<TaskError, Task> executionFailed(String reason, Retry retry, Instant now) {
        return recordFailure(reason, Objects.requireNonNull(retry, "retry"), now, false);
    }

    /**
     * Not sent as far as the engine knows, but the message may have reached the provider (a timeout, an outage): as
     * {@link #executionFailed(String, Instant)}, and the next attempt reuses this attempt's idempotency key
     * ({@link Failure#retryKey()}), so that a provider that did take the message does not deliver it twice.
     */
    public Either<TaskError, Task> executionFailedTransiently(String reason, Instant now) {
        return recordFailure(reason, null, now, true);
    }

    /** As {@link #executionFailedTransiently(String, Instant)}, and the scheduler retries the task as {@code retry} says. */
    public Either<TaskError, Task> executionFailedTransiently(String reason, Retry retry, Instant now) {
        return recordFailure(reason, Objects.requireNonNull(retry, "retry"), now, true);
    }

    private Either<TaskError, Task> recordFailure(String reason, Retry retry, Instant now, boolean keepKey) {
        return underWay().map(attempt -> {
            Change change = change(now);
            change.failureReason = Optional.of(reason == null || reason.isBlank() ? "unknown failure" : reason);
            change.failedAttempts = failure.attempts() + 1;
            change.retryAt = Optional.ofNullable(retry).map(r -> TaskRules.micros(r.at()));
            change.retryKey = keepKey ? Optional.of(attempt.idempotencyKey()) : Optional.empty();
            change.execution = Optional.empty();
            change.deferral = Optional.empty();
            return change.build();
        });
    }

    /** The engine records an outcome only for an execution it recorded: anything else is a bug, not a business rule. */
    private Either<TaskError, Execution> underWay() {
        return Either.right(execution.orElseThrow(() ->
                new IllegalStateException("task " + id + " has no execution under way to record an outcome for")));
    }

    /**
     * The task cannot be sent as it stands (no address, no account, a missing variable): marked failed with the reason,
     * with no retry planned, so that the scheduler leaves it until someone updates it or executes it by hand.
     */
    public Either<TaskError, Task> executionRefused(String reason, Instant now) {
        return executable().map(t -> {
            Change change = change(now);
            change.failureReason = Optional.of(reason == null || reason.isBlank() ? "cannot be executed" : reason);
            change.failedAttempts = failure.attempts() + 1;
            change.retryAt = Optional.empty();
            change.retryKey = Optional.empty();
            change.deferral = Optional.empty();
            return change.build();
        });
    }

    /**
     * The sending policy deferred this task's scheduled send until {@code deferral}'s time: the scheduler does not
     * claim it before then. An execution under way may be deferred too (a resend after a crash that the account's limits
     * do not allow yet): it is resent, under its key, once the deferral ends.
     */
    public Either<TaskError, Task> deferred(Deferral deferral, Instant now) {
        Objects.requireNonNull(deferral, "deferral");
        if (!type().executable()) {
            return Either.left(new TaskError.NotExecutable(id, type()));
        }
        if (!active()) {
            return Either.left(new TaskError.IllegalTransition(TaskAction.EXECUTE, status));
        }
        Change change = change(now);
        change.deferral = Optional.of(deferral);
        return Either.right(change.build());
    }

    /**
     * The same execution, taken over by a scheduler after its engine died, as a new version that records the takeover
     * (so that the resend's send is counted again, at its own time): the execution and its key unchanged, any deferral
     * ended.
     */
    public Task executionTakenOver(Instant now) {
        if (execution.isEmpty()) {
            throw new IllegalStateException("task " + id + " has no execution under way to take over");
        }
        Change change = change(now);
        change.deferral = Optional.empty();
        return change.build();
    }

    /**
     * When the scheduler may execute this task next: for a scheduled, active email or SMS task that is not being
     * executed and has not failed (or failed and has its retry planned), the latest of its start, its retry time and
     * the end of its deferral, snooze and pause; empty for every other task (never, unless it changes). Stores index it.
     */
    public Optional<Instant> nextExecutionAt() {
        if (!schedule().scheduled() || !type().executable() || !active() || execution.isPresent()) {
            return Optional.empty();
        }
        if (failure.failed() && failure.retryAt().isEmpty()) {
            return Optional.empty();
        }
        Instant next = schedule().startAt();
        Optional<Instant> hidden = hiddenUntil();
        if (hidden.isPresent() && hidden.get().isAfter(next)) {
            next = hidden.get();
        }
        if (failure.failed() && failure.retryAt().get().isAfter(next)) {
            next = failure.retryAt().get();
        }
        if (deferral.isPresent() && deferral.get().until().isAfter(next)) {
            next = deferral.get().until();
        }
        return Optional.of(next);
    }

    /**
     * Whether the scheduler should execute this task at {@code now}: a scheduled, active email or SMS task that has
     * started, is not being executed, and has not failed, or failed and its retry time has come, and whose deferral (if
     * any) has ended: {@link #nextExecutionAt()} has come.
     */
    public boolean dueForExecution(Instant now) {
        return nextExecutionAt().map(at -> !at.isAfter(now)).orElse(false);
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
        return allows(TaskAction.CANCEL)
                .map(t -> change(now).status(TaskStatus.CANCELLED).build());
    }

    /** The contact left the sequence: the task leaves with it. Sequence tasks only. */
    public Either<TaskError, Task> detach(Instant now) {
        return allows(TaskAction.DETACH).flatMap(t -> {
            if (origin.source() != CreationSource.SEQUENCE) {
                return Either.left(TaskError.InvalidInput.of(Violation.of(
                        "task.sequenceId.notSequenceTask",
                        "/sequenceId",
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
        return reopen(reason, now, null);
    }

    /** As {@link #reopen(ReopenReason, Instant)}, for a contact paused until {@code contactPausedUntil}: held until then. */
    public Either<TaskError, Task> reopen(ReopenReason reason, Instant now, Instant contactPausedUntil) {
        return allows(TaskAction.REOPEN).flatMap(t -> {
            if (reason == null) {
                return Either.left(TaskError.InvalidInput.of(Violation.of(
                        "task.reopenReason.required",
                        "/reopenReason",
                        "a reopen reason is required; accepted: " + WireEnums.accepted(ReopenReason.class))));
            }
            Change change = change(now);
            change.status = TaskStatus.NEW;
            change.finishedAt = Optional.empty();
            change.skippedAt = Optional.empty();
            change.callOutcome = CallOutcome.NONE;
            change.failureReason = Optional.empty();
            change.failedAttempts = 0;
            change.retryKey = Optional.empty();
            change.deferral = Optional.empty();
            change.reopening = Optional.of(new Reopening(change.at, reason));
            change.pausedUntil = pauseAfter(contactPausedUntil, change.at);
            return Either.right(change.build());
        });
    }

    /** The end of the road for a closed task; finish and skip times stay as they were. */
    public Either<TaskError, Task> archive(Instant now) {
        return allows(TaskAction.ARCHIVE)
                .map(t -> change(now).status(TaskStatus.ARCHIVED).build());
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
        private TaskStatus status;
        private TaskFields fields;
        private UserId assignedUserId;
        private Optional<Instant> finishedAt;
        private Optional<Instant> skippedAt;
        private Optional<Reopening> reopening;
        private CallOutcome callOutcome;
        private Optional<String> failureReason;
        private int failedAttempts;
        private Optional<Instant> retryAt;
        private Optional<String> retryKey;
        private Optional<Execution> execution;
        private Optional<Deferral> deferral;
        private Optional<Instant> snoozedUntil;
        private Optional<Instant> pausedUntil;

        private Change(Task from, Instant now) {
            this.from = from;
            Instant micros = TaskRules.micros(now);
            Instant updatedAt = from.times.updatedAt();
            this.at = micros.isBefore(updatedAt) ? updatedAt : micros;
            status = from.status;
            fields = from.fields;
            assignedUserId = from.assignedUserId;
            finishedAt = from.times.finishedAt();
            skippedAt = from.times.skippedAt();
            reopening = from.reopening;
            callOutcome = from.callOutcome;
            failureReason = from.failure.reason();
            failedAttempts = from.failure.attempts();
            retryAt = from.failure.retryAt();
            retryKey = from.failure.retryKey();
            execution = from.execution;
            deferral = from.deferral;
            snoozedUntil = from.snoozedUntil;
            pausedUntil = from.pausedUntil;
        }

        private Change status(TaskStatus value) {
            this.status = value;
            return this;
        }

        private void template(Template value) {
            fields = fields.withTemplate(value);
        }

        private Task build() {
            if (!status.active()) {
                // A closed task waits for no retry, whichever action closed it.
                retryAt = Optional.empty();
                retryKey = Optional.empty();
                deferral = Optional.empty();
                // Nothing waits for a closed task: no reminder, no snooze, no hold.
                snoozedUntil = Optional.empty();
                pausedUntil = Optional.empty();
                if (fields.remindAt().isPresent()) {
                    fields = fields.withRemindAt(null);
                }
            }
            return new Task(
                    from.id,
                    from.tenant,
                    from.version + 1,
                    status,
                    fields,
                    assignedUserId,
                    from.origin,
                    new Times(from.times.createdAt(), at, finishedAt, skippedAt),
                    reopening,
                    callOutcome,
                    new Failure(failureReason, failedAttempts, retryAt, retryKey),
                    execution,
                    deferral,
                    snoozedUntil,
                    pausedUntil,
                    from.trace);
        }
    }

    /**
     * Rebuilds a stored task from its flat values, as a store keeps them (a row, a map entry): absent values are null,
     * and {@link #build()} re-checks the structural invariants, throwing {@link IllegalArgumentException} for a corrupt
     * task. Not for new tasks: {@link Task#create} validates those.
     */
    public static final class Stored {
        private TaskId id;
        private TenantId tenant;
        private long version;
        private TaskStatus status;
        private TaskType type;
        private LinkedInTaskType linkedInTaskType;
        private ContactId contactId;
        private Priority priority;
        private Instant startAt;
        private Instant dueTo;
        private boolean scheduled;
        private Template template;
        private UserId assignedUserId;
        private CreationSource creationSource;
        private SequenceRef sequence;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant finishedAt;
        private Instant skippedAt;
        private Instant reopenedAt;
        private ReopenReason reopenReason;
        private Disposition disposition;
        private CallResolution callResolution;
        private boolean failed;
        private String failureReason;
        private int failedAttempts;
        private Instant retryAt;
        private String retryKey;
        private Execution execution;
        private Deferral deferral;
        private Instant remindAt;
        private Instant snoozedUntil;
        private Instant pausedUntil;
        private TraceContext trace = TraceContext.NONE;

        private Stored() {}

        public Stored id(TaskId value) {
            this.id = value;
            return this;
        }

        public Stored tenant(TenantId value) {
            this.tenant = value;
            return this;
        }

        public Stored version(long value) {
            this.version = value;
            return this;
        }

        public Stored status(TaskStatus value) {
            this.status = value;
            return this;
        }

        public Stored type(TaskType value) {
            this.type = value;
            return this;
        }

        public Stored linkedInTaskType(LinkedInTaskType value) {
            this.linkedInTaskType = value;
            return this;
        }

        public Stored contactId(ContactId value) {
            this.contactId = value;
            return this;
        }

        public Stored priority(Priority value) {
            this.priority = value;
            return this;
        }

        public Stored startAt(Instant value) {
            this.startAt = value;
            return this;
        }

        public Stored dueTo(Instant value) {
            this.dueTo = value;
            return this;
        }

        public Stored scheduled(boolean value) {
            this.scheduled = value;
            return this;
        }

        public Stored template(Template value) {
            this.template = value;
            return this;
        }

        public Stored assignedUserId(UserId value) {
            this.assignedUserId = value;
            return this;
        }

        public Stored creationSource(CreationSource value) {
            this.creationSource = value;
            return this;
        }

        public Stored sequence(SequenceRef value) {
            this.sequence = value;
            return this;
        }

        public Stored createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        public Stored updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        public Stored finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public Stored skippedAt(Instant value) {
            this.skippedAt = value;
            return this;
        }

        public Stored reopenedAt(Instant value) {
            this.reopenedAt = value;
            return this;
        }

        public Stored reopenReason(ReopenReason value) {
            this.reopenReason = value;
            return this;
        }

        public Stored disposition(Disposition value) {
            this.disposition = value;
            return this;
        }

        public Stored callResolution(CallResolution value) {
            this.callResolution = value;
            return this;
        }

        public Stored failed(boolean value) {
            this.failed = value;
            return this;
        }

        public Stored failureReason(String value) {
            this.failureReason = value;
            return this;
        }

        public Stored failedAttempts(int value) {
            this.failedAttempts = value;
            return this;
        }

        public Stored retryAt(Instant value) {
            this.retryAt = value;
            return this;
        }

        public Stored retryKey(String value) {
            this.retryKey = value;
            return this;
        }

        public Stored execution(Execution value) {
            this.execution = value;
            return this;
        }

        public Stored deferral(Deferral value) {
            this.deferral = value;
            return this;
        }

        public Stored remindAt(Instant value) {
            this.remindAt = value;
            return this;
        }

        public Stored snoozedUntil(Instant value) {
            this.snoozedUntil = value;
            return this;
        }

        public Stored pausedUntil(Instant value) {
            this.pausedUntil = value;
            return this;
        }

        /** The trace context kept with the task; {@link TraceContext#NONE} when not given. */
        public Stored trace(TraceContext value) {
            this.trace = Objects.requireNonNull(value, "trace");
            return this;
        }

        public Task build() {
            require((reopenedAt != null) == (reopenReason != null), "a reopened task carries its reason");
            require(
                    failed == (failureReason != null),
                    "a failed task carries its failure reason, and only a failed one");
            return new Task(
                    id,
                    tenant,
                    version,
                    status,
                    new TaskFields(
                            type,
                            Optional.ofNullable(linkedInTaskType),
                            Optional.ofNullable(contactId),
                            priority,
                            new Schedule(startAt, dueTo, scheduled),
                            template,
                            Optional.ofNullable(remindAt)),
                    assignedUserId,
                    new Origin(Objects.requireNonNull(creationSource, "creationSource"), Optional.ofNullable(sequence)),
                    new Times(createdAt, updatedAt, Optional.ofNullable(finishedAt), Optional.ofNullable(skippedAt)),
                    reopenedAt == null ? Optional.empty() : Optional.of(new Reopening(reopenedAt, reopenReason)),
                    new CallOutcome(Optional.ofNullable(disposition), Optional.ofNullable(callResolution)),
                    new Failure(
                            Optional.ofNullable(failureReason),
                            failedAttempts,
                            Optional.ofNullable(retryAt),
                            Optional.ofNullable(retryKey)),
                    Optional.ofNullable(execution),
                    Optional.ofNullable(deferral),
                    Optional.ofNullable(snoozedUntil),
                    Optional.ofNullable(pausedUntil),
                    trace);
        }
    }
}
