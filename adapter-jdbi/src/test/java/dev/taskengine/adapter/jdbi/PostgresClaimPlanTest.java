package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A scheduler's claim reads the oldest due tasks from an index, in order, whatever the backlog: with 20,000 due tasks
 * a claim of 8 must not read and sort all 20,000 (found by {@link PostgresTwoSchedulersTest}: with 10,000 due tasks
 * the two pollers spent most of their time in the claim). And it never reads a task the sending policy deferred: with
 * 100,000 deferred tasks in the table, a claim reads the due ones only.
 */
class PostgresClaimPlanTest {
    private static final int DUE = 20_000;
    private static final int DEFERRED = 100_000;
    /** A scan node of EXPLAIN ANALYZE and the rows it actually produced. */
    private static final Pattern SCAN_ROWS =
            Pattern.compile("Scan .*\\(actual time=[0-9.]+\\.\\.[0-9.]+ rows=([0-9]+)");

    /** Inserts {@code count} scheduled SMS tasks of {@code tenant}, started, next executable at {@code nextAt}. */
    private static void insert(Handle h, String tenant, int count, Instant now, String nextAt, String deferral) {
        h.createUpdate("""
                INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id, assigned_user_id,
                    creation_source, created_at, updated_at, start_at, due_to, failed, scheduled, body, attachment_ids,
                    deferred_until, deferral_reason, next_execution_at)
                SELECT nextval('te_task_id_seq'), :tenant, 1, 8, 0, 0, g, 7, 0, :now - interval '1 day',
                    :now - interval '1 day', :now - g * interval '1 second', :now + interval '1 day', false, true,
                    'Hi', '', %s, %s, %s
                FROM generate_series(1, :count) AS g
                """.formatted(deferral, deferral.equals("NULL") ? "NULL" : "'sending.dailyLimit'", nextAt))
                .bind("tenant", tenant)
                .bind("now", SqlTimes.stored(now))
                .bind("count", count)
                .execute();
    }

    private static List<String> explainClaim(Jdbi jdbi, Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, BUFFERS) "
                        + Dialect.POSTGRESQL.returningChanged(TaskSql.claimDue(Dialect.POSTGRESQL)))
                .bind("now", SqlTimes.stored(now))
                .bind("nowBound", SqlTimes.bound(now))
                .bind("limit", limit)
                .bind("owner", "claim-plan")
                .bind("leaseUntil", SqlTimes.stored(now.plusSeconds(30)))
                .mapTo(String.class)
                .list());
    }

    private static long mostRowsScanned(List<String> lines) {
        return lines.stream()
                .map(SCAN_ROWS::matcher)
                .filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1)))
                .max()
                .orElse(0);
    }

    @Test
    void aClaimReadsTheOldestDueTasksInIndexOrderWithoutSortingTheBacklog() {
        try (TestDatabase.Isolated schema = PostgresServer.isolatedSchema()) {
            TaskSchema.migrate(schema.dataSource());
            Jdbi jdbi = Jdbi.create(schema.dataSource());
            Instant now = Instant.now();
            jdbi.useHandle(h -> {
                insert(h, "claim-plan", DUE, now, ":now - g * interval '1 second'", "NULL");
                h.execute("ANALYZE te_task");
            });
            List<String> lines = explainClaim(jdbi, now, 8);
            String plan = String.join("\n", lines);
            System.out.println("EXPLAIN ANALYZE claim of 8 among " + DUE + " due tasks:\n" + plan);
            assertThat(plan).contains("te_task_next_execution_idx");
            assertThat(mostRowsScanned(lines))
                    .as("rows a claim of 8 reads among %d due tasks:\n%s", DUE, plan)
                    .isBetween(8L, 100L);
        }
    }

    @Test
    void aClaimNeverReadsTheDeferredTasks() {
        try (TestDatabase.Isolated schema = PostgresServer.isolatedSchema()) {
            TaskSchema.migrate(schema.dataSource());
            Jdbi jdbi = Jdbi.create(schema.dataSource());
            Instant now = Instant.now();
            jdbi.useHandle(h -> {
                // One account's backlog, deferred to tomorrow, started before every due task of another tenant.
                String tomorrow = ":now + interval '1 day' + g * interval '1 second'";
                insert(h, "deferred-backlog", DEFERRED, now, tomorrow, tomorrow);
                insert(h, "due-now", 50, now, ":now - g * interval '1 second'", "NULL");
                h.execute("ANALYZE te_task");
            });
            List<String> lines = explainClaim(jdbi, now, 50);
            String plan = String.join("\n", lines);
            System.out.println("EXPLAIN (ANALYZE, BUFFERS) claim of 50 due tasks beside " + DEFERRED
                    + " deferred tasks:\n" + plan);
            assertThat(plan).contains("te_task_next_execution_idx").doesNotContain("Seq Scan on te_task");
            assertThat(mostRowsScanned(lines))
                    .as("rows a claim reads beside %d deferred tasks:\n%s", DEFERRED, plan)
                    .isEqualTo(50L);
        }
    }
}
