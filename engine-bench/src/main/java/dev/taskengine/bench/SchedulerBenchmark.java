package dev.taskengine.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskEngineBuilder;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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
 * Scheduled execution throughput on PostgreSQL: a backlog of {@link #backlog} due tasks, and the time from starting a
 * scheduler until every one of them is executed and its outcome stored. The engine's {@link TaskScheduler} executing
 * scheduled SMS tasks through a no-op sender, against db-scheduler (lock-and-fetch polling) executing as many one-time
 * no-op tasks; both with the same worker threads and polling interval, each in its own schema of the same server.
 * Tasks/s = backlog / score.
 *
 * <p>{@code engine-policy} is the engine with the sending policy on but not binding: every SMS goes from the sending
 * identity {@link SchedulerFixtures#SMS_SENDER} (the owner's, named by {@link SenderAccounts#smsSender}), whose limits ({@link SchedulerFixtures#LIMITS})
 * are far above what a run sends, windows always open, no holidays; so every send is counted (account row locked,
 * recent sends read, a {@code te_send} row written) and none is deferred. After each shot the {@code te_send} rows are
 * checked: one per task with the policy, none without; then they are deleted, so that every shot starts from an account
 * that has sent nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class SchedulerBenchmark {
    static final int WORKERS = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Param({"engine", "engine-policy", "db-scheduler"})
    public String target;

    @Param({"1000"})
    public int backlog;

    @Param({"100"})
    public int pollMillis;

    private HikariDataSource dataSource;
    private TenantId tenant;
    private TaskEngine engine;
    private volatile CountDownLatch sent;
    private TaskScheduler engineScheduler;
    private Scheduler dbScheduler;
    private OneTimeTask<Void> noop;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        if (target.startsWith("engine")) {
            dataSource = Databases.postgres("bench_sched_" + target.replace('-', '_'), true);
            TaskSchema.migrate(dataSource);
            // The schema is this benchmark's: no task of an interrupted run may be due, no send of one counted.
            execute(
                    "DELETE FROM te_task; DELETE FROM te_send; DELETE FROM te_send_hour; DELETE FROM te_sending_account");
            tenant = Fixtures.tenant("scheduler");
            TaskEngineBuilder builder = TaskEngine.builder()
                    .store(new JdbiTaskStore(dataSource))
                    .contacts(Fixtures.contacts(tenant))
                    .sender(message -> {
                        sent.countDown();
                        return Delivery.delivered("noop-" + message.idempotencyKey());
                    });
            if (policy()) {
                builder.senderAccounts(SchedulerFixtures.ownerSmsSender())
                        .sendingRules(SendingSettings.builder()
                                .defaultLimits(SchedulerFixtures.LIMITS)
                                .build());
            }
            engine = builder.build();
        } else {
            dataSource = Databases.postgres("bench_sched_dbscheduler", true);
            execute(SchedulerFixtures.DB_SCHEDULER_TABLE);
            execute("DELETE FROM scheduled_tasks");
            noop = Tasks.oneTime("noop").execute((instance, context) -> sent.countDown());
        }
    }

    @Setup(Level.Iteration)
    public void load() throws SQLException {
        sent = new CountDownLatch(backlog);
        Duration poll = Duration.ofMillis(pollMillis);
        if (engine != null) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(ENGINE_BACKLOG)) {
                s.setString(1, tenant.value());
                s.setLong(2, Fixtures.CONTACT_ID.value());
                s.setLong(3, Fixtures.OWNER.value());
                s.setInt(4, backlog);
                s.executeUpdate();
            }
            engineScheduler = engine.scheduler(SchedulerOptions.defaults()
                    .withWorkerThreads(WORKERS)
                    .withBatchSize(50)
                    .withPollInterval(poll));
        } else {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(DB_SCHEDULER_BACKLOG)) {
                s.setInt(1, backlog);
                s.executeUpdate();
            }
            dbScheduler = Scheduler.create(dataSource, noop)
                    .threads(WORKERS)
                    .pollingInterval(poll)
                    .pollUsingLockAndFetch(0.5, 2.0)
                    .shutdownMaxWait(Duration.ofSeconds(30))
                    .build();
        }
        if (!Databases.smoke()) {
            execute("VACUUM ANALYZE");
        }
    }

    @Benchmark
    public long executeBacklog() throws Exception {
        if (engineScheduler != null) {
            engineScheduler.start();
        } else {
            dbScheduler.start();
        }
        if (!sent.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(sent.getCount() + " of " + backlog + " tasks not executed in " + TIMEOUT);
        }
        // Sent is not done: wait until every outcome is stored (the engine finishes the task, db-scheduler deletes it).
        // The engine's probe reads its two partial indexes, of tasks still to execute and of executions under way,
        // which hold only the work left: a count over the whole table every 2 ms took CPU from the engine it waited
        // for (39 ms a count at 100,000 tasks), which db-scheduler's small table never did.
        String remaining = engine != null
                ? "SELECT (SELECT count(*) FROM (SELECT 1 FROM te_task WHERE next_execution_at IS NOT NULL AND tenant = '"
                        + tenant.value() + "' LIMIT 1) d) + (SELECT count(*) FROM (SELECT 1 FROM te_task WHERE"
                        + " execution_key IS NOT NULL AND tenant = '" + tenant.value() + "' LIMIT 1) e)"
                : "SELECT count(*) FROM scheduled_tasks";
        long left;
        while ((left = count(remaining)) > 0) {
            Thread.sleep(2);
        }
        if (engine != null) {
            long unfinished =
                    count("SELECT count(*) FROM te_task WHERE tenant = '" + tenant.value() + "' AND status <> 1");
            if (unfinished > 0) {
                throw new IllegalStateException(unfinished + " tasks left unfinished with nothing left to execute");
            }
        }
        return left;
    }

    @TearDown(Level.Iteration)
    public void stop() throws SQLException {
        if (engineScheduler != null) {
            engineScheduler.stop();
            engineScheduler = null;
            long counted = count("SELECT count(*) FROM te_send WHERE tenant = '" + tenant.value() + "'");
            long expected = policy() ? backlog : 0;
            if (counted != expected) {
                throw new IllegalStateException(
                        target + ": " + counted + " sends counted in te_send for " + backlog + " tasks executed");
            }
            execute("DELETE FROM te_task WHERE tenant = '" + tenant.value() + "';"
                    + " DELETE FROM te_send WHERE tenant = '" + tenant.value() + "';"
                    + " DELETE FROM te_send_hour WHERE tenant = '" + tenant.value() + "'");
        }
        if (dbScheduler != null) {
            dbScheduler.stop();
            dbScheduler = null;
            execute("DELETE FROM scheduled_tasks");
        }
    }

    private boolean policy() {
        return target.equals("engine-policy");
    }

    @TearDown(Level.Trial)
    public void close() {
        Databases.close(dataSource);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Due scheduled SMS tasks (started a minute ago), made with one set operation. */
    private static final String ENGINE_BACKLOG =
            "INSERT INTO te_task (id, tenant, version, task_type, status, priority,"
                    + " contact_id, assigned_user_id, creation_source, created_at, updated_at, start_at, due_to, failed, scheduled,"
                    + " body, attachment_ids, failed_attempts, next_execution_at)"
                    + " SELECT nextval('te_task_id_seq'), ?, 1, 8, 0, 1, ?, ?, 0, now() - interval '2 minutes',"
                    + " now() - interval '2 minutes', date_trunc('milliseconds', now()) - interval '1 minute', now() + interval '1 hour',"
                    + " FALSE, TRUE, 'Your demo starts in 15 minutes.', '', 0,"
                    + " date_trunc('milliseconds', now()) - interval '1 minute' FROM generate_series(1, ?)";

    private static final String DB_SCHEDULER_BACKLOG =
            "INSERT INTO scheduled_tasks (task_name, task_instance, task_data,"
                    + " execution_time, picked, version) SELECT 'noop', 'noop-' || g, NULL, now() - interval '1 minute', FALSE, 1"
                    + " FROM generate_series(1, ?) g";
}
