package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A scheduler's claim reads the oldest due tasks from an index, in order, whatever the backlog: with 20,000 due tasks
 * a claim of 8 must not read and sort all 20,000. (Found by {@link PostgresTwoSchedulersTest}: with 10,000 due tasks
 * the two pollers spent most of their time in the claim, about 3,500 claims of 8 tasks or fewer.)
 */
class PostgresClaimPlanTest {
    private static final int DUE = 20_000;
    /** A scan node of EXPLAIN ANALYZE and the rows it actually produced. */
    private static final Pattern SCAN_ROWS =
            Pattern.compile("Scan .*\\(actual time=[0-9.]+\\.\\.[0-9.]+ rows=([0-9]+)");

    @Test
    void aClaimReadsTheOldestDueTasksInIndexOrderWithoutSortingTheBacklog() {
        try (TestDatabase.Isolated schema = PostgresServer.isolatedSchema()) {
            TaskSchema.migrate(schema.dataSource());
            Jdbi jdbi = Jdbi.create(schema.dataSource());
            Instant now = Instant.now();
            jdbi.useHandle(h -> {
                h.createUpdate("""
                        INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id, assigned_user_id,
                            creation_source, created_at, updated_at, start_at, due_to, failed, scheduled, body, attachment_ids)
                        SELECT nextval('te_task_id_seq'), 'claim-plan', 1, 8, 0, 0, g, 7, 0, :now - interval '1 day',
                            :now - interval '1 day', :now - g * interval '1 second', :now + interval '1 day', false, true,
                            'Hi', ''
                        FROM generate_series(1, :due) AS g
                        """)
                        .bind("now", SqlTimes.stored(now))
                        .bind("due", DUE)
                        .execute();
                h.execute("ANALYZE te_task");
            });
            List<String> lines = jdbi.withHandle(h -> h.createQuery("EXPLAIN ANALYZE "
                            + Dialect.POSTGRESQL.returningChanged(TaskSql.claimDue(Dialect.POSTGRESQL)))
                    .bind("now", SqlTimes.stored(now))
                    .bind("nowBound", SqlTimes.bound(now))
                    .bind("limit", 8)
                    .bind("owner", "claim-plan")
                    .bind("leaseUntil", SqlTimes.stored(now.plusSeconds(30)))
                    .mapTo(String.class)
                    .list());
            String plan = String.join("\n", lines);
            System.out.println("EXPLAIN ANALYZE claim of 8 among " + DUE + " due tasks:\n" + plan);
            long mostRowsScanned = lines.stream()
                    .map(SCAN_ROWS::matcher)
                    .filter(Matcher::find)
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .max()
                    .orElse(0);
            assertThat(mostRowsScanned)
                    .as("rows a claim of 8 reads among %d due tasks:\n%s", DUE, plan)
                    .isLessThanOrEqualTo(100);
        }
    }
}
