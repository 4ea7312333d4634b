package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.store.Keyset;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL plans the engine's main queries with the schema's indexes, on a table of more than 100,000 rows: the
 * statements explained are exactly those the store runs, with the same bound values.
 */
class PostgresQueryPlanTest {
    private static final TenantId TENANT = TenantId.of("explain-plan");
    private static final int ROWS = 120_000;
    private static final Instant NOW = Instant.parse("2026-03-02T09:30:00Z");

    private static Jdbi jdbi;

    /** Once per run, before the first test (and skipped, or failed on CI, with the tests when there is no server). */
    @BeforeEach
    void fillATenantWithMoreThanAHundredThousandTasks() {
        synchronized (PostgresQueryPlanTest.class) {
            if (jdbi == null) {
                jdbi = fill(Jdbi.create(TestDatabase.POSTGRESQL.dataSource()));
            }
        }
    }

    private static Jdbi fill(Jdbi jdbi) {
        jdbi.useTransaction(h -> {
            h.execute("DELETE FROM te_task WHERE tenant = ?", TENANT.value());
            // 200 assignees, 20,000 contacts, 5,000 sequences (half the tasks), a year of start times; 30% new,
            // 10% in progress, 60% finished; every fifth task scheduled.
            h.createUpdate("""
                    INSERT INTO te_task (id, tenant, version, task_type, linkedin_task_type, status, priority, contact_id,
                        assigned_user_id, creation_source, sequence_id, sequence_step_id, step_display_name, created_at,
                        updated_at, start_at, due_to, finished_at, skipped_at, reopened_at, reopen_reason, disposition,
                        failed, scheduled, subject, body, attachment_ids)
                    SELECT nextval('te_task_id_seq'), :tenant, 1, 0, NULL, status, g % 3, 1 + g % 20000, 1 + g % 200,
                        g % 2, CASE WHEN g % 2 = 1 THEN 1 + g % 5000 END, CASE WHEN g % 2 = 1 THEN 1 + g % 7 END,
                        CASE WHEN g % 2 = 1 THEN 'Step' END, start_at - interval '1 day', start_at - interval '1 day',
                        start_at, start_at + interval '1 day', CASE WHEN status = 1 THEN start_at END, NULL, NULL, NULL,
                        NULL, false, g % 5 = 0, NULL, 'Task ' || g, ''
                    FROM (SELECT g,
                                 CASE WHEN g % 10 < 3 THEN 0 WHEN g % 10 = 3 THEN 6 ELSE 1 END AS status,
                                 timestamptz '2026-01-01 00:00:00+00' + (g % 365) * interval '1 day'
                                     + (g % 1440) * interval '1 minute' AS start_at
                          FROM generate_series(1, :rows) AS g) AS generated
                    """)
                    .bind("tenant", TENANT.value())
                    .bind("rows", ROWS)
                    .execute();
        });
        jdbi.useHandle(h -> h.execute("ANALYZE te_task"));
        return jdbi;
    }

    @Test
    void theTableHoldsMoreThanAHundredThousandRows() {
        long rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM te_task WHERE tenant = :tenant")
                .bind("tenant", TENANT.value())
                .mapTo(Long.class)
                .one());
        assertThat(rows).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void myActiveTasksInAWindowUseTheAssigneeIndex() {
        TaskQuery query = TaskQuery.forTenant(TENANT)
                .assignee(UserId.of(17))
                .active()
                .startingBetween(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-08T00:00:00Z"))
                .build();
        assertThat(explain("my active tasks this week", QuerySql.page(query, Optional.empty(), NOW)))
                .contains("te_task_assignee_idx")
                .doesNotContain("Seq Scan on te_task");
    }

    @Test
    void aSequencesTasksUseTheSequenceIndex() {
        TaskQuery query =
                TaskQuery.forTenant(TENANT).sequence(SequenceId.of(43)).build();
        assertThat(explain("sequence filter", QuerySql.page(query, Optional.empty(), NOW)))
                .contains("te_task_sequence_idx")
                .doesNotContain("Seq Scan on te_task");
    }

    @Test
    void theSequenceWideReassignUsesTheSequenceIndex() {
        String sql = Dialect.POSTGRESQL.returningChanged(TaskSql.REASSIGN_SEQUENCE);
        String plan = explain(
                "sequence-wide reassign",
                sql,
                q -> q.bind("tenant", TENANT.value())
                        .bind("sequence", 43L)
                        .bind("assignee", 5L)
                        .bind("now", SqlTimes.stored(NOW)));
        assertThat(plan).contains("te_task_sequence_idx").doesNotContain("Seq Scan on te_task");
    }

    @Test
    void aContactsTasksUseTheContactIndex() {
        TaskQuery query =
                TaskQuery.forTenant(TENANT).contact(ContactId.of(1234)).build();
        assertThat(explain("contact filter", QuerySql.page(query, Optional.empty(), NOW)))
                .contains("te_task_contact_idx")
                .doesNotContain("Seq Scan on te_task");
    }

    @Test
    void keysetPagesWalkTheOrderIndexOfTheirSort() {
        Keyset after = new Keyset(Instant.parse("2026-06-01T10:00:00Z"), TaskId.of(5_000));
        assertThat(explain(
                        "next page by startAt",
                        QuerySql.page(TaskQuery.forTenant(TENANT).build(), Optional.of(after), NOW)))
                .contains("te_task_start_at_order_idx")
                .doesNotContain("Seq Scan on te_task")
                .doesNotContain("Sort");
        assertThat(explain(
                        "next page by dueTo, descending",
                        QuerySql.page(
                                TaskQuery.forTenant(TENANT)
                                        .sort(TaskSort.DUE_TO_DESC)
                                        .build(),
                                Optional.of(after),
                                NOW)))
                .contains("te_task_due_to_order_idx")
                .doesNotContain("Seq Scan on te_task")
                .doesNotContain("Sort");
    }

    @Test
    void theClaimOfDueTasksWalksTheNextExecutionIndex() {
        // The scheduler's claim as the store runs it: the tasks whose next execution time has come, of every tenant.
        String claim = TaskSql.claimDue(Dialect.POSTGRESQL);
        assertThat(explain(
                        "claim due tasks",
                        claim,
                        q -> q.bind("now", SqlTimes.stored(NOW))
                                .bind("nowBound", SqlTimes.stored(NOW))
                                .bind("limit", 20)
                                .bind("owner", "plan")
                                .bind("leaseUntil", SqlTimes.stored(NOW.plusSeconds(15)))))
                .contains("te_task_next_execution_idx")
                .doesNotContain("Seq Scan on te_task");
    }

    private static String explain(String title, QuerySql.Statement statement) {
        return explain(title, statement.sql(), statement::bind);
    }

    private static String explain(String title, String sql, java.util.function.Consumer<Query> binding) {
        String plan = jdbi.withHandle((Handle h) -> {
            Query query = h.createQuery("EXPLAIN " + sql);
            binding.accept(query);
            List<String> lines = query.mapTo(String.class).list();
            return lines.stream().collect(Collectors.joining("\n"));
        });
        System.out.println("EXPLAIN " + title + ":\n" + plan + "\n");
        return plan;
    }
}
