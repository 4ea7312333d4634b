package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.ports.DueTasks;
import dev.taskengine.ports.Keyset;
import dev.taskengine.ports.StoreUnavailableException;
import dev.taskengine.ports.StoredPage;
import dev.taskengine.ports.TaskEvent;
import dev.taskengine.ports.TaskEventType;
import dev.taskengine.ports.TaskQuery;
import dev.taskengine.ports.TaskStore;
import dev.taskengine.ports.TaskWrite;
import io.vavr.control.Either;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The task store on a relational database through Jdbi: H2 (the embedded default) or PostgreSQL (production, and
 * several engine instances sharing one database). The schema is {@link TaskSchema}'s; apply it first.
 *
 * <h2>Two ways to run</h2>
 * <ul>
 *   <li>{@link #JdbiTaskStore(Jdbi)} or {@link #JdbiTaskStore(DataSource)}: every call takes a connection from the
 *       host's data source, runs in its own short transaction and gives the connection back. The store builds no pool:
 *       hand it a pooled data source (HikariCP or the like) in production. Thread-safe.</li>
 *   <li>{@link #inTransaction(Handle)}: every call runs on the host's handle, inside whatever transaction the host has
 *       open on it, so that tasks are written atomically with the host's own rows (and, with an event publisher that
 *       writes to the same handle, with their events). The store never begins, commits, rolls back or closes that
 *       handle. As thread-safe as the handle is, that is: use it on the handle's thread.</li>
 * </ul>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Optimistic concurrency: an update or delete runs {@code … WHERE tenant = ? AND id = ? AND version = ?}; when no
 *       row matched, the stored version is read to answer {@link TaskError.VersionConflict} (with the actual version)
 *       or {@link TaskError.NotFound}.</li>
 *   <li>A sequence-wide reassign is one UPDATE statement; it answers the changed rows as stored, in id order.</li>
 *   <li>Queries filter, sort and page (keyset) in SQL, fetching one row more than the page to tell whether more follow;
 *       the total is counted only when asked for, in the same snapshot as the page.</li>
 *   <li>Failures: see {@link StoreFailures}. In short, an outage is a {@link StoreUnavailableException}, never an
 *       empty answer. A statement the database gave up on because of a concurrent transaction (deadlock, serialization
 *       failure) is retried, up to {@value #ATTEMPTS} attempts, when the store runs its own transactions.</li>
 * </ul>
 */
public final class JdbiTaskStore implements TaskStore {
    private static final int ATTEMPTS = 3;

    /** Set when the store runs its own transactions. */
    private final Jdbi jdbi;

    /** Set when the store runs on a host's handle. */
    private final Handle handle;

    private volatile Dialect dialect;

    /** A store that takes a handle from {@code jdbi} for each call. */
    public JdbiTaskStore(Jdbi jdbi) {
        this(Objects.requireNonNull(jdbi, "jdbi"), null);
    }

    /** A store on the host's data source (pooled, in production); the store builds no pool of its own. */
    public JdbiTaskStore(DataSource dataSource) {
        this(Jdbi.create(Objects.requireNonNull(dataSource, "dataSource")));
    }

    private JdbiTaskStore(Jdbi jdbi, Handle handle) {
        this.jdbi = jdbi;
        this.handle = handle;
    }

    /**
     * A store that runs every call on {@code handle}, within the transaction the host has open on it:
     *
     * <pre>{@code
     * jdbi.useTransaction(handle -> {
     *     handle.execute("INSERT INTO deal (id, name) VALUES (?, ?)", 7, "ACME renewal");
     *     TaskEngine engine = TaskEngine.builder().store(JdbiTaskStore.inTransaction(handle)).build();
     *     engine.create(followUp);   // committed or rolled back with the deal
     * });
     * }</pre>
     *
     * The store does not begin, commit, roll back or close the handle. A failure inside the host's transaction is
     * reported as usual; on PostgreSQL it also aborts that transaction, which the host then rolls back.
     */
    public static JdbiTaskStore inTransaction(Handle handle) {
        return new JdbiTaskStore(null, Objects.requireNonNull(handle, "handle"));
    }

    @Override
    public TaskId nextId() {
        return run("nextId", h -> TaskId.of(h.createQuery(dialect(h).nextIdSql()).map((rs, ctx) -> rs.getLong(1)).one()));
    }

    @Override
    public void insert(Task task, List<TaskEvent> events) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(events, "events");
        write("insert task " + task.id(), events, h -> {
            TaskSql.bind(h.createUpdate(TaskSql.INSERT), task).execute();
            insertEvents(h, events);
            return null;
        });
    }

    @Override
    public Optional<Task> find(TenantId tenant, TaskId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return run("find task " + id, h -> h.createQuery(TaskSql.FIND)
                .bind("tenant", tenant.value())
                .bind("id", id.value())
                .map(TaskRowMapper.INSTANCE)
                .findOne());
    }

    @Override
    public Either<TaskError, Task> update(Task changed, long expectedVersion, List<TaskEvent> events) {
        Objects.requireNonNull(changed, "changed");
        Objects.requireNonNull(events, "events");
        if (changed.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("a change moves the version by one: " + expectedVersion + " → " + changed.version());
        }
        return write("update task " + changed.id(), events, h -> {
            String sql = dialect(h).returningChanged(TaskSql.UPDATE);
            return withEvents(h, events, writeOrRefusal(h, changed.tenant(), changed.id(), expectedVersion,
                    () -> TaskSql.bind(h.createQuery(sql), changed)
                            .bind("expected", expectedVersion)
                            .map(TaskRowMapper.INSTANCE)
                            .findOne()));
        });
    }

    /**
     * Every write in one transaction, each exactly as {@link #update} writes it: one commit for the lot. A write that
     * matched no row is refused on its own, as {@link #update} refuses it, and the others are kept.
     */
    @Override
    public List<Either<TaskError, Task>> updateAll(List<TaskWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        if (writes.isEmpty()) {
            return List.of();
        }
        for (TaskWrite w : writes) {
            if (w.changed().version() != w.expectedVersion() + 1) {
                throw new IllegalArgumentException("a change moves the version by one: " + w.expectedVersion() + " → "
                        + w.changed().version());
            }
        }
        return transaction("update " + writes.size() + " tasks", h -> {
            String sql = dialect(h).returningChanged(TaskSql.UPDATE);
            List<Either<TaskError, Task>> outcomes = new java.util.ArrayList<>(writes.size());
            List<TaskEvent> kept = new java.util.ArrayList<>();
            for (TaskWrite w : writes) {
                Either<TaskError, Task> outcome = writeOrRefusal(h, w.changed().tenant(), w.changed().id(), w.expectedVersion(),
                        () -> TaskSql.bind(h.createQuery(sql), w.changed())
                                .bind("expected", w.expectedVersion())
                                .map(TaskRowMapper.INSTANCE)
                                .findOne());
                if (outcome.isRight()) {
                    kept.addAll(w.events());
                }
                outcomes.add(outcome);
            }
            insertEvents(h, kept);
            return outcomes;
        });
    }

    @Override
    public Either<TaskError, Task> delete(TenantId tenant, TaskId id, long expectedVersion, List<TaskEvent> events) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(events, "events");
        return write("delete task " + id, events, h -> {
            String sql = dialect(h).returningDeleted(TaskSql.DELETE);
            return withEvents(h, events, writeOrRefusal(h, tenant, id, expectedVersion, () -> h.createQuery(sql)
                    .bind("tenant", tenant.value())
                    .bind("id", id.value())
                    .bind("expected", expectedVersion)
                    .map(TaskRowMapper.INSTANCE)
                    .findOne()));
        });
    }

    @Override
    public List<Task> reassignSequence(TenantId tenant, SequenceId sequence, UserId assignee, Instant now, boolean withEvents) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(assignee, "assignee");
        Objects.requireNonNull(now, "now");
        Work<List<Task>> reassign = h -> {
            Dialect d = dialect(h);
            List<Task> reassigned = h.createQuery(d.returningChanged(TaskSql.reassignSequence(d)))
                    .bind("tenant", tenant.value())
                    .bind("sequence", sequence.value())
                    .bind("assignee", assignee.value())
                    .bind("now", SqlTimes.stored(now))
                    .map(TaskRowMapper.INSTANCE)
                    .list();
            if (withEvents) {
                insertEvents(h, reassigned.stream().map(task -> TaskEvent.of(TaskEventType.REASSIGNED, task, now)).toList());
            }
            return reassigned;
        };
        return withEvents
                ? transaction("reassign sequence " + sequence, reassign)
                : run("reassign sequence " + sequence, reassign);
    }

    @Override
    public List<Task> claimDue(DueTasks request) {
        Objects.requireNonNull(request, "request");
        return transaction("claim due tasks", h -> {
            Dialect d = dialect(h);
            List<Task> stale = claim(h, d.returningChanged(TaskSql.claimStale(d)), request, request.limit())
                    .bind("staleBefore", SqlTimes.bound(request.staleBefore()))
                    .map(TaskRowMapper.INSTANCE)
                    .list();
            if (stale.isEmpty() && handle == null) {
                // A claim of due tasks is a lease that nothing relies on for safety: whoever executes a claimed task
                // first records its execution with a versioned, durable write, and a task changed since (by another
                // engine that got it because this claim was lost) is a version conflict, never sent. So the claim need
                // not wait for its commit to reach the disk. Claims of stale executions stay durable: they guard a
                // resend, which writes nothing before it sends. (Never on a host's handle: that is the host's transaction.)
                d.asynchronousCommit().ifPresent(h::execute);
            }
            List<Task> claimed = new java.util.ArrayList<>(stale);
            claimed.sort(Comparator.comparing((Task t) -> t.execution().orElseThrow().startedAt()).thenComparing(Task::id));
            int left = request.limit() - stale.size();
            if (left > 0) {
                claim(h, d.returningChanged(TaskSql.claimDue(d)), request, left)
                        .bind("now", SqlTimes.stored(request.now()))
                        .map(TaskRowMapper.INSTANCE)
                        .list()
                        .stream()
                        .sorted(Comparator.comparing(Task::startAt).thenComparing(Task::id))
                        .forEach(claimed::add);
            }
            return claimed;
        });
    }

    private static org.jdbi.v3.core.statement.Query claim(Handle h, String sql, DueTasks request, int limit) {
        return h.createQuery(sql)
                .bind("nowBound", SqlTimes.bound(request.now()))
                .bind("limit", limit)
                .bind("owner", request.owner())
                .bind("leaseUntil", SqlTimes.stored(request.leaseUntil()));
    }

    /** A store bound to a host's handle leaves committing to the host. */
    @Override
    public boolean commitsEachWrite() {
        return handle == null;
    }

    @Override
    public List<TaskEvent> pendingEvents(int limit) {
        return run("read pending events", h -> h.createQuery(TaskSql.PENDING_EVENTS)
                .bind("limit", limit)
                .map(EventRowMapper.INSTANCE)
                .list());
    }

    @Override
    public void markPublished(Collection<UUID> eventIds) {
        Objects.requireNonNull(eventIds, "eventIds");
        if (eventIds.isEmpty()) {
            return;
        }
        run("mark events published", h -> h.createUpdate(TaskSql.DELETE_EVENTS).bindList("ids", List.copyOf(eventIds)).execute());
    }

    /** Stores events in the outbox, on the handle of the write they belong to. */
    private static void insertEvents(Handle h, List<TaskEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch(TaskSql.INSERT_EVENT);
        for (TaskEvent event : events) {
            batch.bind("id", event.id())
                    .bind("event_type", event.type().name())
                    .bind("tenant", event.tenant().value())
                    .bind("task_id", event.taskId().value())
                    .bind("version", event.version())
                    .bind("occurred_at", SqlTimes.stored(event.occurredAt()))
                    .add();
        }
        batch.execute();
    }

    /** Stores the events of a write that was kept; a refused write stores none. */
    private static Either<TaskError, Task> withEvents(Handle h, List<TaskEvent> events, Either<TaskError, Task> outcome) {
        if (outcome.isRight()) {
            insertEvents(h, events);
        }
        return outcome;
    }

    @Override
    public StoredPage query(TaskQuery query, Optional<Keyset> after, Instant now) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(now, "now");
        QuerySql.Statement page = QuerySql.page(query, after, now);
        if (!query.includeTotal()) {
            return run("query tasks", h -> page(query, fetch(h, page), OptionalLong.empty()));
        }
        QuerySql.Statement count = QuerySql.count(query, now);
        Work<StoredPage> pageAndTotal = h -> {
            List<Task> tasks = fetch(h, page);
            long total = count.bind(h.createQuery(count.sql())).mapTo(Long.class).one();
            return page(query, tasks, OptionalLong.of(total));
        };
        if (handle != null) {
            return run("query tasks", pageAndTotal);
        }
        // Page and total from one snapshot, so that the total counts the tasks the page was cut from.
        return run("query tasks", h -> h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, pageAndTotal::apply));
    }

    private static List<Task> fetch(Handle h, QuerySql.Statement page) {
        return page.bind(h.createQuery(page.sql())).map(TaskRowMapper.INSTANCE).list();
    }

    private static StoredPage page(TaskQuery query, List<Task> fetched, OptionalLong total) {
        boolean hasMore = fetched.size() > query.limit();
        return new StoredPage(hasMore ? fetched.subList(0, query.limit()) : fetched, hasMore, total);
    }

    /**
     * Runs a versioned write; when it matched no row, reads the stored version to tell a conflict from an absent task.
     * Versions only grow, so a stored version equal to the expected one means the row was removed and stored again
     * between the two statements: the write is then simply tried again.
     */
    private static Either<TaskError, Task> writeOrRefusal(
            Handle h, TenantId tenant, TaskId id, long expectedVersion, Supplier<Optional<Task>> write) {
        for (int attempt = 1; ; attempt++) {
            Optional<Task> written = write.get();
            if (written.isPresent()) {
                return Either.right(written.get());
            }
            Optional<Long> actual = h.createQuery(TaskSql.FIND_VERSION)
                    .bind("tenant", tenant.value())
                    .bind("id", id.value())
                    .mapTo(Long.class)
                    .findOne();
            if (actual.isEmpty()) {
                return Either.left(new TaskError.NotFound(id));
            }
            if (actual.get() != expectedVersion || attempt == ATTEMPTS) {
                return Either.left(new TaskError.VersionConflict(id, expectedVersion, actual.get()));
            }
        }
    }

    private Dialect dialect(Handle h) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(h.getConnection().getMetaData());
            dialect = known;
        }
        return known;
    }

    /** Work on a handle; JDBC calls on the raw connection may throw {@link SQLException}. */
    @FunctionalInterface
    private interface Work<T> {
        T apply(Handle handle) throws SQLException;
    }

    /** A write with events runs in one transaction, so that the task and its events are stored together or not at all. */
    private <T> T write(String operation, List<TaskEvent> events, Work<T> work) {
        return events.isEmpty() ? run(operation, work) : transaction(operation, work);
    }

    private <T> T transaction(String operation, Work<T> work) {
        if (handle != null) {
            return run(operation, work);
        }
        return run(operation, h -> h.inTransaction(work::apply));
    }

    private <T> T run(String operation, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return handle != null ? work.apply(handle) : jdbi.withHandle(work::apply);
            } catch (JdbiException | SQLException e) {
                // Inside a host's transaction a retry is the host's to make: the transaction may be aborted already.
                if (handle == null && attempt < ATTEMPTS && StoreFailures.isTransient(e)) {
                    continue;
                }
                throw StoreFailures.translate(operation, e);
            }
        }
    }
}
