package dev.taskengine.bench.production;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.bench.Databases;
import dev.taskengine.bench.Fixtures;
import dev.taskengine.bench.SchedulerFixtures;
import dev.taskengine.domain.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A contender's tables in a PostgreSQL schema of its own, as the coordinator of the scheduler workloads uses them: made
 * fresh, filled with tasks by one set operation, watched until every task's outcome is stored, checked for executions
 * exactly once, emptied for the next shot. The engine's are its migrated schema (scheduled SMS tasks of one tenant,
 * owned by {@link Fixtures#OWNER}), db-scheduler's its {@code scheduled_tasks} table (one-time no-op tasks).
 */
final class SchedulerTables implements AutoCloseable {
    static final String DB_SCHEDULER_TASK = "noop";

    private final SchedulerContender contender;
    private final String schema;
    private final TenantId tenant;
    private final HikariDataSource dataSource;

    private SchedulerTables(SchedulerContender contender, String schema, HikariDataSource dataSource) {
        this.contender = contender;
        this.schema = schema;
        this.tenant = Fixtures.tenant("scheduler");
        this.dataSource = dataSource;
    }

    /** Fresh tables for {@code contender} in the schema {@code bench_<workload>_<contender>}, dropped first. */
    static SchedulerTables prepare(SchedulerContender contender, String workload) throws SQLException {
        String schema = ("bench_" + workload + "_" + contender.label()).replace('-', '_');
        SchedulerTables tables = new SchedulerTables(contender, schema, Databases.postgres(schema, true, 2));
        if (contender.engine()) {
            TaskSchema.migrate(tables.dataSource);
        } else {
            tables.execute(SchedulerFixtures.DB_SCHEDULER_TABLE);
        }
        tables.clear();
        return tables;
    }

    SchedulerContender contender() {
        return contender;
    }

    String schema() {
        return schema;
    }

    TenantId tenant() {
        return tenant;
    }

    /** {@code count} tasks that fell due a minute ago. */
    void insertDue(int count) throws SQLException {
        insert(count, Instant.now().minus(Duration.ofMinutes(1)), 0);
    }

    /**
     * {@code count} tasks due from {@code first} on, {@code spacingMicros} apart, made by one statement; then the
     * tables are vacuumed and analyzed, so that every shot starts with fresh statistics and no dead rows of the last.
     */
    void insert(int count, Instant first, long spacingMicros) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(contender.engine() ? ENGINE_TASKS : DB_SCHEDULER_TASKS)) {
                int i = 1;
                if (contender.engine()) {
                    s.setString(i++, tenant.value());
                    s.setLong(i++, Fixtures.CONTACT_ID.value());
                    s.setLong(i++, Fixtures.OWNER.value());
                }
                s.setObject(i++, OffsetDateTime.ofInstant(first, ZoneOffset.UTC));
                s.setLong(i++, spacingMicros);
                s.setInt(i, count);
                s.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute(contender.engine() ? "VACUUM ANALYZE te_task, te_history" : "VACUUM ANALYZE scheduled_tasks");
            }
        }
    }

    /** Whether every task's outcome is stored: the engine has no active task left, db-scheduler's table is empty. */
    boolean done() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(contender.engine() ? ENGINE_ACTIVE : DB_SCHEDULER_LEFT)) {
            if (contender.engine()) {
                s.setString(1, tenant.value());
                s.setLong(2, Fixtures.OWNER.value());
                s.setString(3, tenant.value());
                s.setLong(4, Fixtures.OWNER.value());
            }
            try (ResultSet rs = s.executeQuery()) {
                return !rs.next();
            }
        }
    }

    /**
     * Polls {@link #done} every {@code every} until it is, while every instance of {@code fleet} lives; fails after
     * {@code timeout}.
     */
    void awaitDone(SchedulerFleet fleet, Duration timeout, Duration every) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done()) {
            fleet.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(contender.label() + ": tasks still without an outcome after " + timeout
                        + " (" + left() + " left)");
            }
            Thread.sleep(every.toMillis());
        }
    }

    /**
     * Checks that each of the {@code count} tasks was executed exactly once: the instances' senders sent {@code
     * executed} in all; for the engine, every task is finished with one execution started and one executed in its
     * history (and, with the policy, one send counted); db-scheduler's table is empty.
     */
    void check(int count, long executed) throws SQLException {
        if (executed != count) {
            throw new IllegalStateException(
                    contender.label() + ": the instances executed " + executed + " times for " + count + " tasks");
        }
        if (!contender.engine()) {
            long left = left();
            if (left != 0) {
                throw new IllegalStateException(
                        contender.label() + ": " + left + " executions left in scheduled_tasks");
            }
            return;
        }
        long[] tasks = longs(ENGINE_FINISHED, tenant.value());
        long[] history = longs(ENGINE_HISTORY, tenant.value());
        long sends = longs("SELECT count(*) FROM te_send WHERE tenant = ?", tenant.value())[0];
        long expectedSends = contender == SchedulerContender.ENGINE_POLICY ? count : 0;
        if (tasks[0] != count
                || tasks[1] != count
                || history[0] != count
                || history[1] != count
                || history[2] != count
                || sends != expectedSends) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s: %d tasks, %d finished of %d stored; history: %d executions started, %d executed, of %d"
                            + " tasks; %d sends counted (expected %d)",
                    contender.label(),
                    count,
                    tasks[0],
                    tasks[1],
                    history[0],
                    history[1],
                    history[2],
                    sends,
                    expectedSends));
        }
    }

    /** Empties the tables for the next shot. */
    void clear() throws SQLException {
        execute(
                contender.engine()
                        ? "TRUNCATE te_task, te_history, te_send, te_send_hour, te_sending_account"
                        : "TRUNCATE scheduled_tasks");
    }

    @Override
    public void close() {
        Databases.close(dataSource);
    }

    private long left() throws SQLException {
        return contender.engine()
                ? longs("SELECT count(*) FROM te_task WHERE tenant = ? AND status IN (0, 6)", tenant.value())[0]
                : longs("SELECT count(*) FROM scheduled_tasks")[0];
    }

    /** The first row of {@code sql}, as numbers. */
    private long[] longs(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long[] values = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getLong(i + 1);
                }
                return values;
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Scheduled SMS tasks of the owner to the prospect, due from the first parameter on, the second apart (µs): each
     * starts when it is due, and its body is that instant in epoch microseconds, which the instance's sender reads
     * back.
     */
    private static final String ENGINE_TASKS = "INSERT INTO te_task (id, tenant, version, task_type, status, priority,"
            + " contact_id, assigned_user_id, creation_source, created_at, updated_at, start_at, due_to, failed,"
            + " scheduled, body, attachment_ids, failed_attempts, next_execution_at)"
            + " SELECT nextval('te_task_id_seq'), ?, 1, 8, 0, 1, ?, ?, 0, least(now(), d.due), least(now(), d.due),"
            + " d.due, d.due + interval '1 hour', FALSE, TRUE, (extract(epoch FROM d.due) * 1000000)::bigint::text,"
            + " '', 0, d.due"
            + " FROM (SELECT ?::timestamptz + (g - 1) * ?::bigint * interval '1 microsecond' AS due"
            + " FROM generate_series(1, ?) g) d";

    private static final String DB_SCHEDULER_TASKS =
            "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)"
                    + " SELECT '" + DB_SCHEDULER_TASK + "', '" + DB_SCHEDULER_TASK + "-' || g, NULL,"
                    + " ?::timestamptz + (g - 1) * ?::bigint * interval '1 microsecond',"
                    + " FALSE, 1 FROM generate_series(1, ?) g";

    /**
     * Any active task (new or in progress) left, read from the assignee index (tenant, assignee, status, start) in its
     * order; with {@code status IN (0, 6)} the planner scans the table, which near the end of a shot means every row,
     * every poll.
     */
    private static final String ENGINE_ACTIVE = "(SELECT 1 FROM te_task WHERE tenant = ? AND assigned_user_id = ?"
            + " AND status = 0 ORDER BY start_at LIMIT 1) UNION ALL (SELECT 1 FROM te_task WHERE tenant = ?"
            + " AND assigned_user_id = ? AND status = 6 ORDER BY start_at LIMIT 1) LIMIT 1";

    /** Any execution left, read from the execution time index in its order rather than by a scan over deleted rows. */
    private static final String DB_SCHEDULER_LEFT = "SELECT 1 FROM scheduled_tasks ORDER BY execution_time LIMIT 1";

    private static final String ENGINE_FINISHED =
            "SELECT count(*) FILTER (WHERE status = 1), count(*) FROM te_task WHERE tenant = ?";

    /** History event codes (StoredCodes): ExecutionStarted 13, Executed 4. */
    private static final String ENGINE_HISTORY = "SELECT count(*) FILTER (WHERE event_type = 13),"
            + " count(*) FILTER (WHERE event_type = 4), count(DISTINCT task_id) FILTER (WHERE event_type = 4)"
            + " FROM te_history WHERE tenant = ?";
}
