package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.TaskSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scaling datasets, made with one INSERT … SELECT over a generated range (never one insert per row), kept between
 * runs (PostgreSQL: schema {@code bench_page_<n>}; H2: a file database under {@link #folder()}) and remade only when
 * their marker does not match.
 *
 * <p>The shape: one tenant, {@value #TASKS_PER_USER} tasks per user (so {@code n / 2000} users: 5 at 10k, 500 at 1M,
 * 5,000 at 10M), start times spread evenly over 20 weeks around the benchmark's week ({@link #WEEK}, 10 weeks before to
 * 10 after), due 1 to 48 hours after the start; 70 % active (60 % new, 10 % in progress), 20 % finished, 10 % skipped;
 * seven task types; none scheduled. Each user thus has about 70 active tasks starting in any week: "my active tasks
 * this week" fills a first page of 50 at every size, and the table around it grows 100-fold from 10k to 1M, 1,000-fold
 * to 10M (made on PostgreSQL only: about 4 minutes and 5 GB on 2 cores).
 */
public final class ScalingData {
    public static final int TASKS_PER_USER = 2_000;
    public static final Instant WEEK = Instant.parse("2026-03-02T00:00:00Z");
    public static final Instant NEXT_WEEK = WEEK.plus(Duration.ofDays(7));
    public static final String TENANT = "scale";
    private static final int MINUTES_IN_20_WEEKS = 20 * 7 * 24 * 60;
    private static final String VERSION = "page-v2";
    private static final int CHUNK = 50_000;

    private ScalingData() {}

    public static Path folder() {
        return Path.of(System.getProperty(
                "taskengine.bench.data",
                Path.of(System.getProperty("java.io.tmpdir"), "taskengine-bench")
                        .toString()));
    }

    /** A pool on the dataset of {@code rows} tasks in {@code db} (h2 or postgresql), made first if missing. */
    public static HikariDataSource open(String db, int rows) throws SQLException {
        boolean postgres = db.equals("postgresql");
        HikariDataSource dataSource =
                postgres ? Databases.postgres("bench_page_" + rows, false) : Databases.h2File(folder(), "page-" + rows);
        String marker = VERSION + "/" + rows;
        if (!marker.equals(marker(dataSource))) {
            long started = System.nanoTime();
            reset(dataSource, postgres);
            TaskSchema.migrate(dataSource);
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                // The migration's indexes are dropped for the load and made again after it, exactly as they were:
                // building an index over a full table is several times faster than growing it row by row.
                List<String> indexes = postgres ? postgresIndexes(s) : h2Indexes(s);
                if (postgres) {
                    // This session's index builds sort in up to 1 GB (the server's default of 64 MB makes a build over
                    // 10M rows spill to disk).
                    s.execute("SET maintenance_work_mem = '1GB'");
                }
                for (String index : indexes) {
                    s.execute("DROP INDEX " + index.split(" ")[2]);
                }
                // In chunks of CHUNK rows, each one INSERT … SELECT: H2 slows down badly on one huge transaction.
                long loading = System.nanoTime();
                for (int from = 1; from <= rows; from += CHUNK) {
                    int to = Math.min(rows, from + CHUNK - 1);
                    s.executeUpdate(postgres ? postgresInsert(rows, from, to) : h2Insert(rows, from, to));
                }
                long indexing = System.nanoTime();
                for (String index : indexes) {
                    s.execute(index);
                }
                System.out.printf(
                        "# dataset %s/%d: rows loaded in %.1f s, indexes made in %.1f s%n",
                        db, rows, (indexing - loading) / 1e9, (System.nanoTime() - indexing) / 1e9);
                s.execute(
                        postgres
                                ? "SELECT setval('te_task_id_seq', " + rows + ")"
                                : "ALTER SEQUENCE te_task_id_seq RESTART WITH " + (rows + 1));
                s.execute("CREATE TABLE bench_dataset (marker VARCHAR(100) NOT NULL)");
                s.execute("INSERT INTO bench_dataset VALUES ('" + marker + "')");
                s.execute(postgres ? "VACUUM ANALYZE te_task" : "ANALYZE");
            }
            System.out.printf("# dataset %s/%d made in %.1f s%n", db, rows, (System.nanoTime() - started) / 1e9);
        } else {
            // A dataset made by an earlier engine gets the engine's later migrations, as a host's database would.
            TaskSchema.migrate(dataSource);
        }
        return dataSource;
    }

    /** The secondary indexes of te_task as CREATE INDEX statements (name third), from PostgreSQL's catalogue. */
    private static List<String> postgresIndexes(Statement s) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename = 'te_task' AND indexname <> 'te_task_pkey' ORDER BY indexname")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        return indexes;
    }

    /** The same from H2's INFORMATION_SCHEMA (H2's are plain ascending indexes on columns). */
    private static List<String> h2Indexes(Statement s) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(
                "SELECT i.INDEX_NAME, LISTAGG(c.COLUMN_NAME, ', ') WITHIN GROUP (ORDER BY c.ORDINAL_POSITION)"
                        + " FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                        + " ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                        + " WHERE i.TABLE_NAME = 'TE_TASK' AND i.INDEX_TYPE_NAME = 'INDEX' AND i.TABLE_SCHEMA = SCHEMA()"
                        + " GROUP BY i.INDEX_NAME ORDER BY i.INDEX_NAME")) {
            while (rs.next()) {
                indexes.add("CREATE INDEX " + rs.getString(1) + " ON te_task (" + rs.getString(2) + ")");
            }
        }
        return indexes;
    }

    public static int users(int rows) {
        return Math.max(1, rows / TASKS_PER_USER);
    }

    private static String marker(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT marker FROM bench_dataset")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private static void reset(HikariDataSource dataSource, boolean postgres) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            if (postgres) {
                String schema = c.getSchema();
                s.execute("DROP SCHEMA " + schema + " CASCADE");
                s.execute("CREATE SCHEMA " + schema);
            } else {
                s.execute("DROP ALL OBJECTS");
            }
        }
    }

    /** Columns and values shared by both dialects; {@code i} is the row number, {@code s} its start time. */
    private static String columns() {
        return "INSERT INTO te_task (id, tenant, version, task_type, linkedin_task_type, status, priority, assigned_user_id,"
                + " creation_source, created_at, updated_at, start_at, due_to, finished_at, skipped_at, failed, scheduled,"
                + " subject, body, attachment_ids, failed_attempts) ";
    }

    private static String values(int rows, String hoursAfterStart, String oneHourAfterStart, String dayBeforeStart) {
        // The state cycles over a user's own tasks (i / users), so that it does not follow the user (i mod users).
        String state = "MOD(i / " + users(rows) + ", 10)";
        return "SELECT i, '" + TENANT + "', 1,"
                + " CASE MOD(i, 7) WHEN 0 THEN 0 WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 5 WHEN 4 THEN 7 WHEN 5 THEN 8 ELSE 9 END,"
                + " CASE MOD(i, 7) WHEN 3 THEN 1 END,"
                + " CASE " + state + " WHEN 6 THEN 6 WHEN 7 THEN 1 WHEN 8 THEN 1 WHEN 9 THEN 7 ELSE 0 END,"
                + " MOD(i, 3), 1 + MOD(i, " + users(rows) + "), 0, " + dayBeforeStart + ", " + dayBeforeStart + ", s, "
                + hoursAfterStart + ","
                + " CASE WHEN " + state + " IN (7, 8) THEN " + oneHourAfterStart + " END,"
                + " CASE WHEN " + state + " = 9 THEN " + oneHourAfterStart + " END,"
                + " FALSE, FALSE, CASE MOD(i, 7) WHEN 4 THEN 'Proposal follow-up' END,"
                + " 'Follow up with the prospect about the proposal sent last week (task ' || i || ')', '', 0";
    }

    private static String postgresInsert(int rows, int from, int to) {
        return columns()
                + values(
                        rows,
                        "s + (1 + MOD(i, 48)) * interval '1 hour'",
                        "s + interval '1 hour'",
                        "s - interval '1 day'")
                + " FROM (SELECT i, timestamptz '2026-03-02 00:00:00+00' - interval '10 weeks'"
                + " + MOD(i::bigint * 7919, " + MINUTES_IN_20_WEEKS + ") * interval '1 minute' AS s"
                + " FROM generate_series(" + from + ", " + to + ") AS i) AS g";
    }

    private static String h2Insert(int rows, int from, int to) {
        return columns()
                + values(rows, "DATEADD(HOUR, 1 + MOD(i, 48), s)", "DATEADD(HOUR, 1, s)", "DATEADD(DAY, -1, s)")
                + " FROM (SELECT X AS i, DATEADD(MINUTE, MOD(X * 7919, " + MINUTES_IN_20_WEEKS + ") - 10 * 7 * 24 * 60,"
                + " TIMESTAMP WITH TIME ZONE '2026-03-02 00:00:00+00') AS s FROM SYSTEM_RANGE(" + from + ", " + to
                + ")) AS g";
    }
}
