package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.LimitReached;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingCounts;
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
import dev.taskengine.store.CountedSend;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Lease;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.StoredHistory;
import dev.taskengine.store.StoredPage;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
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
 *   <li>Each write keeps its history entry ({@code te_history}) and its events (the outbox, {@code te_task_event}) in
 *       its own transaction; a refused write keeps neither.</li>
 *   <li>A sequence-wide reassign locks the sequence's active rows in id order, then changes them with one UPDATE; it
 *       answers the changed rows as stored, in id order.</li>
 *   <li>Queries filter, sort and page (keyset) in SQL, fetching one row more than the page to tell whether more follow;
 *       the total is counted only when asked for, in the same snapshot as the page.</li>
 *   <li>Failures: see {@link StoreFailures}. In short, an outage is a {@link StoreUnavailableException}, never an
 *       empty answer. A statement the database gave up on because of a concurrent transaction (deadlock, serialization
 *       failure) is retried, up to {@value #ATTEMPTS} attempts, when the store runs its own transactions.</li>
 * </ul>
 */
public final class JdbiTaskStore implements TaskStore {
    private static final int ATTEMPTS = 3;

    /** How the store gets its connections and transactions: chosen once, by the constructor or factory used. */
    private final Connections connections;

    private volatile Dialect dialect;
    /** Per account, up to when this store last deleted its old sends; see {@link #FORGET_EVERY}. */
    private final Map<AccountKey, Instant> lastForgotten = new ConcurrentHashMap<>();

    /** Ids drawn from the sequence and not handed out yet, ascending; guarded by itself. */
    private final java.util.ArrayDeque<Long> ids = new java.util.ArrayDeque<>();
    /** How many ids the next draw takes; guarded by {@link #ids}. */
    private int idBlock = Dialect.FIRST_ID_BLOCK;

    /** A store that takes a handle from {@code jdbi} for each call. */
    public JdbiTaskStore(Jdbi jdbi) {
        this(new OwnJdbi(Objects.requireNonNull(jdbi, "jdbi")));
    }

    /** A store on the host's data source (pooled, in production); the store builds no pool of its own. */
    public JdbiTaskStore(DataSource dataSource) {
        this(new OwnDataSource(new OwnJdbi(Jdbi.create(Objects.requireNonNull(dataSource, "dataSource"))), dataSource));
    }

    private JdbiTaskStore(Connections connections) {
        this.connections = connections;
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
        return new JdbiTaskStore(new HostHandle(Objects.requireNonNull(handle, "handle")));
    }

    /**
     * Ids come from {@code te_task_id_seq} in blocks, one round trip each, handed out in order. The first block holds
     * {@value Dialect#FIRST_ID_BLOCK} values and each next one twice as many, up to {@value Dialect#LARGEST_ID_BLOCK}:
     * a store made for one host transaction draws few, and a busy one seldom stops its creates for a draw (the draw
     * waits for a pooled connection while every other create of the store waits for it; at 50 a draw, 32 HTTP
     * connections creating on a pool of 16 waited 10 ms or more 7,104 times in 150 s). Every value is drawn from the
     * sequence, so ids stay unique across stores, engines and restarts; a store that stops leaves the rest of its block
     * unused.
     */
    @Override
    public TaskId nextId() {
        synchronized (ids) {
            if (ids.isEmpty()) {
                int block = idBlock;
                List<Long> drawn = new ArrayList<>(run(
                        "nextId",
                        h -> h.createQuery(dialect(h).nextIdsSql())
                                .bind(0, block)
                                .mapTo(Long.class)
                                .list()));
                drawn.sort(null);
                ids.addAll(drawn);
                idBlock = Math.min(2 * block, Dialect.LARGEST_ID_BLOCK);
            }
            return TaskId.of(ids.removeFirst());
        }
    }

    @Override
    public void insert(Task task, HistoryEntry history, List<TaskEvent> events) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(events, "events");
        onConnection("insert task " + task.id(), true, c -> {
            try (PreparedStatement insert = c.prepareStatement(TaskSql.INSERT)) {
                TaskSql.bindInsert(insert, task);
                insert.executeUpdate();
            }
            insertHistory(c, List.of(history));
            insertEvents(c, events);
            return null;
        });
    }

    @Override
    public Optional<Task> find(TenantId tenant, TaskId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return onConnection("find task " + id, false, c -> find(c, tenant, id));
    }

    @Override
    public List<Task> findAll(TenantId tenant, Collection<TaskId> ids) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return List.of();
        }
        return onConnection("find " + ids.size() + " tasks", false, c -> {
            try (PreparedStatement find = c.prepareStatement(TaskSql.FIND_ALL)) {
                find.setString(1, tenant.value());
                find.setArray(
                        2,
                        c.createArrayOf(
                                "BIGINT",
                                ids.stream().map(TaskId::value).distinct().toArray()));
                List<Task> found = new ArrayList<>();
                try (ResultSet rows = find.executeQuery()) {
                    while (rows.next()) {
                        found.add(TaskRowMapper.read(rows));
                    }
                }
                return found;
            }
        });
    }

    private static Optional<Task> find(Connection c, TenantId tenant, TaskId id) throws SQLException {
        try (PreparedStatement find = c.prepareStatement(TaskSql.FIND)) {
            find.setString(1, tenant.value());
            find.setLong(2, id.value());
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(TaskRowMapper.read(row)) : Optional.empty();
            }
        }
    }

    @Override
    public Either<TaskError, Task> update(
            Task changed, long expectedVersion, HistoryEntry history, List<TaskEvent> events) {
        Objects.requireNonNull(changed, "changed");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(events, "events");
        checkVersionStep(changed, expectedVersion);
        return onConnection(
                "update task " + changed.id(),
                true,
                c -> keptWith(c, history, events, updateOne(c, changed, expectedVersion, Optional.empty())));
    }

    /**
     * Every write in one transaction and one JDBC batch, each exactly as {@link #update} writes it: one commit for the
     * lot. A write that matched no row is refused on its own, as {@link #update} refuses it, and the others are kept.
     *
     * <p>Writes that count a send first lock their accounts' rows in {@code te_sending_account}, in key order (so that
     * two engines never wait for each other in a cycle), and each is judged on the account's sends as counted (read
     * under that lock) and those accepted before it in this batch; a write over a limit is refused and not written.
     * The sends of the kept writes are then counted, in the same transaction.
     */
    @Override
    public List<Either<TaskError, Task>> updateAll(List<TaskWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        if (writes.isEmpty()) {
            return List.of();
        }
        writes.forEach(w -> checkVersionStep(w.changed(), w.expectedVersion()));
        boolean countsSends = writes.stream().anyMatch(w -> w.send().isPresent());
        return onConnection("update " + writes.size() + " tasks", true, c -> {
            if (countsSends && connections.ownsTransactions()) {
                // Counting is exact because each statement after the account's lock sees the sends committed before
                // it; a snapshot taken at the transaction's first statement (a pool set to repeatable read) would not.
                Optional<String> readCommitted = dialect(c).readCommittedTransaction();
                if (readCommitted.isPresent()) {
                    try (Statement statement = c.createStatement()) {
                        statement.execute(readCommitted.get());
                    }
                }
            }
            List<Either<TaskError, Task>> refusals = judgeSends(c, writes);
            List<Integer> written = new ArrayList<>(writes.size());
            for (int i = 0; i < writes.size(); i++) {
                if (refusals.get(i) == null) {
                    written.add(i);
                }
            }
            // Rows are locked in id order, as renewLeases locks them: a batch of outcomes and a renewal of the same
            // leases then never wait for each other in a cycle (a deadlock, which PostgreSQL breaks after a second by
            // failing one of them).
            written.sort(Comparator.comparing(i -> writes.get(i).changed().id()));
            int[] counts;
            try (PreparedStatement update = c.prepareStatement(TaskSql.UPDATE)) {
                for (int i : written) {
                    TaskWrite w = writes.get(i);
                    TaskSql.bindUpdate(update, w.changed(), w.expectedVersion(), w.lease());
                    update.addBatch();
                }
                counts = written.isEmpty() ? new int[0] : update.executeBatch();
            }
            List<Either<TaskError, Task>> outcomes = new ArrayList<>(refusals);
            List<HistoryEntry> keptHistory = new ArrayList<>();
            List<TaskEvent> kept = new ArrayList<>();
            List<TaskWrite> counting = new ArrayList<>();
            for (int n = 0; n < written.size(); n++) {
                int i = written.get(n);
                TaskWrite w = writes.get(i);
                // H2 and PostgreSQL answer a batch's row counts exactly; a write that matched no row is told apart
                // alone.
                Either<TaskError, Task> outcome = counts[n] > 0
                        ? Either.right(asStored(c, w.changed()))
                        : updateOne(c, w.changed(), w.expectedVersion(), w.lease());
                if (outcome.isRight()) {
                    keptHistory.add(w.history());
                    kept.addAll(w.events());
                    if (w.send().isPresent()) {
                        counting.add(w);
                    }
                }
                outcomes.set(i, outcome);
            }
            countSends(c, counting);
            insertHistory(c, keptHistory);
            insertEvents(c, kept);
            return outcomes;
        });
    }

    /** A sending account of one tenant, in the order accounts are locked. */
    private record AccountKey(String tenant, String account) implements Comparable<AccountKey> {
        static AccountKey of(TaskWrite write) {
            return new AccountKey(
                    write.changed().tenant().value(),
                    write.send().orElseThrow().account().value());
        }

        @Override
        public int compareTo(AccountKey other) {
            int byTenant = tenant.compareTo(other.tenant);
            return byTenant != 0 ? byTenant : account.compareTo(other.account);
        }
    }

    /**
     * Locks the accounts of the writes that count a send and judges each send; answers, for each write, its refusal
     * ({@link TaskError.SendingLimitReached}) or null (to be written).
     */
    private List<Either<TaskError, Task>> judgeSends(Connection c, List<TaskWrite> writes) throws SQLException {
        List<Either<TaskError, Task>> refusals = new ArrayList<>(Collections.nCopies(writes.size(), null));
        SortedSet<AccountKey> accounts = new TreeSet<>();
        for (TaskWrite w : writes) {
            if (w.send().isPresent()) {
                accounts.add(AccountKey.of(w));
            }
        }
        if (accounts.isEmpty()) {
            return refusals;
        }
        Dialect d = dialect(c);
        try (PreparedStatement lock = c.prepareStatement(d.lockSendingAccount())) {
            for (AccountKey account : accounts) {
                lock.setString(1, account.tenant());
                lock.setString(2, account.account());
                lock.executeUpdate();
            }
        }
        // Each account's counted sends are read once for the batch, as far back and as many as its writes need, and
        // each write is judged on those (its own key's left out) and on the sends accepted before it in the batch.
        Map<AccountKey, List<CountedSend>> ofAccount = new HashMap<>();
        for (TaskWrite w : writes) {
            w.send()
                    .ifPresent(send -> ofAccount
                            .computeIfAbsent(AccountKey.of(w), k -> new ArrayList<>())
                            .add(send));
        }
        Map<AccountKey, List<Counted>> counted = new HashMap<>();
        for (Iterator<Map.Entry<AccountKey, List<CountedSend>>> each =
                        ofAccount.entrySet().iterator();
                each.hasNext(); ) {
            Map.Entry<AccountKey, List<CountedSend>> account = each.next();
            if (fitWithin(c, account.getKey(), account.getValue())) {
                // None of its sends can reach a limit: each is kept without reading the account's sends.
                each.remove();
                continue;
            }
            Instant since = account.getValue().stream()
                    .map(send -> send.at().minus(send.limits().lookBack()))
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
            int most = account.getValue().stream()
                            .mapToInt(send -> send.limits().sendsCounted())
                            .max()
                            .orElseThrow()
                    + account.getValue().size();
            counted.put(account.getKey(), recentSends(c, account.getKey(), since, most));
        }
        Map<AccountKey, List<CountedSend>> accepted = new HashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            TaskWrite w = writes.get(i);
            if (w.send().isEmpty() || !ofAccount.containsKey(AccountKey.of(w))) {
                continue;
            }
            if (!versionHolds(c, w)) {
                // Refused by its UPDATE below, as update would refuse it: its send must not count against the
                // writes after it.
                continue;
            }
            CountedSend send = w.send().get();
            AccountKey account = AccountKey.of(w);
            Instant since = send.at().minus(send.limits().lookBack());
            List<CountedSend> before = accepted.computeIfAbsent(account, k -> new ArrayList<>());
            // A key accepted earlier in this batch is counted at its new time (below), not again at its stored one.
            Set<String> moved = before.stream().map(CountedSend::idempotencyKey).collect(Collectors.toSet());
            List<Instant> sends = new ArrayList<>();
            counted.get(account).stream()
                    .filter(earlier -> !earlier.key().equals(send.idempotencyKey())
                            && !moved.contains(earlier.key())
                            && earlier.at().isAfter(since))
                    .limit(send.limits().sendsCounted())
                    .map(Counted::at)
                    .forEach(sends::add);
            before.stream()
                    .filter(b -> !b.idempotencyKey().equals(send.idempotencyKey()))
                    .map(CountedSend::at)
                    .forEach(sends::add);
            Optional<LimitReached> reached =
                    SendingPolicy.limitReached(send.limits(), SendingUsage.of(sends), send.at());
            if (reached.isPresent()) {
                refusals.set(
                        i,
                        Either.left(TaskError.SendingLimitReached.of(w.changed().id(), send.account(), reached.get())));
            } else {
                before.add(send);
            }
        }
        return refusals;
    }

    /**
     * Whether {@code sends}, all of {@code account} and under the same limits, fit within those limits by the account's
     * counts alone ({@link SendingPolicy#fitWithin}), counted from the earliest of them, which only overcounts for the
     * later ones.
     */
    private static boolean fitWithin(Connection c, AccountKey account, List<CountedSend> sends) throws SQLException {
        SendingLimits limits = sends.get(0).limits();
        if (sends.stream().anyMatch(send -> !send.limits().equals(limits))) {
            return false;
        }
        Instant at = sends.stream()
                .map(CountedSend::at)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Duration day = Duration.ofHours(24);
        Duration back = limits.lookBack().compareTo(day) > 0 ? limits.lookBack() : day;
        // Whole hours are counted, from the one the window starts in: never fewer sends than the window holds.
        try (PreparedStatement count = c.prepareStatement(TaskSql.COUNT_SENDS)) {
            count.setString(1, account.tenant());
            count.setString(2, account.account());
            count.setLong(3, TaskSql.epochHour(SqlTimes.bounded(at.minus(back))));
            count.setString(4, account.tenant());
            count.setString(5, account.account());
            count.setLong(6, TaskSql.epochHour(SqlTimes.bounded(at.minus(Duration.ofHours(1)))));
            count.setString(7, account.tenant());
            count.setString(8, account.account());
            SqlTimes.set(count, 9, SqlTimes.bounded(at.minus(back)));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                OffsetDateTime latest = row.getObject(3, OffsetDateTime.class);
                SendingCounts counts = new SendingCounts(
                        row.getLong(1),
                        row.getLong(2),
                        Optional.ofNullable(latest).map(OffsetDateTime::toInstant));
                return SendingPolicy.fitWithin(limits, counts, sends.size(), at);
            }
        }
    }

    /** Whether {@code write}'s task is still at the version it expects; locks its row for the transaction. */
    private static boolean versionHolds(Connection c, TaskWrite write) throws SQLException {
        try (PreparedStatement version = c.prepareStatement(TaskSql.LOCK_VERSION)) {
            version.setString(1, write.changed().tenant().value());
            version.setLong(2, write.changed().id().value());
            try (ResultSet row = version.executeQuery()) {
                return row.next() && row.getLong(1) == write.expectedVersion();
            }
        }
    }

    /** A send counted against an account: its idempotency key and time. */
    private record Counted(String key, Instant at) {}

    /** The latest {@code most} sends of {@code account} after {@code since}, latest first. */
    private static List<Counted> recentSends(Connection c, AccountKey account, Instant since, int most)
            throws SQLException {
        try (PreparedStatement recent = c.prepareStatement(TaskSql.RECENT_SENDS)) {
            recent.setString(1, account.tenant());
            recent.setString(2, account.account());
            SqlTimes.set(recent, 3, SqlTimes.bounded(since));
            recent.setInt(4, most);
            List<Counted> sends = new ArrayList<>();
            try (ResultSet rows = recent.executeQuery()) {
                while (rows.next()) {
                    sends.add(new Counted(
                            rows.getString(1),
                            rows.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
            return sends;
        }
    }

    /** Counts the sends of the kept {@code writes}, and forgets those of their accounts that no limit looks at any more. */
    private void countSends(Connection c, List<TaskWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        Map<AccountKey, Instant> forgetBefore = new HashMap<>();
        Map<AccountKey, Map<Long, Long>> perHour = new TreeMap<>();
        try (PreparedStatement count = c.prepareStatement(dialect(c).countSend())) {
            for (TaskWrite w : writes) {
                CountedSend send = w.send().orElseThrow();
                AccountKey account = AccountKey.of(w);
                count.setString(1, account.tenant());
                count.setString(2, account.account());
                count.setString(3, send.idempotencyKey());
                SqlTimes.set(count, 4, send.at());
                count.addBatch();
                perHour.computeIfAbsent(account, k -> new TreeMap<>())
                        .merge(TaskSql.epochHour(send.at()), 1L, Long::sum);
                Instant before = send.at().minus(CountedSend.keptFor(send.limits()));
                Instant last = lastForgotten.get(account);
                if (last == null || !before.isBefore(last.plus(FORGET_EVERY))) {
                    forgetBefore.merge(account, before, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            count.executeBatch();
        }
        // Under the accounts' locks taken by judgeSends: no other writer adds to these rows until this one commits.
        try (PreparedStatement hour = c.prepareStatement(dialect(c).countSendHour())) {
            for (Map.Entry<AccountKey, Map<Long, Long>> account : perHour.entrySet()) {
                for (Map.Entry<Long, Long> sends : account.getValue().entrySet()) {
                    hour.setString(1, account.getKey().tenant());
                    hour.setString(2, account.getKey().account());
                    hour.setLong(3, sends.getKey());
                    hour.setLong(4, sends.getValue());
                    hour.addBatch();
                }
            }
            hour.executeBatch();
        }
        if (!forgetBefore.isEmpty()) {
            try (PreparedStatement forget = c.prepareStatement(TaskSql.FORGET_SENDS);
                    PreparedStatement forgetHours = c.prepareStatement(TaskSql.FORGET_SEND_HOURS)) {
                for (Map.Entry<AccountKey, Instant> account : forgetBefore.entrySet()) {
                    Instant before = SqlTimes.bounded(account.getValue());
                    forget.setString(1, account.getKey().tenant());
                    forget.setString(2, account.getKey().account());
                    SqlTimes.set(forget, 3, before);
                    forget.addBatch();
                    // The hours wholly before the time: their sends are all among those just forgotten.
                    forgetHours.setString(1, account.getKey().tenant());
                    forgetHours.setString(2, account.getKey().account());
                    forgetHours.setLong(3, TaskSql.epochHour(before));
                    forgetHours.addBatch();
                }
                forget.executeBatch();
                forgetHours.executeBatch();
            }
        }
        // Noted once the batch is under way, not committed: at worst an account's old sends wait for a later batch.
        lastForgotten.putAll(forgetBefore);
    }

    /**
     * How often, at most, a store instance deletes an account's sends that no limit looks at any more (they only take
     * room until then: every read looks back no further than its limits).
     */
    private static final Duration FORGET_EVERY = Duration.ofHours(1);

    @Override
    public SendingUsage sendingUsage(TenantId tenant, SendingAccount account, SendingLimits limits, Instant at) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(at, "at");
        return onConnection(
                "read the sends of " + account,
                false,
                c -> SendingUsage.of(recentSends(
                                c,
                                new AccountKey(tenant.value(), account.value()),
                                at.minus(limits.lookBack()),
                                limits.sendsCounted())
                        .stream()
                        .map(Counted::at)
                        .toList()));
    }

    private static void checkVersionStep(Task changed, long expectedVersion) {
        if (changed.version() != expectedVersion + 1) {
            throw new IllegalArgumentException(
                    "a change moves the version by one: " + expectedVersion + " → " + changed.version());
        }
    }

    private static Either<TaskError, Task> updateOne(
            Connection c, Task changed, long expectedVersion, Optional<Lease> lease) throws SQLException {
        return writeOrRefusal(c, changed.tenant(), changed.id(), expectedVersion, () -> {
            try (PreparedStatement update = c.prepareStatement(TaskSql.UPDATE)) {
                TaskSql.bindUpdate(update, changed, expectedVersion, lease);
                return update.executeUpdate() == 0 ? Optional.empty() : Optional.of(asStored(c, changed));
            }
        });
    }

    /** The row just written: exactly the changed task, unless a time finer than the store's was truncated. */
    private static Task asStored(Connection c, Task written) throws SQLException {
        return SqlTimes.storedExactly(written)
                ? written
                : find(c, written.tenant(), written.id()).orElseThrow();
    }

    @Override
    public Either<TaskError, Task> delete(
            TenantId tenant, TaskId id, long expectedVersion, HistoryEntry history, List<TaskEvent> events) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(events, "events");
        return onConnection("delete task " + id, true, c -> {
            String sql = dialect(c).returningDeleted(TaskSql.DELETE);
            return keptWith(c, history, events, writeOrRefusal(c, tenant, id, expectedVersion, () -> {
                try (PreparedStatement delete = c.prepareStatement(sql)) {
                    delete.setString(1, tenant.value());
                    delete.setLong(2, id.value());
                    delete.setLong(3, expectedVersion);
                    try (ResultSet row = delete.executeQuery()) {
                        return row.next() ? Optional.of(TaskRowMapper.read(row)) : Optional.empty();
                    }
                }
            }));
        });
    }

    /**
     * Locks the sequence's active tasks in id order and reads them (the history needs each task as it was), then
     * reassigns them with one UPDATE and keeps one history entry per task, all in one transaction.
     */
    @Override
    public List<Task> reassignSequence(
            TenantId tenant, SequenceId sequence, UserId assignee, Actor actor, Instant now, boolean withEvents) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(assignee, "assignee");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(now, "now");
        return transaction("reassign sequence " + sequence, h -> {
            Connection c = h.getConnection();
            Map<TaskId, Task> before = new HashMap<>();
            try (PreparedStatement lock = c.prepareStatement(TaskSql.LOCK_ACTIVE_OF_SEQUENCE)) {
                lock.setString(1, tenant.value());
                lock.setLong(2, sequence.value());
                try (ResultSet rows = lock.executeQuery()) {
                    while (rows.next()) {
                        Task task = TaskRowMapper.read(rows);
                        before.put(task.id(), task);
                    }
                }
            }
            if (before.isEmpty()) {
                return List.of();
            }
            List<Task> reassigned = h.createQuery(dialect(h).returningChanged(TaskSql.REASSIGN_SEQUENCE))
                    .bind("tenant", tenant.value())
                    .bindArray(
                            "ids",
                            Long.class,
                            before.keySet().stream().map(TaskId::value).sorted().toList())
                    .bind("assignee", assignee.value())
                    .bind("now", SqlTimes.stored(now))
                    .map(TaskRowMapper.INSTANCE)
                    .list();
            List<HistoryEntry> entries = new ArrayList<>(reassigned.size());
            List<TaskEvent> events = new ArrayList<>(withEvents ? reassigned.size() : 0);
            for (Task after : reassigned) {
                Task was = before.get(after.id());
                if (was == null) {
                    throw new IllegalStateException("task " + after.id() + " was reassigned without being locked");
                }
                HistoryEntry entry =
                        HistoryEntry.changed(UUID.randomUUID(), TaskEventType.REASSIGNED, was, after, actor);
                entries.add(entry);
                if (withEvents) {
                    events.add(TaskEvent.of(entry, after));
                }
            }
            insertHistory(c, entries);
            insertEvents(c, events);
            return reassigned;
        });
    }

    /** Locks the note's task for the transaction, so that a note is never kept for a task deleted meanwhile. */
    @Override
    public Either<TaskError, HistoryEntry> addNote(HistoryEntry note, List<TaskEvent> events) {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(events, "events");
        if (note.type() != TaskEventType.NOTE_ADDED) {
            throw new IllegalArgumentException(
                    "a note's entry is " + TaskEventType.NOTE_ADDED + ", not " + note.type());
        }
        return onConnection("add a note to task " + note.taskId(), true, c -> {
            try (PreparedStatement lock = c.prepareStatement(TaskSql.LOCK_VERSION)) {
                lock.setString(1, note.tenant().value());
                lock.setLong(2, note.taskId().value());
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        return Either.left(new TaskError.NotFound(note.taskId()));
                    }
                }
            }
            insertHistory(c, List.of(note));
            insertEvents(c, events);
            return Either.right(note);
        });
    }

    @Override
    public StoredHistory history(HistoryRequest request) {
        Objects.requireNonNull(request, "request");
        HistorySql.Page page = HistorySql.page(request);
        return onConnection("read history", false, c -> {
            List<HistorySql.Positioned> fetched = new ArrayList<>();
            try (PreparedStatement read = c.prepareStatement(page.sql())) {
                page.bind(read);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        fetched.add(HistorySql.read(rows));
                    }
                }
            }
            boolean more = fetched.size() > request.limit();
            List<HistorySql.Positioned> kept = more ? fetched.subList(0, request.limit()) : fetched;
            return new StoredHistory(
                    kept.stream().map(HistorySql.Positioned::entry).toList(),
                    more ? OptionalLong.of(kept.get(kept.size() - 1).position()) : OptionalLong.empty());
        });
    }

    @Override
    public int forgetHistory(Instant deletedBefore) {
        Objects.requireNonNull(deletedBefore, "deletedBefore");
        return onConnection("forget the history of deleted tasks", false, c -> {
            try (PreparedStatement forget = c.prepareStatement(HistorySql.FORGET)) {
                SqlTimes.set(forget, 1, SqlTimes.bounded(deletedBefore));
                return forget.executeUpdate();
            }
        });
    }

    /** The most keys one statement names in a list of parameters (contacts whose pauses it reads, events it deletes). */
    private static final int KEYS_PER_STATEMENT = 1_000;

    @Override
    public Map<ContactId, Instant> contactPauses(TenantId tenant, Collection<ContactId> contacts) {
        Objects.requireNonNull(tenant, "tenant");
        List<ContactId> distinct = contacts.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return Map.of();
        }
        return onConnection("read the pauses of " + distinct.size() + " contacts", false, c -> {
            Map<ContactId, Instant> pauses = new HashMap<>();
            // In slices, so that no statement has more parameters than a driver takes, whatever the claim's size.
            for (int from = 0; from < distinct.size(); from += KEYS_PER_STATEMENT) {
                List<ContactId> slice = distinct.subList(from, Math.min(distinct.size(), from + KEYS_PER_STATEMENT));
                try (PreparedStatement read = c.prepareStatement(TaskSql.contactPauses(slice.size()))) {
                    read.setString(1, tenant.value());
                    for (int i = 0; i < slice.size(); i++) {
                        read.setLong(i + 2, slice.get(i).value());
                    }
                    try (ResultSet rows = read.executeQuery()) {
                        while (rows.next()) {
                            pauses.put(
                                    ContactId.of(rows.getLong(1)),
                                    SqlTimes.read(rows.getObject(2, OffsetDateTime.class)));
                        }
                    }
                }
            }
            return pauses;
        });
    }

    @Override
    public Optional<Instant> contactPause(TenantId tenant, ContactId contact) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(contact, "contact");
        return onConnection("read the pause of contact " + contact, false, c -> {
            try (PreparedStatement read = c.prepareStatement(TaskSql.CONTACT_PAUSE)) {
                read.setString(1, tenant.value());
                read.setLong(2, contact.value());
                try (ResultSet row = read.executeQuery()) {
                    return row.next()
                            ? Optional.of(SqlTimes.read(row.getObject(1, OffsetDateTime.class)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void keepContactPause(TenantId tenant, ContactId contact, Instant until) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(contact, "contact");
        onConnection("keep the pause of contact " + contact, false, c -> {
            String sql = until == null ? TaskSql.END_CONTACT_PAUSE : dialect(c).keepContactPause();
            try (PreparedStatement keep = c.prepareStatement(sql)) {
                keep.setString(1, tenant.value());
                keep.setLong(2, contact.value());
                if (until != null) {
                    SqlTimes.set(keep, 3, until);
                }
                keep.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Task> dueReminders(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            return List.of();
        }
        return onConnection("read due reminders", false, c -> {
            try (PreparedStatement due = c.prepareStatement(TaskSql.DUE_REMINDERS)) {
                // A stored time is at or before now exactly when it is at or before now truncated to the microsecond.
                SqlTimes.set(due, 1, SqlTimes.clamp(now));
                due.setInt(2, limit);
                List<Task> tasks = new ArrayList<>();
                try (ResultSet rows = due.executeQuery()) {
                    while (rows.next()) {
                        tasks.add(TaskRowMapper.read(rows));
                    }
                }
                return tasks;
            }
        });
    }

    @Override
    public void renewLeases(Lease lease, Collection<Task> held) {
        Objects.requireNonNull(lease, "lease");
        if (held.isEmpty()) {
            return;
        }
        // In id order, as updateAll locks its rows, so that a renewal never waits in a cycle with an outcome batch
        // locking the same rows. The batch runs in auto-commit, but PostgreSQL runs a batch sent before one Sync as one
        // implicit transaction, holding each row it renewed until the last: without the order, the two deadlocked
        // (PostgreSQL broke it after deadlock_timeout, a second, by failing the renewal).
        onConnection("renew " + held.size() + " leases", false, c -> {
            try (PreparedStatement renew = c.prepareStatement(TaskSql.RENEW_LEASE)) {
                for (Task task :
                        held.stream().sorted(Comparator.comparing(Task::id)).toList()) {
                    SqlTimes.set(renew, 1, lease.until());
                    renew.setString(2, task.tenant().value());
                    renew.setLong(3, task.id().value());
                    renew.setString(4, lease.owner());
                    renew.addBatch();
                }
                renew.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Task> claimDue(DueTasks request) {
        Objects.requireNonNull(request, "request");
        return onConnection("claim due tasks", true, c -> {
            Dialect d = dialect(c);
            List<Task> stale =
                    request.dueOnly() ? List.of() : claim(c, TaskSql.CLAIM_STALE.get(d), request, request.limit());
            if (stale.isEmpty() && connections.ownsTransactions()) {
                // A claim of due tasks is a lease that nothing relies on for safety: whoever executes a claimed task
                // first records its execution with a versioned, durable write, and a task changed since (by another
                // engine that got it because this claim was lost) is a version conflict, never sent. So the claim need
                // not wait for its commit to reach the disk. Claims of stale executions stay durable: they guard a
                // resend, which writes nothing before it sends. (Never on a host's handle: that is the host's
                // transaction.)
                Optional<String> asynchronous = d.asynchronousCommit();
                if (asynchronous.isPresent()) {
                    try (Statement statement = c.createStatement()) {
                        statement.execute(asynchronous.get());
                    }
                }
            }
            List<Task> claimed = new ArrayList<>(stale);
            claimed.sort(
                    Comparator.comparing((Task t) -> t.execution().orElseThrow().startedAt())
                            .thenComparing(Task::id));
            int left = request.limit() - stale.size();
            if (left > 0) {
                claim(c, TaskSql.CLAIM_DUE.get(d), request, left).stream()
                        .sorted(Comparator.comparing(
                                        (Task task) -> task.nextExecutionAt().orElseThrow())
                                .thenComparing(Task::id))
                        .forEach(claimed::add);
            }
            return claimed;
        });
    }

    /** Runs one claiming statement ({@link TaskSql#CLAIM_DUE} or {@link TaskSql#CLAIM_STALE}); answers the claimed rows. */
    private static List<Task> claim(Connection c, PositionalSql claim, DueTasks request, int limit)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(claim.sql())) {
            claim.bind(
                    statement,
                    Map.of(
                            "nowBound", (s, i) -> SqlTimes.set(s, i, SqlTimes.bounded(request.now())),
                            "now", (s, i) -> SqlTimes.set(s, i, request.now()),
                            "staleBefore", (s, i) -> SqlTimes.set(s, i, SqlTimes.bounded(request.staleBefore())),
                            "limit", (s, i) -> s.setInt(i, limit),
                            "owner", (s, i) -> s.setString(i, request.owner()),
                            "leaseUntil", (s, i) -> SqlTimes.set(s, i, request.leaseUntil())));
            List<Task> claimed = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    claimed.add(TaskRowMapper.read(rows));
                }
            }
            return claimed;
        }
    }

    /** A store bound to a host's handle leaves committing to the host. */
    @Override
    public boolean commitsEachWrite() {
        return connections.ownsTransactions();
    }

    @Override
    public dev.taskengine.api.Backlog backlog(Instant now, int limit) {
        return run("read the backlog", h -> {
            long due = h.createQuery(TaskSql.DUE_BACKLOG)
                    .bind("now", SqlTimes.stored(now))
                    .bind("limit", limit)
                    .mapTo(Long.class)
                    .one();
            Optional<Instant> oldest = h.createQuery(TaskSql.DUE_OLDEST)
                    .bind("now", SqlTimes.stored(now))
                    .mapTo(java.time.OffsetDateTime.class)
                    .findOne()
                    .map(SqlTimes::read);
            long pending = h.createQuery(TaskSql.PENDING_BACKLOG)
                    .bind("limit", limit)
                    .mapTo(Long.class)
                    .one();
            return new dev.taskengine.api.Backlog(now, due, oldest, pending);
        });
    }

    @Override
    public List<TaskEvent> pendingEvents(int limit) {
        return run(
                "read pending events",
                h -> h.createQuery(TaskSql.PENDING_EVENTS)
                        .bind("limit", limit)
                        .map(EventRowMapper.INSTANCE)
                        .list());
    }

    @Override
    public void markPublished(List<TaskEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return;
        }
        onConnection("mark " + events.size() + " events published", false, c -> {
            if (dialect(c) == Dialect.POSTGRESQL) {
                // Joined with the keys as a table, each event is a probe of the unique (tenant, id), whatever the
                // planner knows of the table.
                try (PreparedStatement delete = c.prepareStatement(TaskSql.DELETE_EVENTS_POSTGRESQL)) {
                    delete.setArray(
                            1,
                            c.createArrayOf(
                                    "varchar",
                                    events.stream().map(e -> e.tenant().value()).toArray()));
                    delete.setArray(
                            2,
                            c.createArrayOf(
                                    "uuid", events.stream().map(TaskEvent::id).toArray()));
                    return delete.executeUpdate();
                }
            }
            int deleted = 0;
            for (int from = 0; from < events.size(); from += KEYS_PER_STATEMENT) {
                List<TaskEvent> slice = events.subList(from, Math.min(events.size(), from + KEYS_PER_STATEMENT));
                try (PreparedStatement delete = c.prepareStatement(TaskSql.deleteEvents(slice.size()))) {
                    int i = 1;
                    for (TaskEvent event : slice) {
                        delete.setString(i++, event.tenant().value());
                        delete.setObject(i++, event.id());
                    }
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /** Stores events in the outbox, on the connection of the write they belong to. */
    private void insertEvents(Connection c, List<TaskEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(TaskSql.insertEvent(dialect(c)))) {
            for (TaskEvent event : events) {
                insert.setObject(1, event.id());
                insert.setString(2, StoredCodes.EVENT_TYPE.name(event.type()));
                insert.setString(3, event.tenant().value());
                insert.setLong(4, event.taskId().value());
                insert.setLong(5, event.version());
                SqlTimes.set(insert, 6, event.occurredAt());
                insert.setString(7, event.actor().wireName());
                insert.setString(8, Long.toString(event.taskId().value()));
                insert.setString(9, event.payload());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Keeps history entries, on the connection of the writes they record. */
    private static void insertHistory(Connection c, List<HistoryEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(HistorySql.INSERT)) {
            for (HistoryEntry entry : entries) {
                HistorySql.bind(insert, entry);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Stores the history entry and the events of a write that was kept; a refused write stores neither. */
    private Either<TaskError, Task> keptWith(
            Connection c, HistoryEntry history, List<TaskEvent> events, Either<TaskError, Task> outcome)
            throws SQLException {
        if (outcome.isRight()) {
            insertHistory(c, List.of(history));
            insertEvents(c, events);
        }
        return outcome;
    }

    @Override
    public StoredPage query(PageRequest request) {
        Objects.requireNonNull(request, "request");
        TaskQuery query = request.query();
        Instant now = request.now();
        QuerySql.Statement page = QuerySql.page(query, request.after(), now);
        if (!query.includeTotal()) {
            return run("query tasks", h -> page(query, fetch(h, page), OptionalLong.empty()));
        }
        QuerySql.Statement count = QuerySql.count(query, now);
        Work<StoredPage> pageAndTotal = h -> {
            List<Task> tasks = fetch(h, page);
            long total =
                    count.bind(h.createQuery(count.sql())).mapTo(Long.class).one();
            return page(query, tasks, OptionalLong.of(total));
        };
        // Page and total from one snapshot, so that the total counts the tasks the page was cut from.
        return connections.snapshot("query tasks", pageAndTotal);
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
            Connection c, TenantId tenant, TaskId id, long expectedVersion, VersionedWrite write) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Optional<Task> written = write.get();
            if (written.isPresent()) {
                return Either.right(written.get());
            }
            Optional<Long> actual = storedVersion(c, tenant, id);
            if (actual.isEmpty()) {
                return Either.left(new TaskError.NotFound(id));
            }
            if (actual.get() != expectedVersion || attempt == ATTEMPTS) {
                return Either.left(new TaskError.VersionConflict(id, expectedVersion, actual.get()));
            }
        }
    }

    private static Optional<Long> storedVersion(Connection c, TenantId tenant, TaskId id) throws SQLException {
        try (PreparedStatement find = c.prepareStatement(TaskSql.FIND_VERSION)) {
            find.setString(1, tenant.value());
            find.setLong(2, id.value());
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
        }
    }

    private Dialect dialect(Handle h) throws SQLException {
        return dialect(h.getConnection());
    }

    private Dialect dialect(Connection c) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(c.getMetaData());
            dialect = known;
        }
        return known;
    }

    /** Work on a plain JDBC connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T onConnection(String operation, boolean atomic, SqlWork<T> work) {
        return connections.onConnection(operation, atomic, work);
    }

    /** Runs {@code work} on {@code c} in one transaction of its own, and leaves the connection's auto-commit as it was. */
    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.apply(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** A write guarded by the version: the task as stored, or empty when no row had the expected version. */
    @FunctionalInterface
    private interface VersionedWrite {
        Optional<Task> get() throws SQLException;
    }

    /** Work on a handle; JDBC calls on the raw connection may throw {@link SQLException}. */
    @FunctionalInterface
    private interface Work<T> {
        T apply(Handle handle) throws SQLException;
    }

    private <T> T transaction(String operation, Work<T> work) {
        return connections.transaction(operation, work);
    }

    private <T> T run(String operation, Work<T> work) {
        return connections.run(operation, work);
    }

    /**
     * Where the store's statements run, one of three ways fixed at construction. Failures of every way are translated
     * by {@link StoreFailures}; a transient one (deadlock, serialization failure) is retried, up to {@value #ATTEMPTS}
     * attempts, only where the store runs its own transactions.
     */
    private sealed interface Connections permits OwnJdbi, OwnDataSource, HostHandle {
        /** Runs {@code work} on a handle, in auto-commit (or in whatever transaction the host has open). */
        <T> T run(String operation, Work<T> work);

        /** Runs {@code work} in one transaction: the store's own, or the host's. */
        <T> T transaction(String operation, Work<T> work);

        /** Runs {@code work} on one snapshot of the data (repeatable read), or in the host's transaction. */
        <T> T snapshot(String operation, Work<T> work);

        /** Runs {@code work} on a plain JDBC connection, in one transaction when {@code atomic}. */
        <T> T onConnection(String operation, boolean atomic, SqlWork<T> work);

        /** Whether the store begins and commits its own transactions (false: the host's transaction holds them). */
        boolean ownsTransactions();
    }

    /** A Jdbi handle taken from the host's {@link Jdbi} for each call, in a transaction of the store's own. */
    private record OwnJdbi(Jdbi jdbi) implements Connections {
        @Override
        public <T> T run(String operation, Work<T> work) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return jdbi.withHandle(work::apply);
                } catch (JdbiException | SQLException e) {
                    if (attempt < ATTEMPTS && StoreFailures.isTransient(e)) {
                        continue;
                    }
                    throw StoreFailures.translate(operation, e);
                }
            }
        }

        @Override
        public <T> T transaction(String operation, Work<T> work) {
            return run(operation, h -> h.inTransaction(work::apply));
        }

        @Override
        public <T> T snapshot(String operation, Work<T> work) {
            return run(operation, h -> h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, work::apply));
        }

        @Override
        public <T> T onConnection(String operation, boolean atomic, SqlWork<T> work) {
            Work<T> onHandle = h -> work.apply(h.getConnection());
            return atomic ? transaction(operation, onHandle) : run(operation, onHandle);
        }

        @Override
        public boolean ownsTransactions() {
            return true;
        }
    }

    /**
     * The host's data source: the statements on one task run on a connection taken from it directly (plain JDBC, no
     * Jdbi handle per call), since they are most of what an engine does; everything else as {@link OwnJdbi}.
     */
    private record OwnDataSource(OwnJdbi jdbi, DataSource dataSource) implements Connections {
        @Override
        public <T> T run(String operation, Work<T> work) {
            return jdbi.run(operation, work);
        }

        @Override
        public <T> T transaction(String operation, Work<T> work) {
            return jdbi.transaction(operation, work);
        }

        @Override
        public <T> T snapshot(String operation, Work<T> work) {
            return jdbi.snapshot(operation, work);
        }

        @Override
        public <T> T onConnection(String operation, boolean atomic, SqlWork<T> work) {
            for (int attempt = 1; ; attempt++) {
                try (Connection c = dataSource.getConnection()) {
                    return atomic ? inTransaction(c, work) : work.apply(c);
                } catch (SQLException e) {
                    if (attempt < ATTEMPTS && StoreFailures.isTransient(e)) {
                        continue;
                    }
                    throw StoreFailures.translate(operation, e);
                }
            }
        }

        @Override
        public boolean ownsTransactions() {
            return true;
        }
    }

    /**
     * The host's handle, inside whatever transaction the host has open on it: never begun, committed, rolled back or
     * closed here, and never retried (the transaction may be aborted already: a retry is the host's to make).
     */
    private record HostHandle(Handle handle) implements Connections {
        @Override
        public <T> T run(String operation, Work<T> work) {
            try {
                return work.apply(handle);
            } catch (JdbiException | SQLException e) {
                throw StoreFailures.translate(operation, e);
            }
        }

        @Override
        public <T> T transaction(String operation, Work<T> work) {
            return run(operation, work);
        }

        @Override
        public <T> T snapshot(String operation, Work<T> work) {
            return run(operation, work);
        }

        @Override
        public <T> T onConnection(String operation, boolean atomic, SqlWork<T> work) {
            return run(operation, h -> work.apply(h.getConnection()));
        }

        @Override
        public boolean ownsTransactions() {
            return false;
        }
    }
}
