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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

    @Test
    void readsAndWritesOfATaskByItsIdUseThePrimaryKeyBeforeTheTableIsAnalyzed() throws Exception {
        try (TestDatabase.Isolated database = TestDatabase.POSTGRESQL.isolated()) {
            PGSimpleDataSource generic = (PGSimpleDataSource) database.dataSource();
            generic.setOptions("-c plan_cache_mode=force_generic_plan");
            generic.setPrepareThreshold(1);
            TaskSchema.migrate(generic);
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
        Jdbi jdbi = Jdbi.create(dataSource);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Long> scans;
        do {
            Thread.sleep(200);
            scans = jdbi.withHandle(h -> h
                    .createQuery("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                            + " WHERE schemaname = current_schema() AND relname = 'te_task' AND idx_scan > 0")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .list()
                    .stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        } while (scans.getOrDefault("te_task_pkey", 0L) < 30 && System.nanoTime() < deadline);
        return scans;
    }
}
