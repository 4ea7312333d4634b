package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * On a te_task that PostgreSQL has no statistics for yet (a new install, before autovacuum first analyzes it), the
 * generic plans of the store's reads and writes of a task by its id use the primary key. Every statement here runs its
 * generic plan, as the JDBC driver's prepared statements do from their fifth execution on; with every tenant index
 * costing the same as the key on such a table, the planner takes the index built last, which schema version 7 makes the
 * primary key.
 */
class PostgresFreshTablePlanTest {
    private static final TenantId TENANT = TenantId.of("fresh-table");
    private static final Actor OWNER = Actor.user(UserId.of(7));
    private static final int BURST = 20_000;

    @Test
    void readsAndWritesOfATaskByItsIdUseThePrimaryKeyBeforeTheTableIsAnalyzed() throws Exception {
        try (TestDatabase.Isolated database = TestDatabase.POSTGRESQL.isolated()) {
            PGSimpleDataSource generic = onGenericPlans(database);
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(generic))
                    .contacts(ExecutionWorker.contacts())
                    .build();
            Instant now = Instant.parse("2026-03-02T09:30:00Z");

            for (int i = 0; i < 10; i++) {
                Task created = engine.create(OWNER, email(now.plusSeconds(i))).get();
                TaskRef ref = TaskRef.of(OWNER, TENANT, created.id());
                engine.reassign(ref, UserId.of(8), ReassignScope.TASK).get();
                engine.get(TENANT, created.id(), true).get();
                engine.complete(ref, Completion.done()).get();
            }

            assertThat(indexScans(generic)).containsOnlyKeys("te_task_pkey");
        }
    }

    @Test
    void theRelayDeletesPublishedEventsByTheirKeyBeforeTheOutboxIsAnalyzed() throws Exception {
        try (TestDatabase.Isolated database = TestDatabase.POSTGRESQL.isolated()) {
            PGSimpleDataSource generic = onGenericPlans(database);
            // A burst of events waiting in an outbox PostgreSQL has no statistics for (as a sequence-wide reassign
            // leaves it on a new install), made in one statement. Autovacuum must not analyze the outbox meanwhile:
            // once analyzed, any plan probes an index (te_task_event_id_idx then).
            Jdbi.create(generic).useHandle(h -> h.execute("ALTER TABLE te_task_event SET (autovacuum_enabled = off)"));
            Jdbi.create(generic)
                    .useHandle(h -> h.execute(
                            "INSERT INTO te_task_event (id, type, tenant, task_id,"
                                    + " version, occurred_at, actor, aggregatetype, aggregateid, payload) SELECT gen_random_uuid(),"
                                    + " 'task.reassigned', ?, g, 2, now(), 'user:7', 'task', g::text, '{}' FROM generate_series(1, ?) g",
                            TENANT.value(),
                            BURST));
            // The migrations' own statements scanned the empty outbox; what the relay does is counted from here.
            long scannedBefore = settledSequentialScans(generic, "te_task_event");
            List<TaskEvent> published = new CopyOnWriteArrayList<>();
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(generic))
                    .contacts(ExecutionWorker.contacts())
                    .events(published::add)
                    .build();

            assertThat(engine.relayPendingEvents()).isEqualTo(BURST);

            assertThat(published).hasSize(BURST);
            assertThat(settledSequentialScans(generic, "te_task_event")).isEqualTo(scannedBefore);
            assertThat(scans(generic, "te_task_event", 0).getOrDefault("te_task_event_id_key", 0L))
                    .isGreaterThanOrEqualTo(BURST);
        }
    }

    /**
     * The isolated schema, migrated, behind connections that run every statement on its generic plan (server-prepared
     * at once, as the driver prepares a statement from its fifth execution on).
     */
    private static PGSimpleDataSource onGenericPlans(TestDatabase.Isolated database) {
        PGSimpleDataSource generic = (PGSimpleDataSource) database.dataSource();
        generic.setOptions("-c plan_cache_mode=force_generic_plan");
        generic.setPrepareThreshold(1);
        TaskSchema.migrate(generic);
        return generic;
    }

    private static NewTask email(Instant start) {
        return NewTask.builder()
                .tenant(TENANT)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .assignee(UserId.of(7))
                .startAt(start)
                .dueTo(start.plus(Duration.ofDays(1)))
                .template(Template.of("Pilot {{firstName}}", "Hi {{firstName}}, it is ready."))
                .build();
    }

    /**
     * The indexes of te_task that scans used, with their scan counts, once the backends have reported them (each
     * connection's statistics reach the cumulative view when it closes).
     */
    private static Map<String, Long> indexScans(PGSimpleDataSource dataSource) throws InterruptedException {
        return scans(dataSource, "te_task", 30);
    }

    /**
     * The indexes of {@code table} that scans used, with their scan counts, once the backends have reported at least
     * {@code atLeast} scans (each connection's statistics reach the cumulative view when it closes).
     */
    private static Map<String, Long> scans(PGSimpleDataSource dataSource, String table, long atLeast)
            throws InterruptedException {
        Jdbi jdbi = Jdbi.create(dataSource);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Long> scans;
        do {
            Thread.sleep(200);
            scans = jdbi.withHandle(h -> h
                    .createQuery("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                            + " WHERE schemaname = current_schema() AND relname = :table AND idx_scan > 0")
                    .bind("table", table)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .list()
                    .stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        } while (scans.values().stream().mapToLong(Long::longValue).sum() < atLeast && System.nanoTime() < deadline);
        return scans;
    }

    /** {@link #sequentialScans}, once two reads half a second apart agree (closed connections have reported theirs). */
    private static long settledSequentialScans(PGSimpleDataSource dataSource, String table)
            throws InterruptedException {
        long before;
        long after = sequentialScans(dataSource, table);
        do {
            before = after;
            Thread.sleep(500);
            after = sequentialScans(dataSource, table);
        } while (after != before);
        return after;
    }

    private static long sequentialScans(PGSimpleDataSource dataSource, String table) {
        return Jdbi.create(dataSource)
                .withHandle(h -> h.createQuery("SELECT seq_scan FROM pg_stat_user_tables"
                                + " WHERE schemaname = current_schema() AND relname = :table")
                        .bind("table", table)
                        .mapTo(Long.class)
                        .one());
    }
}
