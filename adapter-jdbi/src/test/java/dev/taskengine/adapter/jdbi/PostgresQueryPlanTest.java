package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Keyset;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL plans the engine's main queries with the schema's indexes, on a table of more than 100,000 rows: the
 * statements explained are exactly those the store runs, with the same bound values. A third of the active tasks are
 * snoozed and another third held for a paused contact, and the tenant has 300,000 history entries.
 */
class PostgresQueryPlanTest {
    private static final TenantId TENANT = TenantId.of("explain-plan");
    /** A team of 16 reps whose finished tasks, 95 % of 120,000, all start before their open ones, as in a soak. */
    private static final TenantId FEW_REPS = TenantId.of("explain-plan-few-reps");

    private static final int ROWS = 120_000;
    private static final int HISTORY_ROWS = 300_000;
    private static final int SENDS = 3 * 86_400;
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
            h.execute("DELETE FROM te_history WHERE tenant = ?", TENANT.value());
            h.execute("DELETE FROM te_task WHERE tenant = ?", FEW_REPS.value());
            h.execute("DELETE FROM te_send WHERE tenant = ?", TENANT.value());
            h.execute("DELETE FROM te_send_hour WHERE tenant = ?", TENANT.value());
            // A day of one account's sends, three a second, counted per hour as the store counts them.
            h.createUpdate("""
                    INSERT INTO te_send (tenant, account, idempotency_key, sent_at)
                    SELECT :tenant, 'sms:1', 'k-' || g, :now - g * interval '1 second' / 3
                    FROM generate_series(1, :sends) AS g
                    """)
                    .bind("tenant", TENANT.value())
                    .bind("now", SqlTimes.stored(NOW))
                    .bind("sends", SENDS)
                    .execute();
            h.createUpdate("""
                    INSERT INTO te_send_hour (tenant, account, epoch_hour, sends)
                    SELECT tenant, account, floor(extract(epoch FROM sent_at) / 3600)::bigint, count(*)
                    FROM te_send WHERE tenant = :tenant GROUP BY 1, 2, 3
                    """).bind("tenant", TENANT.value()).execute();
            // And 30 days of hours of 100 other accounts.
            h.createUpdate("""
                    INSERT INTO te_send_hour (tenant, account, epoch_hour, sends)
                    SELECT :tenant, 'sms:other-' || a, floor(extract(epoch FROM :now) / 3600)::bigint - hour, 50
                    FROM generate_series(1, 100) AS a, generate_series(0, 30 * 24 - 1) AS hour
                    """)
                    .bind("tenant", TENANT.value())
                    .bind("now", SqlTimes.stored(NOW))
                    .execute();
            // 200 assignees, 20,000 contacts, 5,000 sequences (half the tasks), a year of start times; 30% new,
            // 10% in progress, 60% finished; every fifth task scheduled. Of the active tasks, a third are snoozed and a
            // third paused, most of them until after now.
            h.createUpdate("""
                    INSERT INTO te_task (id, tenant, version, task_type, linkedin_task_type, status, priority, contact_id,
                        assigned_user_id, creation_source, sequence_id, sequence_step_id, step_display_name, created_at,
                        updated_at, start_at, due_to, finished_at, skipped_at, reopened_at, reopen_reason, disposition,
                        failed, scheduled, subject, body, attachment_ids, snoozed_until, paused_until, hidden_until)
                    SELECT nextval('te_task_id_seq'), :tenant, 1, 0, NULL, status, g % 3, 1 + g % 20000, 1 + g % 200,
                        g % 2, CASE WHEN g % 2 = 1 THEN 1 + g % 5000 END, CASE WHEN g % 2 = 1 THEN 1 + g % 7 END,
                        CASE WHEN g % 2 = 1 THEN 'Step' END, start_at - interval '1 day', start_at - interval '1 day',
                        start_at, start_at + interval '1 day', CASE WHEN status = 1 THEN start_at END, NULL, NULL, NULL,
                        NULL, false, g % 5 = 0, NULL, 'Task ' || g, '', snoozed_until, paused_until,
                        GREATEST(snoozed_until, paused_until)
                    FROM (SELECT g, status, start_at,
                                 CASE WHEN status <> 1 AND g % 3 = 0 THEN hidden END AS snoozed_until,
                                 CASE WHEN status <> 1 AND g % 3 = 1 THEN hidden END AS paused_until
                          FROM (SELECT g,
                                 CASE WHEN g % 10 < 3 THEN 0 WHEN g % 10 = 3 THEN 6 ELSE 1 END AS status,
                                 timestamptz '2026-01-01 00:00:00+00' + (g % 365) * interval '1 day'
                                     + (g % 1440) * interval '1 minute' AS start_at,
                                 timestamptz '2026-03-02 09:30:00+00' + (g % 30 - 3) * interval '1 day' AS hidden
                          FROM generate_series(1, :rows) AS g) AS times) AS generated
                    """)
                    .bind("tenant", TENANT.value())
                    .bind("rows", ROWS)
                    .execute();
            // 300,000 entries over 30,000 tasks (ten each), by 200 users and the scheduler.
            h.createUpdate("""
                    INSERT INTO te_history (tenant, id, task_id, version, occurred_at, actor, event_type, status_before,
                        status_after, changes)
                    SELECT :tenant, gen_random_uuid(), 1 + g % 30000, 1 + g / 30000,
                        timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',
                        CASE WHEN g % 5 = 0 THEN 'system:scheduler' ELSE 'user:' || (1 + g % 200) END, g % 22, 0, 0,
                        '8:priority3:hot5:today'
                    FROM generate_series(1, :rows) AS g
                    """)
                    .bind("tenant", TENANT.value())
                    .bind("rows", HISTORY_ROWS)
                    .execute();
        });
        jdbi.useTransaction(h -> h.createUpdate("""
                        INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id,
                            assigned_user_id, creation_source, created_at, updated_at, start_at, due_to, finished_at,
                            failed, scheduled, subject, body, attachment_ids)
                        SELECT nextval('te_task_id_seq'), :tenant, 1, 0, CASE WHEN g <= :finished THEN 1 ELSE g % 2 * 6 END,
                            1, 1 + g % 5000, 1 + g % 16, 0, start_at, start_at, start_at, start_at + interval '1 day',
                            CASE WHEN g <= :finished THEN start_at END, false, false, NULL, 'Task ' || g, ''
                        FROM (SELECT g, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' AS start_at
                              FROM generate_series(1, :rows) AS g) AS times
                        """)
                .bind("tenant", FEW_REPS.value())
                .bind("rows", ROWS)
                .bind("finished", ROWS / 20 * 19)
                .execute());
        jdbi.useHandle(h -> {
            h.execute("ANALYZE te_task");
            h.execute("ANALYZE te_history");
            h.execute("ANALYZE te_send");
            h.execute("ANALYZE te_send_hour");
        });
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
    void myActiveTasksInAWindowUseTheOpenTasksByAssigneeIndex() {
        TaskQuery query = TaskQuery.forTenant(TENANT)
                .assignee(UserId.of(17))
                .active()
                .startingBetween(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-08T00:00:00Z"))
                .build();
        assertThat(explain("my active tasks this week", QuerySql.page(query, Optional.empty(), NOW)))
                .contains("te_task_assignee_open_idx")
                .doesNotContain("Seq Scan on te_task");
    }

    @Test
    void myTasksNowUseTheOpenTasksByAssigneeIndexAmongManySnoozedAndPausedTasks() {
        TaskQuery query = TaskQuery.forTenant(TENANT)
                .assignee(UserId.of(17))
                .active()
                .startingBetween(null, NOW)
                .hidden(false)
                .build();
        assertThat(explain("my tasks now", QuerySql.page(query, Optional.empty(), NOW)))
                .contains("te_task_assignee_open_idx")
                .doesNotContain("Seq Scan on te_task");
    }

    @Test
    void myTasksNowReadOnlyTheRepsOpenTasksWhenATeamOfFewRepsHasFinishedMostOfItsTasks() {
        TaskQuery query = TaskQuery.forTenant(FEW_REPS)
                .assignee(UserId.of(3))
                .active()
                .hidden(false)
                .build();
        assertThat(explain("my tasks now, few reps", QuerySql.page(query, Optional.empty(), NOW)))
                .contains("te_task_assignee_open_idx")
                .doesNotContain("te_task_start_at_order_idx")
                .doesNotContain("Seq Scan on te_task")
                .doesNotContain("Sort");
    }

    @Test
    void theCheckOfABatchAgainstAnAccountsLimitsReadsItsHourCountsAndOneSendNotTheDaysSends() throws Exception {
        String plan = explainJdbc("an account's send counts", TaskSql.COUNT_SENDS, statement -> {
            long dayAgo = TaskSql.epochHour(NOW.minus(java.time.Duration.ofDays(1)));
            statement.setString(1, TENANT.value());
            statement.setString(2, "sms:1");
            statement.setLong(3, dayAgo);
            statement.setString(4, TENANT.value());
            statement.setString(5, "sms:1");
            statement.setLong(6, TaskSql.epochHour(NOW.minus(java.time.Duration.ofHours(1))));
            statement.setString(7, TENANT.value());
            statement.setString(8, "sms:1");
            SqlTimes.set(statement, 9, NOW.minus(java.time.Duration.ofDays(1)));
        });
        assertThat(plan)
                .contains("te_send_hour_pkey")
                .contains("Scan Backward using te_send_account_time_idx")
                .doesNotContain("Seq Scan");
    }

    @Test
    void aTasksHistoryPageReadsOnlyThatTasksEntries() throws Exception {
        HistoryRequest request = new HistoryRequest(
                TENANT,
                Optional.of(TaskId.of(1234)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                OptionalLong.empty(),
                50);
        assertThat(explain("a task's history", HistorySql.page(request)))
                .contains("Index Scan Backward using te_history_task_idx")
                .doesNotContain("Seq Scan on te_history")
                .doesNotContain("Sort");
    }

    @Test
    void aUsersHistoryPageWalksTheActorIndex() throws Exception {
        HistoryRequest request = new HistoryRequest(
                TENANT,
                Optional.empty(),
                Optional.of(Actor.user(17)),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                OptionalLong.of(200_000),
                50);
        assertThat(explain("what a user did", HistorySql.page(request)))
                .contains("te_history_actor_idx")
                .doesNotContain("Seq Scan on te_history")
                .doesNotContain("Sort");
    }

    @Test
    void dueRemindersWalkTheReminderIndex() throws Exception {
        String plan = explainJdbc("due reminders", TaskSql.DUE_REMINDERS, statement -> {
            SqlTimes.set(statement, 1, NOW);
            statement.setInt(2, 100);
        });
        assertThat(plan).contains("te_task_remind_idx").doesNotContain("Seq Scan on te_task");
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
    void theSequenceWideReassignLocksItsRowsOnTheSequenceIndex() {
        String plan = explain(
                "sequence-wide reassign: the lock",
                TaskSql.LOCK_ACTIVE_OF_SEQUENCE,
                q -> q.bind(0, TENANT.value()).bind(1, 43L));
        assertThat(plan).contains("te_task_sequence_idx").doesNotContain("Seq Scan on te_task");
    }

    @Test
    void theSequenceWideReassignChangesTheLockedRowsByKey() {
        String sql = Dialect.POSTGRESQL.returningChanged(TaskSql.REASSIGN_SEQUENCE);
        String plan = explain(
                "sequence-wide reassign: the change",
                sql,
                q -> q.bind("tenant", TENANT.value())
                        .bindArray("ids", Long.class, List.of(1L, 2L, 3L))
                        .bind("assignee", 5L)
                        .bind("now", SqlTimes.stored(NOW)));
        assertThat(plan).contains("te_task_pkey").doesNotContain("Seq Scan on te_task");
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

    /** Binds the parameters of a JDBC statement. */
    @FunctionalInterface
    private interface Parameters {
        void bind(java.sql.PreparedStatement statement) throws java.sql.SQLException;
    }

    private static String explain(String title, HistorySql.Page page) throws java.sql.SQLException {
        return explainJdbc(title, page.sql(), page::bind);
    }

    private static String explainJdbc(String title, String sql, Parameters parameters) throws java.sql.SQLException {
        String plan = jdbi.withHandle((Handle h) -> {
            List<String> lines = new java.util.ArrayList<>();
            try (java.sql.PreparedStatement explain = h.getConnection().prepareStatement("EXPLAIN " + sql)) {
                parameters.bind(explain);
                try (java.sql.ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
            }
            return String.join("\n", lines);
        });
        System.out.println("EXPLAIN " + title + ":\n" + plan + "\n");
        return plan;
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
