package dev.taskengine.api;

import dev.taskengine.domain.Completion;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import io.vavr.control.Either;
import java.util.List;

/**
 * The one entry point for hosts: every action of the task lifecycle, reads, queries and batch calls.
 *
 * <p>Every method answers a vavr {@link Either}: the right side is the outcome, the left side a {@link TaskError} (invalid
 * input with every violation, not found, version conflict, illegal transition, …); when a call is refused nothing was
 * stored. Exceptions mean a bug or broken infrastructure (for example {@link StoreUnavailableException}).
 * Every call is scoped by tenant: another tenant's task is not found. Thread-safe. Build one with {@link #builder()}.
 */
public interface TaskEngine {

    static TaskEngineBuilder builder() {
        return new TaskEngineBuilder();
    }

    /** Validates and stores a new task (status new, version 1). */
    Either<TaskError, Task> create(NewTask task);

    /** The task with its delivery info; its rendered content too when {@code includeContent}. */
    Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent);

    /** Full replacement of an active task's editable fields; every rule is checked again. */
    Either<TaskError, Task> update(TaskRef ref, TaskUpdate update);

    /** Assigns the task, or every active task of its sequence at once ({@link ReassignScope#SEQUENCE}), to a user. */
    Either<TaskError, Reassignment> reassign(TaskRef ref, UserId assignee, ReassignScope scope);

    /** Assigns every active task of a sequence to a user at once; answers the tasks that changed. */
    Either<TaskError, List<Task>> reassignSequence(TenantId tenant, SequenceId sequence, UserId assignee);

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

    /** Removes the task; answers it as it was. */
    Either<TaskError, Task> delete(TaskRef ref);

    /** One page of tasks; see {@link TaskQuery}. */
    Either<TaskError, TaskPage> query(TaskQuery query);

    /** Completes 1 to 100 tasks, each on its own (not atomic); failures are reported per id. */
    Either<TaskError, BatchResult> completeAll(TenantId tenant, List<TaskId> ids, Completion completion);

    /** Assigns 1 to 100 tasks to a user, each on its own (not atomic); failures are reported per id. */
    Either<TaskError, BatchResult> assignAll(TenantId tenant, List<TaskId> ids, UserId assignee);

    /** Deletes 1 to 100 tasks, each on its own (not atomic); failures are reported per id. */
    Either<TaskError, BatchResult> deleteAll(TenantId tenant, List<TaskId> ids);
}
