package dev.taskengine.bench.production;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.bench.ScalingData;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.store.DueTasks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The README's first page, the scheduler's claim and a per-task get on PostgreSQL tables of 10k to 10M tasks (the
 * {@link ScalingData} sets, made once and kept), each call timed one at a time after a warm-up, with its plan ({@code
 * EXPLAIN (ANALYZE, BUFFERS, WAL)}) at the smallest and the largest size.
 *
 * <p>Each first page is another user's (round the set's users), each get another task drawn at random from the whole
 * table, so that at 10M most of what a call reads is not in PostgreSQL's buffers, as in production. The sets hold no
 * scheduled task: for the claim, {@value #DUE} due scheduled SMS tasks of a tenant of their own are added to the set
 * for the measurement and removed after it; each claim's lease ends as it is taken, so that every claim finds the same
 * tasks due again (as in {@code ClaimBenchmark}).
 */
public final class TenMillionWorkload implements Workload {
    static final String NAME = "ten-million";
    private static final List<Integer> FULL_SIZES = List.of(10_000, 100_000, 1_000_000, 10_000_000);
    private static final List<Integer> SMOKE_SIZES = List.of(10_000, 100_000);
    private static final int DUE = 50;
    private static final int PAGE = 50;
    private static final String DUE_TENANT = "scale-due";
    private static final String OWNER = "bench-ten-million";
    private static final TenantId TENANT = TenantId.of(ScalingData.TENANT);

    /** The three calls measured. */
    enum Call {
        FIRST_PAGE("first page"),
        CLAIM("claim"),
        GET("get");

        final String label;

        Call(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "The README's first page (50 of a user's active tasks this week, soonest due first; another user each"
                + " call), the scheduler's claim of " + DUE + " due tasks and a get of a task drawn at random, one call"
                + " at a time on PostgreSQL, at 10k, 100k, 1M and 10M tasks (`ScalingData`'s sets).";
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        List<Integer> sizes = scale.pick(SMOKE_SIZES, FULL_SIZES);
        CallLatency.Plan plan = scale.pick(
                new CallLatency.Plan(Duration.ofMillis(200), Duration.ofMillis(300), 20),
                new CallLatency.Plan(Duration.ofSeconds(5), Duration.ofSeconds(15), 500));
        Map<Call, List<Report.Point>> curves = new EnumMap<>(Call.class);
        Map<Call, Map<Integer, CallLatency>> measured = new EnumMap<>(Call.class);
        for (int tasks : sizes) {
            long opening = System.nanoTime();
            try (HikariDataSource dataSource = ScalingData.open("postgresql", tasks)) {
                report.row(NAME, "dataset", parameters(tasks), "ready in", (System.nanoTime() - opening) / 1e9, "s");
                Calls calls = new Calls(tasks, new JdbiTaskStore(dataSource));
                // The plans come from calls of an engine on the log's data source, never timed.
                StatementLog log = new StatementLog(dataSource);
                Calls noted = new Calls(tasks, new JdbiTaskStore(log.dataSource()));
                addDue(dataSource);
                try {
                    for (Call call : Call.values()) {
                        CallLatency latency = CallLatency.of(plan, calls.of(call));
                        measured.computeIfAbsent(call, c -> new TreeMap<>()).put(tasks, latency);
                        curves.computeIfAbsent(call, c -> new ArrayList<>())
                                .add(new Report.Point(tasks, latency.p50()));
                        Map<String, String> parameters = parameters(tasks);
                        parameters.put("call", call.label);
                        report.row(NAME, "engine", parameters, "p50", latency.p50(), "µs")
                                .row(NAME, "engine", parameters, "p99", latency.p99(), "µs")
                                .row(NAME, "engine", parameters, "mean", latency.mean(), "µs")
                                .row(NAME, "engine", parameters, "samples", latency.samples(), "calls");
                        if (tasks == sizes.get(0) || tasks == sizes.get(sizes.size() - 1)) {
                            explain(report, log, call, tasks, noted.of(call));
                        }
                    }
                } finally {
                    removeDue(dataSource);
                }
            }
        }
        report.figure(new Report.Figure(
                NAME,
                "Latency against table size (PostgreSQL, median of single calls)",
                "tasks in the table",
                "median latency (µs)",
                true,
                false,
                curves.entrySet().stream()
                        .map(e -> new Report.Series(e.getKey().label, e.getValue()))
                        .toList()));
        int smallest = sizes.get(0);
        int largest = sizes.get(sizes.size() - 1);
        for (Call call : Call.values()) {
            CallLatency small = measured.get(call).get(smallest);
            CallLatency large = measured.get(call).get(largest);
            report.target(new Report.Target(
                    NAME,
                    String.format(Locale.ROOT, "%s at %,d vs at %,d tasks, PostgreSQL", call.label, largest, smallest),
                    large.p50() / small.p50(),
                    "×",
                    1.5,
                    false,
                    String.format(
                            Locale.ROOT,
                            "median %s ÷ %s µs (p99 %s ÷ %s µs)",
                            Report.number(large.p50()),
                            Report.number(small.p50()),
                            Report.number(large.p99()),
                            Report.number(small.p99()))));
        }
    }

    /** The calls on the set of {@code tasks} tasks, each taking the next user or task of its round. */
    private static final class Calls {
        private final int tasks;
        private final JdbiTaskStore store;
        private final TaskEngine engine;
        private final List<TaskQuery> firstPages = new ArrayList<>();
        private final long[] ids = new long[1_000_000];
        private int nextPage;
        private int nextId;

        Calls(int tasks, JdbiTaskStore store) {
            this.tasks = tasks;
            this.store = store;
            this.engine = TaskEngine.builder().store(store).build();
            for (int user = 1; user <= ScalingData.users(tasks); user++) {
                firstPages.add(TaskQuery.forTenant(TENANT)
                        .assignee(UserId.of(user))
                        .active()
                        .startingBetween(ScalingData.WEEK, ScalingData.NEXT_WEEK)
                        .sort(TaskSort.DUE_TO_ASC)
                        .limit(PAGE)
                        .build());
            }
            SplittableRandom random = new SplittableRandom(17);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextLong(1, tasks + 1L);
            }
        }

        Runnable of(Call call) {
            return switch (call) {
                case FIRST_PAGE -> this::firstPage;
                case CLAIM -> this::claim;
                case GET -> this::get;
            };
        }

        private void firstPage() {
            TaskQuery query = firstPages.get(nextPage++ % firstPages.size());
            int size = engine.query(query)
                    .getOrElseThrow(TenMillionWorkload::failure)
                    .tasks()
                    .size();
            if (size != PAGE) {
                throw new IllegalStateException("a first page of " + tasks + " tasks holds " + size + ", not " + PAGE);
            }
        }

        private void claim() {
            Instant now = Instant.now();
            List<Task> claimed = store.claimDue(new DueTasks(now, now.minusSeconds(300), DUE, OWNER, now));
            if (claimed.size() != DUE) {
                throw new IllegalStateException("claimed " + claimed.size() + " tasks, not the " + DUE + " due ones");
            }
        }

        private void get() {
            long id = ids[nextId++ % ids.length];
            TaskDetail detail = engine.get(TENANT, TaskId.of(id), true).getOrElseThrow(TenMillionWorkload::failure);
            if (detail.content().isEmpty()) {
                throw new IllegalStateException("task " + id + " came without its content");
            }
        }
    }

    /** Runs {@code call} once more, noting its statements, and adds each statement's plan as an exhibit. */
    private static void explain(Report report, StatementLog log, Call call, int tasks, Runnable once)
            throws SQLException {
        log.start();
        once.run();
        StatementLog.Log noted = log.stop();
        StringBuilder text = new StringBuilder();
        for (StatementLog.Noted statement : noted.statements()) {
            if (statement.explainable()) {
                text.append(statement.sql())
                        .append("\n\n")
                        .append(log.explain(statement))
                        .append('\n');
            }
        }
        report.exhibit(
                NAME,
                String.format(
                        Locale.ROOT,
                        "%s at %,d tasks: EXPLAIN (ANALYZE, BUFFERS, WAL), run right after the call (its pages show as"
                                + " hits: their number is what one call reads)",
                        call.label,
                        tasks),
                text.toString());
    }

    /** {@value #DUE} started scheduled SMS tasks, due one second apart up to now (as ClaimBenchmark's). */
    private static void addDue(HikariDataSource dataSource) throws SQLException {
        removeDue(dataSource);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id,"
                    + " assigned_user_id, creation_source, created_at, updated_at, start_at, due_to, failed, scheduled,"
                    + " body, attachment_ids, failed_attempts, next_execution_at)"
                    + " SELECT nextval('te_task_id_seq'), '" + DUE_TENANT + "', 1, 8, 0, 1, g, 7, 0,"
                    + " date_trunc('milliseconds', now()) - interval '1 day',"
                    + " date_trunc('milliseconds', now()) - interval '1 day',"
                    + " date_trunc('milliseconds', now()) - interval '1 hour' - g * interval '1 second',"
                    + " date_trunc('milliseconds', now()) + interval '1 day', FALSE, TRUE, 'Hi', '', 0,"
                    + " date_trunc('milliseconds', now()) - g * interval '1 second'"
                    + " FROM generate_series(1, " + DUE + ") AS g");
        }
    }

    private static void removeDue(HikariDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM te_task WHERE tenant = '" + DUE_TENANT + "'");
        }
    }

    private static Map<String, String> parameters(int tasks) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("tasks", Integer.toString(tasks));
        parameters.put("database", "postgresql");
        return parameters;
    }

    private static IllegalStateException failure(TaskError error) {
        return new IllegalStateException("the engine refused: " + error);
    }
}
