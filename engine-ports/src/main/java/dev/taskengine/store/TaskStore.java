package dev.taskengine.store;

import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingPolicy;
import dev.taskengine.domain.SendingUsage;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where tasks are kept. Every read and write is scoped by tenant: another tenant's task is absent. Writes carry the
 * version the caller read, and a store refuses a write whose expected version is not the stored one, exactly as a
 * database would with {@code UPDATE … WHERE id = ? AND version = ?}. Each write stores its history entry and its events
 * with it, atomically (the history kept, the events in an outbox to be published after commit). Implementations are
 * thread-safe.
 *
 * <p>Failures of the store itself (a database outage) are exceptions: {@link StoreUnavailableException}.
 */
public interface TaskStore {

    /** A fresh engine-wide id, never handed out before. */
    TaskId nextId();

    /** Stores a task that is not stored yet, as it is, with its history entry and its events. */
    void insert(Task task, HistoryEntry history, List<TaskEvent> events);

    Optional<Task> find(TenantId tenant, TaskId id);

    /** The stored tasks of {@code tenant} among {@code ids}, in no particular order; ids not stored are left out. */
    List<Task> findAll(TenantId tenant, Collection<TaskId> ids);

    /**
     * Replaces the stored task with {@code changed}, and stores {@code history} and {@code events}, if the stored version
     * is still {@code expectedVersion}. Ends any scheduler claim on the task.
     *
     * @return the stored task, or {@link TaskError.VersionConflict} / {@link TaskError.NotFound}, and then nothing is written
     */
    Either<TaskError, Task> update(Task changed, long expectedVersion, HistoryEntry history, List<TaskEvent> events);

    /**
     * Several {@link #update}s of different tasks at once: each write is kept or refused exactly as {@link #update} would
     * keep or refuse it on its own (a refused write refuses only itself and stores neither its history nor its events), and the answers
     * come in the order of {@code writes}, which name different tasks. When the call returns, every kept write is
     * committed, as with {@link #update}. A store that can runs them in one transaction, so that a batch costs one
     * commit, and when it throws ({@link StoreUnavailableException}) none of them is kept. A write
     * {@link TaskWrite#holding holding a lease} leaves its task claimed under it.
     *
     * <p>A write that {@link TaskWrite#counting counts a send} is kept only if {@link SendingPolicy#limitReached} finds
     * no limit reached for that send, given the sends of its account already counted (its own key's excluded); then
     * its send is counted, in the same transaction, under its key (once, however often the key is written: a rewrite
     * moves the send to its new time). Otherwise it is refused with {@link TaskError.SendingLimitReached}, nothing of
     * it written. Counting is serialized per account across every engine sharing the store, so that no limit is ever
     * exceeded, even by one; a store locks accounts in the order of their keys.
     */
    List<Either<TaskError, Task>> updateAll(List<TaskWrite> writes);

    /**
     * What {@code account} of {@code tenant} has sent as far as {@code limits} look at a send at {@code at}: the sends
     * counted ({@link TaskWrite#counting}) after {@code at} minus {@link SendingLimits#lookBack()}, the latest
     * {@link SendingLimits#sendsCounted()} of them. A read for planning: {@link #updateAll} checks the limits again when
     * it counts a send.
     */
    SendingUsage sendingUsage(TenantId tenant, SendingAccount account, SendingLimits limits, Instant at);

    /**
     * Removes the task if the stored version is still {@code expectedVersion}, keeping {@code history} (its history stays
     * until {@link #forgetHistory} removes it); answers the removed task.
     */
    Either<TaskError, Task> delete(
            TenantId tenant, TaskId id, long expectedVersion, HistoryEntry history, List<TaskEvent> events);

    /**
     * Assigns every active task of the sequence to {@code assignee} at once (all or none),
     * each as {@link Task#reassignedBySequence} would, keeping for each task its {@link HistoryEntry#changed history
     * entry} ({@link TaskEventType#REASSIGNED} by {@code actor}) and, when {@code withEvents}, the event that agrees with
     * it; answers the tasks as stored.
     */
    List<Task> reassignSequence(
            TenantId tenant, SequenceId sequence, UserId assignee, Actor actor, Instant now, boolean withEvents);

