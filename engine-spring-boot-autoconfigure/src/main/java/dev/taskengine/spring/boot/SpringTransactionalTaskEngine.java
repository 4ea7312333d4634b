package dev.taskengine.spring.boot;

import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.Backlog;
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
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The engine of a Spring application: joins the Spring transaction open on the application's DataSource, and commits
 * itself otherwise.
 *
 * <p>Outside a transaction (and for the scheduler, the relay, the backlog and webhooks) every call goes to an engine on
 * a {@link JdbiTaskStore} over the raw DataSource, which commits each write itself. Inside a transaction that a
 * Spring transaction manager has open on that DataSource ({@code @Transactional}), the first call builds an engine
 * with the same settings on {@link JdbiTaskStore#inTransaction(Handle)}, over a handle whose connection is the
 * transaction's own; later calls in the transaction reuse it. Its writes and their outbox events commit or roll back
 * with the host's rows, and its store never commits. After a commit the pending events are relayed on the raw
 * DataSource (and any running scheduler relays them too); after a rollback there is nothing to relay.
 * {@link #execute} inside a transaction is refused, as on every engine whose store writes in a host's transaction.
 */
public final class SpringTransactionalTaskEngine implements TaskEngine {
    private static final System.Logger LOG = System.getLogger(SpringTransactionalTaskEngine.class.getName());

    private final TaskEngine own;
    private final DataSource dataSource;
    private final Jdbi springJdbi;
    private final Function<TaskStore, TaskEngine> engines;
    private final java.util.concurrent.atomic.AtomicBoolean relayWanted =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService relayer =
            java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "taskengine-relay-after-commit");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * @param own        the engine that commits itself, on {@code dataSource}
     * @param dataSource the raw DataSource (not a transaction-aware proxy), the key a transaction manager binds
     * @param engines    builds an engine with the settings of {@code own} on another store
     */
    public SpringTransactionalTaskEngine(
            TaskEngine own, DataSource dataSource, Function<TaskStore, TaskEngine> engines) {
        this.own = own;
        this.dataSource = dataSource;
        this.springJdbi = Jdbi.create(new SpringConnections(dataSource));
        this.engines = engines;
    }

    /** The engine that commits itself: the one outside transactions. */
    public TaskEngine ownEngine() {
        return own;
    }

    /** The engine for this thread now: the transaction's own when one is open on the DataSource. */
    TaskEngine current() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.getResource(dataSource) == null) {
            return own;
        }
        Object key = this;
        TaskEngine bound = (TaskEngine) TransactionSynchronizationManager.getResource(key);
        if (bound != null) {
            return bound;
        }
        Handle handle = springJdbi.open();
        TaskEngine engine;
        try {
            engine = engines.apply(JdbiTaskStore.inTransaction(handle));
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        TransactionSynchronizationManager.bindResource(key, engine);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void suspend() {
                TransactionSynchronizationManager.unbindResource(key);
            }

            @Override
            public void resume() {
                TransactionSynchronizationManager.bindResource(key, engine);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
                try {
                    handle.close();
                } finally {
                    if (status == STATUS_COMMITTED) {
                        relayAfterCommit();
                    }
                }
            }
        });
        return engine;
    }

    /**
     * Asks for a relay of the committed events: on one thread of this engine's, never the committing one (which still
     * holds the transaction's connection and would need a second one), and never on the finished transaction's
     * connection. Relays asked for while one waits to start are served by it, so a burst of commits makes one relay,
     * not one each.
     */
    private void relayAfterCommit() {
        if (!relayWanted.compareAndSet(false, true)) {
            return;
        }
        relayer.execute(() -> {
            relayWanted.set(false);
            try {
                own.relayPendingEvents();
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "relaying events after a commit failed; a running scheduler relays them later: "
                                + e.getMessage());
            }
        });
    }

    /** Ends the relaying thread (the context closing); events not relayed yet are relayed by a scheduler later. */
    public void close() {
        relayer.shutdown();
    }

    @Override
    public Either<TaskError, Task> create(Actor actor, NewTask task) {
        return current().create(actor, task);
    }

    @Override
    public Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent, boolean includeNotes) {
        return current().get(tenant, id, includeContent, includeNotes);
    }

    @Override
    public Either<TaskError, Task> update(TaskRef ref, TaskUpdate update) {
        return current().update(ref, update);
    }

    @Override
    public Either<TaskError, Reassignment> reassign(TaskRef ref, UserId assignee, ReassignScope scope) {
        return current().reassign(ref, assignee, scope);
    }

    @Override
    public Either<TaskError, List<Task>> reassignSequence(
            Actor actor, TenantId tenant, SequenceId sequence, UserId assignee) {
        return current().reassignSequence(actor, tenant, sequence, assignee);
    }

    @Override
    public Either<TaskError, Task> start(TaskRef ref) {
        return current().start(ref);
    }

    @Override
    public Either<TaskError, Task> complete(TaskRef ref, Completion completion) {
        return current().complete(ref, completion);
    }

    @Override
    public Either<TaskError, Task> skip(TaskRef ref) {
        return current().skip(ref);
    }

    @Override
    public Either<TaskError, Task> cancel(TaskRef ref) {
        return current().cancel(ref);
    }

    @Override
    public Either<TaskError, Task> detach(TaskRef ref) {
        return current().detach(ref);
    }

    @Override
    public Either<TaskError, Task> reopen(TaskRef ref, ReopenReason reason) {
        return current().reopen(ref, reason);
    }

    @Override
    public Either<TaskError, Task> archive(TaskRef ref) {
        return current().archive(ref);
    }

    @Override
    public Either<TaskError, Task> execute(TaskRef ref, ExecuteRequest request) {
        return current().execute(ref, request);
    }

    @Override
    public TaskScheduler scheduler(SchedulerOptions options) {
        return own.scheduler(options);
    }

    @Override
    public int relayPendingEvents() {
        return own.relayPendingEvents();
    }

    @Override
    public Backlog backlog() {
        return own.backlog();
    }

    @Override
    public Optional<Webhooks> webhooks() {
        return own.webhooks();
    }

    @Override
    public Either<TaskError, Task> delete(TaskRef ref) {
        return current().delete(ref);
    }

    @Override
    public Either<TaskError, TaskPage> query(TaskQuery query) {
        return current().query(query);
    }

    @Override
    public Either<TaskError, BatchResult> completeAll(
            Actor actor, TenantId tenant, List<TaskId> ids, Completion completion) {
        return current().completeAll(actor, tenant, ids, completion);
    }

    @Override
    public Either<TaskError, BatchResult> assignAll(Actor actor, TenantId tenant, List<TaskId> ids, UserId assignee) {
        return current().assignAll(actor, tenant, ids, assignee);
    }

    @Override
    public Either<TaskError, BatchResult> deleteAll(Actor actor, TenantId tenant, List<TaskId> ids) {
        return current().deleteAll(actor, tenant, ids);
    }

    @Override
    public Either<TaskError, Task> snooze(TaskRef ref, Instant until) {
        return current().snooze(ref, until);
    }

    @Override
    public Either<TaskError, Task> unsnooze(TaskRef ref) {
        return current().unsnooze(ref);
    }

    @Override
    public Either<TaskError, BatchResult> snoozeAll(Actor actor, TaskSelection tasks, Instant until) {
        return current().snoozeAll(actor, tasks, until);
    }

    @Override
    public Either<TaskError, BatchResult> unsnoozeAll(Actor actor, TaskSelection tasks) {
        return current().unsnoozeAll(actor, tasks);
    }

    @Override
    public Either<TaskError, BatchResult> rescheduleAll(Actor actor, TaskSelection tasks, Reschedule reschedule) {
        return current().rescheduleAll(actor, tasks, reschedule);
    }

    @Override
    public Either<TaskError, HandOverReport> handOver(HandOver handOver) {
        return current().handOver(handOver);
    }

    @Override
    public Either<TaskError, BatchResult> pauseContact(Actor actor, TenantId tenant, ContactId contact, Instant until) {
        return current().pauseContact(actor, tenant, contact, until);
    }

    @Override
    public Either<TaskError, BatchResult> resumeContact(Actor actor, TenantId tenant, ContactId contact) {
        return current().resumeContact(actor, tenant, contact);
    }

    @Override
    public Optional<Instant> contactPausedUntil(TenantId tenant, ContactId contact) {
        return current().contactPausedUntil(tenant, contact);
    }

    @Override
    public Either<TaskError, HistoryEntry> addNote(TaskRef ref, String text) {
        return current().addNote(ref, text);
    }

    @Override
    public Either<TaskError, HistoryPage> history(HistoryQuery query) {
        return current().history(query);
    }

    @Override
    public Either<TaskError, TaskPage> staleTasks(TenantId tenant, int limit) {
        return current().staleTasks(tenant, limit);
    }
}
