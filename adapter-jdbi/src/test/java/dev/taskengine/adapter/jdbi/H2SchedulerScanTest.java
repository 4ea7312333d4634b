package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.Test;

/**
 * On H2, which has no partial indexes and puts NULLs first in an index, the scheduler's time conditions read only the
 * rows that have the time: a poll over a table of tasks that are not scheduled reads the few due ones, not the table.
 * (The claims carry the same bound; their statements are exercised by the contract suites.)
 */
class H2SchedulerScanTest {
    private static final Instant NOW = Instant.parse("2026-03-02T09:30:00Z");
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");
    private static final int SCHEDULED = 20;

    @Test
    void theOldestDueTaskIsReadWithoutReadingTheTasksThatAreNotScheduled() {
        try (TestDatabase.Isolated database = TestDatabase.H2_MEMORY.isolated()) {
            Jdbi jdbi = fill(database);

            assertThat(scanned(jdbi, TaskSql.DUE_OLDEST, q -> q.bind("now", time(NOW))))
                    .isLessThanOrEqualTo(SCHEDULED + 1);
        }
    }

    @Test
    void theDueBacklogIsCountedWithoutReadingTheTasksThatAreNotScheduled() {
        try (TestDatabase.Isolated database = TestDatabase.H2_MEMORY.isolated()) {
            Jdbi jdbi = fill(database);

            assertThat(scanned(
                            jdbi,
                            TaskSql.DUE_BACKLOG,
                            q -> q.bind("now", time(NOW)).bind("limit", 1_000)))
                    .isLessThanOrEqualTo(SCHEDULED + 1);
        }
    }

    @Test
    void dueRemindersAreReadWithoutReadingTheTasksWithoutAReminder() {
        try (TestDatabase.Isolated database = TestDatabase.H2_MEMORY.isolated()) {
            Jdbi jdbi = fill(database);

            assertThat(scanned(
                            jdbi,
                            TaskSql.DUE_REMINDERS,
                            q -> q.bind(0, time(NOW)).bind(1, 50)))
                    .isLessThanOrEqualTo(SCHEDULED + 1);
        }
    }

    /** 20,000 tasks, of which every thousandth is scheduled and due, with a due reminder. */
    private static Jdbi fill(TestDatabase.Isolated database) {
        TaskSchema.migrate(database.dataSource());
        Jdbi jdbi = Jdbi.create(database.dataSource());
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO te_task (id, tenant, version, task_type, status, priority, assigned_user_id,"
                        + " creation_source, created_at, updated_at, start_at, due_to, failed, scheduled, body,"
                        + " attachment_ids, next_execution_at, remind_at) SELECT X, 'scan', 1, 8, 0, 1, 7, 0, ?, ?, ?, ?,"
                        + " FALSE, MOD(X, 1000) = 0, 'b', '', CASE WHEN MOD(X, 1000) = 0 THEN ? END,"
                        + " CASE WHEN MOD(X, 1000) = 0 THEN ? END FROM SYSTEM_RANGE(1, 20000)",
                time(NOW.minusSeconds(3600)),
                time(NOW.minusSeconds(3600)),
                time(NOW.minusSeconds(60)),
                time(NOW.plusSeconds(3600)),
                time(NOW.minusSeconds(60)),
                time(NOW.minusSeconds(60))));
        return jdbi;
    }

    /** How many rows H2 read to answer {@code sql} (its EXPLAIN ANALYZE's scanCount). */
    private static long scanned(Jdbi jdbi, String sql, UnaryOperator<Query> binding) {
        String plan = jdbi.withHandle(h -> binding.apply(h.createQuery("EXPLAIN ANALYZE " + sql))
                .mapTo(String.class)
                .one());
        Matcher scanned = SCAN_COUNT.matcher(plan);
        assertThat(scanned.find()).as(plan).isTrue();
        return Long.parseLong(scanned.group(1));
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
