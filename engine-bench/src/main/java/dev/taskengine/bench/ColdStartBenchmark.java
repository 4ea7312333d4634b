package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import java.util.concurrent.TimeUnit;
import org.flowable.common.engine.impl.history.HistoryLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold start, once per fresh JVM (each fork measures its first and only operation): the engine with an embedded H2
 * database in memory behind a HikariCP pool and its migrations applied, against Flowable's engine build on the same
 * (its schema created on start); also the engine on the memory adapter, and Flowable without its IDM engine and event
 * registry ("lean").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class ColdStartBenchmark {
    @Param({"engine-memory", "engine-h2", "flowable-h2", "flowable-lean-h2"})
    public String target;

    private AutoCloseable started;

    @Benchmark
    public Object start() {
        switch (target) {
            case "engine-memory" -> {
                return TaskEngine.builder().store(new InMemoryTaskStore()).build();
            }
            case "engine-h2" -> {
                HikariDataSource dataSource = Databases.h2Memory("cold");
                started = () -> Databases.close(dataSource);
                TaskSchema.migrate(dataSource);
                return TaskEngine.builder().store(new JdbiTaskStore(dataSource)).build();
            }
            case "flowable-h2", "flowable-lean-h2" -> {
                FlowablePeer flowable = FlowablePeer.build(
                        Databases.h2Memory("cold-flowable"),
                        null,
                        HistoryLevel.AUDIT,
                        target.equals("flowable-lean-h2"));
                started = flowable;
                return flowable;
            }
            default -> throw new IllegalArgumentException("no target " + target);
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        if (started != null) {
            started.close();
            started = null;
        }
    }
}
