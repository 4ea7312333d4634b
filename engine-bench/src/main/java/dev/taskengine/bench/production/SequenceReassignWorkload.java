package dev.taskengine.bench.production;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.bench.Databases;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Reassigning a sequence of 100,000 active tasks on PostgreSQL ({@code reassignSequence}), and what bounds it: the
 * time with and without events, one reassign taken apart by its statements (the lock, the UPDATE … RETURNING, the
 * history and outbox inserts, the commit, the relay) and the Java work between them, a JFR profile of the calling
 * thread, the plans of the lock and of the UPDATE, and what answering ids only would save, from the bare statements
 * run in transactions that are rolled back.
 */
public final class SequenceReassignWorkload implements Workload {
    static final String NAME = "sequence-reassign";
    private static final String SCHEMA = "bench_production_sequence";
    private static final SequenceId SEQUENCE = SequenceId.of(77);
    private static final TenantId TENANT = TenantId.of("sequence");
    private static final Actor ACTOR = Actor.user(UserId.of(7));
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(5);
    /** The assignee of the statements run again apart: neither of the two the sequence alternates between. */
    private static final UserId ELSEWHERE = UserId.of(10);

    /**
     * The parts of the work JFR's samples are sorted into: a sample is in the first part one of its frames is in (the
     * driver and Jdbi, which every part calls, last).
     */
    private static final List<Profile.Bucket> BUCKETS = List.of(
            new Profile.Bucket(
                    "mapping rows to tasks (TaskRowMapper)", List.of("dev.taskengine.adapter.jdbi.TaskRowMapper")),
            new Profile.Bucket(
                    "history entries (HistoryEntry.changed, FieldChange.between)",
                    List.of("dev.taskengine.domain.HistoryEntry.changed", "dev.taskengine.domain.FieldChange")),
            new Profile.Bucket(
                    "event payloads (TaskEvent.of, EventPayloads)", List.of("dev.taskengine.spi.TaskEvent.of")),
            new Profile.Bucket(
                    "writing history rows (insertHistory)",
                    List.of("dev.taskengine.adapter.jdbi.JdbiTaskStore.insertHistory")),
            new Profile.Bucket(
                    "writing outbox rows (insertEvents)",
                    List.of("dev.taskengine.adapter.jdbi.JdbiTaskStore.insertEvents")),
            new Profile.Bucket("relay (EventRelay)", List.of("dev.taskengine.internal.EventRelay")),
            new Profile.Bucket("JDBC driver (the lock and the UPDATE)", List.of("org.postgresql")),
            new Profile.Bucket("Jdbi", List.of("org.jdbi")));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "`reassignSequence` of a sequence of 100,000 active tasks on PostgreSQL, with events (every moved task's"
                + " event carries the task as JSON) and without; one reassign taken apart by statement and phase, a"
                + " JFR profile, the plans, and the ids-only path's statements measured apart (rolled back).";
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        int tasks = scale.pick(1_000, 100_000);
        int warmUps = scale.pick(1, 2);
        int samples = scale.pick(2, 5);
        int replays = scale.pick(1, 3);
        try (HikariDataSource dataSource = Databases.postgres(SCHEMA, true)) {
            TaskSchema.migrate(dataSource);
            fill(dataSource, tasks);
            Assignees assignees = new Assignees(tasks);
            Map<String, String> parameters = Map.of("tasks", Integer.toString(tasks), "database", "postgresql");

            TaskEngine withoutEvents =
                    TaskEngine.builder().store(new JdbiTaskStore(dataSource)).build();
            AtomicLong published = new AtomicLong();
            TaskEngine withEvents = TaskEngine.builder()
                    .store(new JdbiTaskStore(dataSource))
                    .events(event -> published.incrementAndGet())
                    .build();
            double[] without = time(assignees, withoutEvents, warmUps, samples);
            addTimes(report, "engine, no events", parameters, without);

            for (int i = 0; i < warmUps; i++) {
                assignees.move(withEvents);
            }
            Profile profile = Profile.start(SAMPLE_EVERY);
            double[] with = time(assignees, withEvents, 0, samples);
            Profile.Summary sampled = profile.stop(Thread.currentThread(), BUCKETS);
            addTimes(report, "engine, events", parameters, with);
            if (published.get() != (long) tasks * (warmUps + samples)) {
                throw new IllegalStateException(published.get() + " events published, not one per moved task");
            }

            StatementLog log = new StatementLog(dataSource);
            TaskEngine recorded = TaskEngine.builder()
                    .store(new JdbiTaskStore(log.dataSource()))
                    .events(event -> published.incrementAndGet())
                    .build();
            // Also the first reassign of the recorded engine's store, whose Jdbi parses and caches its statements.
            List<Task> before = assignees.move(recorded);
            log.start();
            long started = System.nanoTime();
            List<Task> after = assignees.move(recorded);
            long ended = System.nanoTime();
            StatementLog.Log noted = log.stop();
            Phases phases = Phases.of(noted, started, ended);
            phases.times()
                    .forEach((phase, nanos) -> report.row(
                            NAME, "engine, events", with(parameters, "phase", phase), "time", nanos / 1e6, "ms"));

            Map<String, Double> apart = javaApart(before, after, replays);
            apart.forEach((what, ms) ->
                    report.row(NAME, "engine, events", with(parameters, "measured apart", what), "time", ms, "ms"));
            report.exhibit(
                    NAME,
                    String.format(Locale.ROOT, "reassign of %,d tasks with events: where the time goes", tasks),
                    phases.render(ended - started) + "\nThe relay's statements:\n" + phases.relay("SELECT") + "\n"
                            + phases.relay("DELETE") + "\n\nMeasured apart on the same tasks:\n" + table(apart) + "\n"
                            + sampled.render(profile.period()));

            report.exhibit(
                    NAME,
                    String.format(Locale.ROOT, "the lock at %,d tasks: EXPLAIN (ANALYZE, BUFFERS, WAL)", tasks),
                    phases.lock().sql() + "\n\n" + log.explain(phases.lock()));
            report.exhibit(
                    NAME,
                    String.format(
                            Locale.ROOT, "the UPDATE … RETURNING at %,d tasks: EXPLAIN (ANALYZE, BUFFERS, WAL)", tasks),
                    phases.update().sql() + "\n\n" + log.explain(phases.moving()));
            StatementLog.Noted read = phases.lastOfRelay("SELECT");
            StatementLog.Noted delete = phases.lastOfRelay("DELETE");
            report.exhibit(
                    NAME,
                    String.format(
                            Locale.ROOT,
                            "the relay's last read and delete at %,d tasks, run again once the outbox is empty:"
                                    + " EXPLAIN (ANALYZE, BUFFERS, WAL)",
                            tasks),
                    read.sql() + "\n\n" + log.explain(read) + "\n" + delete.sql() + "\n\n" + log.explain(delete));

            Map<String, Double> idsOnly = idsOnly(dataSource, phases, replays);
            idsOnly.forEach((what, ms) -> report.row(
                    NAME, "statement alone, rolled back", with(parameters, "statement", what), "time", ms, "ms"));
            report.exhibit(
                    NAME,
                    String.format(Locale.ROOT, "ids only at %,d tasks: the statements alone, rolled back", tasks),
                    table(idsOnly));
        }
    }

    /** Alternates the sequence between users 8 and 9, and checks that every task moved. */
    private static final class Assignees {
        private final int tasks;
        private long moves;

        Assignees(int tasks) {
            this.tasks = tasks;
        }

        List<Task> move(TaskEngine engine) {
            UserId to = UserId.of(moves++ % 2 == 0 ? 8 : 9);
            List<Task> moved = engine.reassignSequence(ACTOR, TENANT, SEQUENCE, to)
                    .getOrElseThrow(SequenceReassignWorkload::failure);
            if (moved.size() != tasks) {
                throw new IllegalStateException(moved.size() + " of " + tasks + " tasks reassigned");
            }
            return moved;
        }
    }

    /** The wall time of {@code samples} reassigns after {@code warmUps}, in ms, sorted. */
    private static double[] time(Assignees assignees, TaskEngine engine, int warmUps, int samples) {
        for (int i = 0; i < warmUps; i++) {
            assignees.move(engine);
        }
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long started = System.nanoTime();
            assignees.move(engine);
            ms[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void addTimes(Report report, String contender, Map<String, String> parameters, double[] ms) {
        report.row(NAME, contender, parameters, "median", ms[ms.length / 2], "ms")
                .row(NAME, contender, parameters, "min", ms[0], "ms")
                .row(NAME, contender, parameters, "max", ms[ms.length - 1], "ms");
    }

    /**
     * One recorded reassign cut at its statements' edges: every nanosecond of the call is in exactly one phase, so
     * that the phases add up to the call.
     */
    record Phases(
            StatementLog.Noted lock,
            StatementLog.Noted update,
            List<StatementLog.Noted> relay,
            Map<String, Long> times) {
        static Phases of(StatementLog.Log log, long started, long ended) {
            StatementLog.Noted lock = first(log, sql -> sql.contains("FOR UPDATE") && sql.contains("sequence_id"));
            StatementLog.Noted update = first(log, sql -> sql.startsWith("WITH changed AS (UPDATE"));
            StatementLog.Noted history = first(log, sql -> sql.startsWith("INSERT INTO te_history"));
            StatementLog.Noted outbox = first(log, sql -> sql.startsWith("INSERT INTO te_task_event"));
            StatementLog.Commit commit = log.commits().stream()
                    .filter(c -> c.started() >= outbox.closed())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no commit after the outbox insert"));
            List<StatementLog.Noted> relay = log.statements().stream()
                    .filter(s -> s.prepared() >= commit.ended())
                    .toList();
            Map<String, Long> times = new LinkedHashMap<>();
            times.put("connection, BEGIN", lock.prepared() - started);
            times.put(
                    "lock: SELECT … FOR UPDATE of every column (database and transfer)",
                    lock.lastExecutionEnd() - lock.prepared());
            times.put("lock: mapping the rows to tasks", lock.afterExecution());
            times.put("ids sorted into an array, bound", update.firstExecution() - lock.closed());
            times.put(
                    "UPDATE … RETURNING every column (database and transfer)",
                    update.lastExecutionEnd() - update.firstExecution());
            times.put("UPDATE: mapping the rows to tasks", update.closed() - update.lastExecutionEnd());
            times.put("history entries and event payloads (Java)", history.prepared() - update.closed());
            times.put("history rows: binding", history.beforeExecution());
            times.put("history rows: INSERT batch", history.closed() - history.firstExecution());
            times.put("outbox rows: binding", outbox.firstExecution() - history.closed());
            times.put("outbox rows: INSERT batch", outbox.closed() - outbox.firstExecution());
            times.put("commit", commit.ended() - outbox.closed());
            times.put(
                    "relay: read back, publish, delete the events (" + relay.size() + " statements)",
                    ended - commit.ended());
            long sum = times.values().stream().mapToLong(Long::longValue).sum();
            if (sum != ended - started || times.values().stream().anyMatch(t -> t < 0)) {
                throw new IllegalStateException(
                        "the statements of the reassign are not in the order expected: " + times);
            }
            return new Phases(lock, update, relay, times);
        }

        String render(long total) {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%10s  %6s  phase%n", "ms", "share"));
            times.forEach((phase, nanos) -> text.append(
                    String.format(Locale.ROOT, "%10.1f  %5.1f %%  %s%n", nanos / 1e6, 100.0 * nanos / total, phase)));
            return text.append(String.format(Locale.ROOT, "%10.1f  100.0 %%  the call%n", total / 1e6))
                    .toString();
        }

        /** The relay's statements of one kind ({@code SELECT}, {@code DELETE}): how many, their time, the first's and the last's. */
        String relay(String verb) {
            List<Long> times = relay.stream()
                    .filter(s -> s.sql().stripLeading().startsWith(verb))
                    .map(s -> s.closed() - s.prepared())
                    .toList();
            if (times.isEmpty()) {
                return "no " + verb;
            }
            return String.format(
                    Locale.ROOT,
                    "%d × %s: %.1f ms in all, the first %.2f ms, the last %.2f ms",
                    times.size(),
                    verb,
                    times.stream().mapToLong(Long::longValue).sum() / 1e6,
                    times.get(0) / 1e6,
                    times.get(times.size() - 1) / 1e6);
        }

        /**
         * The UPDATE as a real move again: to another user, at a later time. Run again as it ran, it would change no
         * indexed column (the tasks have that assignee already, and their change time is no earlier), so PostgreSQL
         * would update every row in place (HOT), which the reassign itself cannot.
         */
        StatementLog.Noted moving() {
            return update.with(1, ELSEWHERE.value()).with(2, OffsetDateTime.now(ZoneOffset.UTC));
        }

        /** The relay's last statement of one kind. */
        StatementLog.Noted lastOfRelay(String verb) {
            return relay.stream()
                    .filter(s -> s.sql().stripLeading().startsWith(verb))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("the relay ran no " + verb));
        }

        private static StatementLog.Noted first(StatementLog.Log log, Predicate<String> sql) {
            return log.statements().stream()
                    .filter(s -> sql.test(s.sql().stripLeading()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the reassign ran no such statement: " + log));
        }
    }

    /**
     * The Java work between the UPDATE and the inserts, measured apart on the tasks of two reassigns in a row (the
     * first's answer is the second's tasks before it): the history entries alone, then the events alone.
     */
    private static Map<String, Double> javaApart(List<Task> before, List<Task> after, int replays) {
        for (int i = 0; i < after.size(); i++) {
            if (!before.get(i).id().equals(after.get(i).id())) {
                throw new IllegalStateException("two reassigns answered their tasks in different orders");
            }
        }
        List<HistoryEntry> entries = new ArrayList<>();
        double[] history = new double[replays];
        double[] events = new double[replays];
        long payloadChars = 0;
        for (int r = 0; r < replays; r++) {
            entries.clear();
            long started = System.nanoTime();
            for (int i = 0; i < after.size(); i++) {
                entries.add(HistoryEntry.changed(
                        UUID.randomUUID(), TaskEventType.REASSIGNED, before.get(i), after.get(i), ACTOR));
            }
            history[r] = (System.nanoTime() - started) / 1e6;
            started = System.nanoTime();
            payloadChars = 0;
            for (int i = 0; i < after.size(); i++) {
                payloadChars +=
                        TaskEvent.of(entries.get(i), after.get(i)).payload().length();
            }
            events[r] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(history);
        Arrays.sort(events);
        Map<String, Double> apart = new LinkedHashMap<>();
        apart.put("history entries (HistoryEntry.changed)", history[replays / 2]);
        apart.put(
                String.format(
                        Locale.ROOT,
                        "event payloads (TaskEvent.of; %,d characters of JSON on average)",
                        payloadChars / after.size()),
                events[replays / 2]);
        return apart;
    }

    /**
     * What the engine's statements cost without mapping their rows, beside what an ids-only reassign would run: each
     * alone, with the parameters the engine's ran with, in a transaction rolled back (median of {@code replays}).
     */
    private static Map<String, Double> idsOnly(HikariDataSource dataSource, Phases phases, int replays)
            throws SQLException {
        StatementLog.Noted lock = phases.lock();
        StatementLog.Noted update = phases.update();
        String bareUpdate = update.sql()
                .substring("WITH changed AS (".length(), update.sql().indexOf(" RETURNING "));
        String lockIds = "SELECT id" + lock.sql().substring(lock.sql().indexOf(" FROM te_task "));
        Binding asLocked = s -> StatementLog.bind(s, lock);
        StatementLog.Noted moving = phases.moving();
        Binding asUpdated = s -> StatementLog.bind(s, moving);
        Map<String, Double> times = new LinkedHashMap<>();
        times.put(
                "the engine's lock (every column), rows left unmapped",
                replay(dataSource, lock.sql(), asLocked, replays));
        times.put("lock answering ids only: SELECT id … FOR UPDATE", replay(dataSource, lockIds, asLocked, replays));
        times.put(
                "the engine's UPDATE … RETURNING every column, rows left unmapped",
                replay(dataSource, update.sql(), asUpdated, replays));
        times.put("UPDATE … RETURNING id", replay(dataSource, bareUpdate + " RETURNING id", asUpdated, replays));
        // The parameters of the engine's statements: lock (tenant, sequence), UPDATE (assignee, now, tenant, ids).
        List<Object> values = List.of(
                StatementLog.value(lock, 1),
                StatementLog.value(lock, 2),
                StatementLog.value(moving, 1),
                StatementLog.value(moving, 2),
                StatementLog.value(lock, 1),
                StatementLog.value(lock, 1),
                ACTOR.wireName());
        times.put(
                "ids only in one statement: lock, UPDATE and history rows made in SQL, RETURNING id",
                replay(
                        dataSource,
                        ONE_STATEMENT,
                        s -> {
                            for (int i = 0; i < values.size(); i++) {
                                s.setObject(i + 1, values.get(i));
                            }
                        },
                        replays));
        return times;
    }

    /**
     * A prototype of an ids-only reassign without events, for its cost only: the tasks locked in id order, moved, and
     * each one's history row ({@code Reassigned}, its assignee before and after, encoded as {@code HistoryChanges}
     * does) made by the database from the moved rows, answering the moved ids.
     */
    private static final String ONE_STATEMENT = "WITH locked AS (SELECT id, assigned_user_id FROM te_task"
            + " WHERE tenant = ? AND sequence_id = ? AND status IN (0, 6) ORDER BY id FOR UPDATE),"
            + " moved AS (UPDATE te_task t SET assigned_user_id = ?, version = t.version + 1,"
            + " updated_at = GREATEST(t.updated_at, ?),"
            + " claim_owner = CASE WHEN t.execution_key IS NULL THEN NULL ELSE t.claim_owner END,"
            + " claim_until = CASE WHEN t.execution_key IS NULL THEN NULL ELSE t.claim_until END"
            + " FROM locked l WHERE t.tenant = ? AND t.id = l.id"
            + " RETURNING t.id, t.version, t.updated_at, t.status, l.assigned_user_id AS moved_from, t.assigned_user_id AS moved_to),"
            + " kept AS (INSERT INTO te_history (tenant, id, task_id, version, occurred_at, actor, event_type,"
            + " status_before, status_after, changes) SELECT ?, gen_random_uuid(), id, version, updated_at, ?, 2,"
            + " status, status, '14:assignedUserId' || length(moved_from::text) || ':' || moved_from || length(moved_to::text) || ':' || moved_to"
            + " FROM moved)"
            + " SELECT id FROM moved ORDER BY id";

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** The median time of {@code sql} bound by {@code binding} and its rows read, each run rolled back. */
    private static double replay(HikariDataSource dataSource, String sql, Binding binding, int replays)
            throws SQLException {
        double[] ms = new double[replays];
        for (int r = 0; r < replays; r++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long started = System.nanoTime();
                    try (PreparedStatement statement = c.prepareStatement(sql)) {
                        binding.bind(statement);
                        try (ResultSet rows = statement.executeQuery()) {
                            while (rows.next()) {
                                // read only, as the driver answers them
                            }
                        }
                    }
                    ms[r] = (System.nanoTime() - started) / 1e6;
                } finally {
                    c.rollback();
                }
            }
        }
        Arrays.sort(ms);
        return ms[replays / 2];
    }

    /** {@code tasks} active call tasks of the sequence, one per contact, assigned to user 7 (as SequenceReassignBenchmark). */
    private static void fill(HikariDataSource dataSource, int tasks) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM te_task_event");
            s.executeUpdate("DELETE FROM te_history");
            s.executeUpdate("DELETE FROM te_task");
            s.executeUpdate("INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id,"
                    + " assigned_user_id, creation_source, sequence_id, sequence_step_id, step_display_name, created_at,"
                    + " updated_at, start_at, due_to, failed, scheduled, body, attachment_ids, failed_attempts)"
                    + " SELECT nextval('te_task_id_seq'), '" + TENANT.value() + "', 1, 2, 0, 1, i, 7, 1, "
                    + SEQUENCE.value() + ", 1 + MOD(i, 3), 'Step 2 - Call', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + INTERVAL '1' DAY, FALSE, FALSE,"
                    + " 'Follow-up call with the prospect', '', 0 FROM generate_series(1, " + tasks + ") AS i");
            s.execute("VACUUM ANALYZE te_task");
        }
    }

    private static String table(Map<String, Double> ms) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%10s  what%n", "ms"));
        ms.forEach((what, value) -> text.append(String.format(Locale.ROOT, "%10.1f  %s%n", value, what)));
        return text.toString();
    }

    private static Map<String, String> with(Map<String, String> parameters, String key, String value) {
        Map<String, String> more = new HashMap<>(parameters);
        more.put(key, value);
        return more;
    }

    private static IllegalStateException failure(TaskError error) {
        return new IllegalStateException("the engine refused: " + error);
    }
}
