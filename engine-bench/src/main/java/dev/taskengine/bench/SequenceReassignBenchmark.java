package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.store.TaskStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reassigning a whole sequence of 1k, 10k and 100k active tasks to another user ({@code reassignSequence}, one store
 * call, answering every changed task), on memory, H2 (in memory) and PostgreSQL. Each operation moves every task of
 * the sequence, alternately to user 8 and user 9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class SequenceReassignBenchmark {
    static final SequenceId SEQUENCE = SequenceId.of(77);

    @Param({"memory", "h2", "postgresql"})
    public String store;

    @Param({"1000", "10000", "100000"})
    public int sequenceTasks;

    private HikariDataSource dataSource;
    private TaskEngine engine;
    private final TenantId tenant = Fixtures.tenant("sequence");
    private long operations;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        TaskStore tasks;
        if (store.equals("memory")) {
            // Made through the engine (the memory adapter has no SQL to make them with).
            tasks = new InMemoryTaskStore();
            TaskEngine maker = TaskEngine.builder().store(tasks).build();
            Instant now = Instant.now();
            for (int i = 1; i <= sequenceTasks; i++) {
                maker.create(
                                Fixtures.ACTOR,
                                NewTask.builder()
                                        .tenant(tenant)
                                        .type(TaskType.CALL)
                                        .assignee(Fixtures.OWNER)
                                        .sequence(SequenceRef.of(SEQUENCE.value(), 1 + i % 3, "Step 2 - Call"))
                                        .startAt(now)
                                        .dueTo(now.plus(Duration.ofDays(1)))
                                        .template(Template.of(new String("Follow-up call with the prospect")))
                                        .build())
                        .getOrElseThrow(LifecycleBenchmark::failure);
            }
        } else {
            boolean postgres = store.equals("postgresql");
            dataSource = postgres ? Databases.postgres("bench_sequence", true) : Databases.h2Memory("sequence");
            TaskSchema.migrate(dataSource);
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM te_task"); // this benchmark's own database or schema: only its sequence
                s.executeUpdate("INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id,"
                        + " assigned_user_id, creation_source, sequence_id, sequence_step_id, step_display_name, created_at,"
                        + " updated_at, start_at, due_to, failed, scheduled, body, attachment_ids, failed_attempts)"
                        + " SELECT " + (postgres ? "nextval('te_task_id_seq')" : "i") + ", '" + tenant.value()
                        + "', 1, 2, 0, 1, i, 7, 1, " + SEQUENCE.value() + ", 1 + MOD(i, 3),"
                        + " 'Step 2 - Call', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                        + " CURRENT_TIMESTAMP + INTERVAL '1' DAY, FALSE, FALSE, 'Follow-up call with the prospect', '', 0"
                        + (postgres
                                ? " FROM generate_series(1, " + sequenceTasks + ") AS i"
                                : " FROM (SELECT X AS i FROM SYSTEM_RANGE(1, " + sequenceTasks + ")) AS g"));
                s.execute(postgres ? "VACUUM ANALYZE te_task" : "ANALYZE");
            }
            tasks = new JdbiTaskStore(dataSource);
        }
        engine = TaskEngine.builder().store(tasks).build();
    }

    @TearDown(Level.Trial)
    public void close() {
        Databases.close(dataSource);
    }

    @Benchmark
    public List<Task> reassignSequence() {
        UserId to = UserId.of(operations++ % 2 == 0 ? 8 : 9);
        List<Task> moved = engine.reassignSequence(Fixtures.ACTOR, tenant, SEQUENCE, to)
                .getOrElseThrow(LifecycleBenchmark::failure);
        if (moved.size() != sequenceTasks) {
            throw new IllegalStateException(moved.size() + " of " + sequenceTasks + " tasks reassigned");
        }
        return moved;
    }
}