    /**
     * Keeps {@code note} (a {@link TaskEventType#NOTE_ADDED} entry) in the history of its task, and its events, if the
     * task is stored; the task itself is not changed. Answers the note, or {@link TaskError.NotFound}.
     */
    Either<TaskError, HistoryEntry> addNote(HistoryEntry note, List<TaskEvent> events);

    /** One page of history, newest first; see {@link HistoryRequest}. */
    StoredHistory history(HistoryRequest request);

    /**
     * Removes the history of tasks deleted before {@code deletedBefore} (their {@link TaskEventType#DELETED} entry is
     * older); answers how many entries went. The history of stored tasks is kept.
     */
    int forgetHistory(Instant deletedBefore);

    /** Until when {@code contact} of {@code tenant} is paused, if a pause was kept for it (it may have ended). */
    Optional<Instant> contactPause(TenantId tenant, ContactId contact);

    /**
     * The pauses kept for any of {@code contacts} of {@code tenant} (some may have ended), by contact; a contact without
     * one is absent. The scheduler reads the pauses of a whole claim with it, in one round trip. This default asks
     * {@link #contactPause} for each contact; a store with a cheaper way overrides it.
     */
    default Map<ContactId, Instant> contactPauses(TenantId tenant, Collection<ContactId> contacts) {
        Map<ContactId, Instant> pauses = new HashMap<>();
        for (ContactId contact : contacts) {
            contactPause(tenant, contact).ifPresent(until -> pauses.put(contact, until));
        }
        return pauses;
    }

    /** Keeps that {@code contact} is paused until {@code until} (replacing an earlier pause), or ends its pause (null). */
    void keepContactPause(TenantId tenant, ContactId contact, Instant until);

    /**
     * Active tasks whose reminder is due at {@code now} ({@link Task#reminderDue}: none being executed), across every
     * tenant, earliest
     * reminder first, at most {@code limit}. A read: the scheduler records each reminder with a versioned write, so that
     * of several engines exactly one emits it.
     */
    List<Task> dueReminders(Instant now, int limit);

    /**
     * The tasks {@link PageRequest#includes}, in {@link TaskQuery#sort()} order, at most {@link TaskQuery#limit()} of
     * them; the total (every task that matches, ignoring paging) only when {@link TaskQuery#includeTotal()} asks for it.
     */
    StoredPage query(PageRequest request);

    /** Claims tasks for a scheduler, across every tenant; see {@link DueTasks}. Several engines never claim one task at once. */
    List<Task> claimDue(DueTasks request);

    /**
     * Extends to {@code lease}'s end the claims that {@code lease}'s owner holds on {@code held} (named by tenant and id);
     * a task no longer claimed by that owner is left as it is. A live scheduler calls it for the executions it has under
     * way, so that another engine takes them over only once this one stopped renewing (it died).
     */
    void renewLeases(Lease lease, Collection<Task> held);

    /**
     * Whether every write is committed when the call returns. A store bound to a host's open transaction answers false:
     * the engine then leaves events in the outbox (published by a relay once the host committed) and refuses to execute,
     * since a message must never leave before its execution record is committed.
     */
    default boolean commitsEachWrite() {
        return true;
    }

    /**
     * What waits at {@code now}, across tenants: tasks due for execution ({@link Task#nextExecutionAt()} at or before
     * {@code now}) and the earliest such time, and events not yet marked published, each counted up to {@code limit}.
     */
    dev.taskengine.api.Backlog backlog(Instant now, int limit);

    /** Events stored but not yet marked published, oldest first. */
    List<TaskEvent> pendingEvents(int limit);

    /**
     * Marks events published (the events {@link #pendingEvents} answered): the store finds each by its whole key, its
     * tenant and id, in one call for all of them (on PostgreSQL the outbox's unique (tenant, id), which the planner
     * probes even before it has statistics for the table; by id alone it scanned a young outbox whole, once per batch).
     * Events no longer pending are ignored.
     */
    void markPublished(List<TaskEvent> events);
}
