package dev.taskengine.api;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one entry point for hosts: every action of the task lifecycle, reads, queries and batch calls.
 *
 * <p>Every method answers a vavr {@link Either}: the right side is the outcome, the left side a {@link TaskError} (invalid
 * input with every violation, not found, version conflict, illegal transition, …); when a call is refused nothing was
 * stored. Exceptions mean a bug or broken infrastructure (for example {@link StoreUnavailableException}).
 * Every call is scoped by tenant: another tenant's task is not found. Every change names its {@link Actor} (in its
 * {@link TaskRef}, or as the first parameter of a call over many tasks), and is recorded in the task's history in the
 * same transaction. Thread-safe. Build one with {@link #builder()}.
 */
public interface TaskEngine {

    static TaskEngineBuilder builder() {
        return new TaskEngineBuilder();
    }

    /**
     * Validates and stores a new task (status new, version 1), created by {@code actor}. A task for a paused contact
     * starts held until the pause ends.
     */
    Either<TaskError, Task> create(Actor actor, NewTask task);

    /** The task with its delivery info; its rendered content too when {@code includeContent}. */
    default Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent) {
        return get(tenant, id, includeContent, false);
    }

    /** The task with its delivery info; its rendered content when {@code includeContent}, its notes when {@code includeNotes}. */
    Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent, boolean includeNotes);

    /** Full replacement of an active task's editable fields; every rule is checked again. */
    Either<TaskError, Task> update(TaskRef ref, TaskUpdate update);

    /** Assigns the task, or every active task of its sequence at once ({@link ReassignScope#SEQUENCE}), to a user. */
    Either<TaskError, Reassignment> reassign(TaskRef ref, UserId assignee, ReassignScope scope);

    /** Assigns every active task of a sequence to a user at once; answers the tasks that changed. */
    Either<TaskError, List<Task>> reassignSequence(Actor actor, TenantId tenant, SequenceId sequence, UserId assignee);

    Either<TaskError, Task> start(TaskRef ref);

    Either<TaskError, Task> complete(TaskRef ref, Completion completion);

    Either<TaskError, Task> skip(TaskRef ref);

    Either<TaskError, Task> cancel(TaskRef ref);

    /** Takes a sequence task out of its sequence (for example when the contact left it). */
    Either<TaskError, Task> detach(TaskRef ref);

    Either<TaskError, Task> reopen(TaskRef ref, ReopenReason reason);

    Either<TaskError, Task> archive(TaskRef ref);

    /**
     * Sends an active email or SMS task and finishes it (Reply's execute): the template rendered for the contact, from
     * the assignee's default email account (sequence tasks send from the sequence's account). The execution is recorded
     * before the sender is called, and the sender gets an idempotency key stable for this execution. On success the task
     * is finished and its template becomes the content sent; on failure it stays active, marked failed with the reason,
     * and the answer is {@link TaskError.DeliveryFailed}. Other task types are {@link TaskError.NotExecutable}: complete
     * them instead. On an engine whose store writes inside a host's open transaction the answer is
     * {@link TaskError.ExecutionInsideTransaction}, and nothing is written or sent.
     */
    default Either<TaskError, Task> execute(TaskRef ref) {
        return execute(ref, ExecuteRequest.rendered());
    }

    /** As {@link #execute(TaskRef)}, with given content or a chosen email account (user email tasks only). */
    Either<TaskError, Task> execute(TaskRef ref, ExecuteRequest request);

    /** A scheduler that executes scheduled tasks of this engine at their start time; the host starts and stops it. */
    TaskScheduler scheduler(SchedulerOptions options);

    /**
     * Publishes events that were stored but not yet published (after a publisher failure or a crash); answers how many.
     * A running {@link TaskScheduler} does this at every poll.
     */
    int relayPendingEvents();

    /** What waits now across tenants: due tasks, the oldest one's lag, and unpublished events (see {@link Backlog}). */
    Backlog backlog();

    /**
     * The tenants' webhook subscriptions and delivery logs; empty when the engine was built without webhooks
     * ({@link TaskEngineBuilder#webhooks}).
     */
    Optional<Webhooks> webhooks();

    /** Removes the task; answers it as it was. */
    Either<TaskError, Task> delete(TaskRef ref);

    /** One page of tasks; see {@link TaskQuery}. */
    Either<TaskError, TaskPage> query(TaskQuery query);

    /** Completes 1 to 100 tasks, each on its own (not atomic); failures are reported per id. */
    Either<TaskError, BatchResult> completeAll(Actor actor, TenantId tenant, List<TaskId> ids, Completion completion);

    /** Assigns 1 to 100 tasks to a user, each on its own (not atomic); failures are reported per id. */
    Either<TaskError, BatchResult> assignAll(Actor actor, TenantId tenant, List<TaskId> ids, UserId assignee);

    /** Deletes 1 to 100 tasks, each on its own (not atomic); failures are reported per id. */
    Either<TaskError, BatchResult> deleteAll(Actor actor, TenantId tenant, List<TaskId> ids);

    // --- the rep's working day

    /**
     * Snoozes an active task until {@code until} (after now): it is hidden from "my tasks now" ({@link
     * TaskQuery.Builder#hidden hidden(false)}) and not executed before then, and comes back by itself then.
     */
    Either<TaskError, Task> snooze(TaskRef ref, Instant until);

    /** Ends a snooze early. */
    Either<TaskError, Task> unsnooze(TaskRef ref);

    /** Snoozes the selected tasks (1 to 1000), each on its own; failures are reported per id. */
    Either<TaskError, BatchResult> snoozeAll(Actor actor, TaskSelection tasks, Instant until);

    /** Ends the snooze of the selected tasks (1 to 1000), each on its own; failures are reported per id. */
    Either<TaskError, BatchResult> unsnoozeAll(Actor actor, TaskSelection tasks);

    /**
     * Moves start and due times of the selected tasks (1 to 1000) as {@code reschedule} says, each on its own and under
     * every rule of a task's times (a task the move would put before 2015, or due before its start, is refused alone).
     */
    Either<TaskError, BatchResult> rescheduleAll(Actor actor, TaskSelection tasks, Reschedule reschedule);

    /**
     * Moves every active task of one user to another, or round-robin over several, in batches committed as they go;
     * one {@link dev.taskengine.domain.TaskEventType#REASSIGNED} event per moved task. Run it again to resume after a
     * crash or to retry the tasks it could not move: no task moves twice.
     */
    Either<TaskError, HandOverReport> handOver(HandOver handOver);

    /**
     * Pauses a contact until {@code until} (out of office, "do not contact before"): every active task of the contact
     * is held until then, its scheduled sends included, and a task created for the contact meanwhile starts held.
     * Answers the tasks held, and those that could not be (an execution under way).
     */
    Either<TaskError, BatchResult> pauseContact(Actor actor, TenantId tenant, ContactId contact, Instant until);

    /** Ends a contact's pause early: its held tasks come back now. */
    Either<TaskError, BatchResult> resumeContact(Actor actor, TenantId tenant, ContactId contact);

    /** Until when a contact is paused; empty when it is not (or its pause ended). */
    Optional<Instant> contactPausedUntil(TenantId tenant, ContactId contact);

    /**
     * Adds a note to a task, in any state (1 to {@link dev.taskengine.domain.Limits#NOTE_MAX_CHARS} characters), by
     * {@code ref}'s actor; notes are kept in the history and cannot be changed. The task itself does not change.
     */
    Either<TaskError, HistoryEntry> addNote(TaskRef ref, String text);

    /** One page of history, newest first: a task's, or a tenant's by actor and time window; see {@link HistoryQuery}. */
    Either<TaskError, HistoryPage> history(HistoryQuery query);

    /**
     * The tasks the tenant's stale rules would take now (see {@link StaleRules}), most overdue first, at most
     * {@code limit} (1 to 1000): what a scheduler's next pass will skip or archive.
     */
    Either<TaskError, TaskPage> staleTasks(TenantId tenant, int limit);
}
