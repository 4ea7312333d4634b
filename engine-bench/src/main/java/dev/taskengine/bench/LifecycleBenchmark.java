package dev.taskengine.bench;

import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One task's life: create → reassign → complete, each step its own transaction; one operation is the three steps.
 * The engine on memory, H2 and PostgreSQL; Flowable's TaskService with standalone tasks, history {@code audit} (its
 * default) and {@code none}, on the same H2 and PostgreSQL; raw Jdbi running three statements (the floor).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class LifecycleBenchmark {
    @Param({
        "engine-memory",
        "engine-h2",
        "engine-postgresql",
        "flowable-audit-h2",
        "flowable-none-h2",
        "flowable-audit-postgresql",
        "flowable-none-postgresql",
        "jdbi-h2",
        "jdbi-postgresql"
    })
    public String target;

    private EngineFixture engine;
    private FlowablePeer flowable;
    private RawJdbi raw;
    private String tenant;

    @Setup(Level.Trial)
    public void open() {
        switch (target) {
            case "engine-memory" -> engine = EngineFixture.memory("lifecycle");
            case "engine-h2" -> engine = EngineFixture.on("h2", "bench_lifecycle_engine");
            case "engine-postgresql" -> engine = EngineFixture.on("postgresql", "bench_lifecycle_engine");
            case "flowable-audit-h2" -> flowable = FlowablePeer.on("h2", "flowable_audit", HistoryLevel.AUDIT);
            case "flowable-none-h2" -> flowable = FlowablePeer.on("h2", "flowable_none", HistoryLevel.NONE);
            case "flowable-audit-postgresql" ->
                flowable = FlowablePeer.on("postgresql", "bench_flowable_audit", HistoryLevel.AUDIT);
            case "flowable-none-postgresql" ->
                flowable = FlowablePeer.on("postgresql", "bench_flowable_none", HistoryLevel.NONE);
            case "jdbi-h2" -> raw = rawOn(Databases.h2Memory("lifecycle-jdbi"), false);
            case "jdbi-postgresql" -> raw = rawOn(Databases.postgres("bench_lifecycle_jdbi", true), true);
            default -> throw new IllegalArgumentException("no target " + target);
        }
        tenant = Fixtures.tenant("lifecycle").value();
    }

    private RawJdbi rawOn(com.zaxxer.hikari.HikariDataSource dataSource, boolean postgres) {
        // The floor writes into the engine's own table and indexes, in a database of its own.
        engine = EngineFixture.jdbi("lifecycle-jdbi", dataSource);
        return new RawJdbi(dataSource, postgres);
    }

    /** The memory adapter keeps every task it stored: start each iteration from an empty store, not a growing heap. */
    @Setup(Level.Iteration)
    public void freshMemoryStore() {
        if (target.equals("engine-memory")) {
            engine = EngineFixture.memory("lifecycle");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (flowable != null) {
            flowable.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Benchmark
    public Object lifecycle() {
        Instant now = Instant.now();
        if (raw != null) {
            return raw.lifecycle(engine.tenant, now);
        }
        if (flowable != null) {
            return flowable.lifecycle(tenant, now);
        }
        Task created = engine.engine
                .create(Fixtures.ACTOR, Fixtures.email(engine.tenant, now))
                .getOrElseThrow(LifecycleBenchmark::failure);
        TaskRef ref = TaskRef.of(Fixtures.ACTOR, engine.tenant, created.id());
        engine.engine.reassign(ref, Fixtures.OTHER, ReassignScope.TASK).getOrElseThrow(LifecycleBenchmark::failure);
        return engine.engine.complete(ref, Completion.done()).getOrElseThrow(LifecycleBenchmark::failure);
    }

    static IllegalStateException failure(TaskError error) {
        return new IllegalStateException(error.code() + ": " + error.message());
    }
}
