package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.sql.SQLException;
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
 * The first page of "my active tasks starting this week, soonest due first" (50 tasks, the README's query) from a table
 * of 10k, 100k and 1M tasks (see {@link ScalingData} for their shape), on H2 (in a file) and PostgreSQL.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class FirstPageBenchmark {
    @Param({"h2", "postgresql"})
    public String db;

    @Param({"10000", "100000", "1000000"})
    public int tasks;

    private HikariDataSource dataSource;
    private TaskEngine engine;
    private TaskQuery mine;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        dataSource = ScalingData.open(db, tasks);
        engine = TaskEngine.builder().store(new JdbiTaskStore(dataSource)).build();
        mine = TaskQuery.forTenant(TenantId.of(ScalingData.TENANT))
                .assignee(UserId.of(1))
                .active()
                .startingBetween(ScalingData.WEEK, ScalingData.NEXT_WEEK)
                .sort(TaskSort.DUE_TO_ASC)
                .limit(50)
                .build();
        int size = firstPage().tasks().size();
        if (size != 50) {
            throw new IllegalStateException("the first page holds " + size + " tasks, not 50");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        Databases.close(dataSource);
    }

    @Benchmark
    public TaskPage firstPage() {
        return engine.query(mine).getOrElseThrow(LifecycleBenchmark::failure);
    }
}
