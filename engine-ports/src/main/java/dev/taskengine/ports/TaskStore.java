package dev.taskengine.ports;

import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks are kept. Every read and write is scoped by tenant: another tenant's task is absent. Writes carry the
 * version the caller read, and a store refuses a write whose expected version is not the stored one, exactly as a
 * database would with {@code UPDATE … WHERE id = ? AND version = ?}. Implementations are thread-safe.
 *
 * <p>Failures of the store itself (a database outage) are exceptions: {@link StoreUnavailableException}.
 */
public interface TaskStore {

    /** A fresh engine-wide id, never handed out before. */
    TaskId nextId();

    /** Stores a task that is not stored yet, as it is (a created task is at version 1; an imported one may be further). */
    void insert(Task task);

    Optional<Task> find(TenantId tenant, TaskId id);

    /**
     * Replaces the stored task with {@code changed} if the stored version is still {@code expectedVersion}.
     *
     * @return the stored task, or {@link TaskError.VersionConflict} / {@link TaskError.NotFound}
     */
    Either<TaskError, Task> update(Task changed, long expectedVersion);

    /** Removes the task if the stored version is still {@code expectedVersion}; answers the removed task. */
    Either<TaskError, Task> delete(TenantId tenant, TaskId id, long expectedVersion);

    /**
     * Assigns every active task of the sequence to {@code assignee} at once (all or none), each as
     * {@link Task#reassignedBySequence} would, and answers the tasks as stored.
     */
    List<Task> reassignSequence(TenantId tenant, SequenceId sequence, UserId assignee, Instant now);

    /**
     * The tasks that {@link TaskQuery#matches} at {@code now}, in {@link TaskQuery#sort()} order, strictly after
     * {@code after}, at most {@link TaskQuery#limit()} of them; the total (ignoring paging) only when asked for.
     */
    StoredPage query(TaskQuery query, Optional<Keyset> after, Instant now);
}
