package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.domain.Task;
import dev.taskengine.store.DueTasks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Claim latency on PostgreSQL beside deferred tasks: one {@link JdbiTaskStore#claimDue} of {@link #due} due scheduled
 * SMS tasks (the claim a poll starts with: stale executions first, then due tasks), with {@link #deferred} tasks in the
 * table that the sending policy deferred to tomorrow (deferred_until and next_execution_at a day ahead, started before
 * every due task). Both sets are inserted once per trial by SQL, then {@code VACUUM ANALYZE}.
 *
 * <p>Every invocation claims the same {@link #due} tasks: its lease ends at the instant it is taken ({@code leaseUntil =
 * now}), so that the next invocation, a moment later, finds them unclaimed again and no set-up runs between
 * invocations. The claim's statement is the same as under a real lease. An invocation that claims any other number of
 * tasks fails the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClaimBenchmark {
    private static final String OWNER = "bench-claim";

    @Param({"0", "100000"})
    public int deferred;

    @Param({"50"})
    public int due;

    private HikariDataSource dataSource;
    private JdbiTaskStore store;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        dataSource = Databases.postgres("bench_claim_" + deferred, true);
        TaskSchema.migrate(dataSource);
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM te_task"); // a smoke run keeps its schema
            }
            insert(c, "deferred-backlog", deferred, DEFERRED_AT, DEFERRED_AT, "'sending.dailyLimit'");
            insert(c, "due-now", due, "date_trunc('milliseconds', now()) - g * interval '1 second'", "NULL", "NULL");
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE te_task");
            }
        }
        store = new JdbiTaskStore(dataSource);
    }

    @Benchmark
    public List<Task> claim() {
        Instant now = Instant.now();
        List<Task> claimed = store.claimDue(new DueTasks(now, now.minusSeconds(300), due, OWNER, now));
        if (claimed.size() != due) {
            throw new IllegalStateException("claimed " + claimed.size() + " tasks, not the " + due + " due ones");
        }
        return claimed;
    }

    @TearDown(Level.Trial)
    public void close() {
        Databases.close(dataSource);
    }

    /** Deferred by the daily limit to tomorrow, one second apart. */
    private static final String DEFERRED_AT =
            "date_trunc('milliseconds', now()) + interval '1 day' + g * interval '1 second'";

    /** {@code count} started scheduled SMS tasks of {@code tenant}, next executable at {@code nextAt}. */
    private static void insert(
            Connection c, String tenant, int count, String nextAt, String deferredUntil, String reason)
            throws SQLException {
        if (count == 0) {
            return;
        }
        String sql = "INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id,"
                + " assigned_user_id, creation_source, created_at, updated_at, start_at, due_to, failed, scheduled,"
                + " body, attachment_ids, failed_attempts, deferred_until, deferral_reason, next_execution_at)"
                + " SELECT nextval('te_task_id_seq'), ?, 1, 8, 0, 1, g, 7, 0, date_trunc('milliseconds', now()) - interval '1 day',"
                + " date_trunc('milliseconds', now()) - interval '1 day', date_trunc('milliseconds', now()) - interval '1 hour' - g * interval '1 second',"
                + " date_trunc('milliseconds', now()) + interval '1 day', FALSE, TRUE, 'Hi', '', 0, " + deferredUntil
                + ", " + reason + ", "
                + nextAt + " FROM generate_series(1, ?) AS g";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, tenant);
            s.setInt(2, count);
            s.executeUpdate();
        }
    }
}
