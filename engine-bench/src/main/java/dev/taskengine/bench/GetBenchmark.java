package dev.taskengine.bench;

import dev.taskengine.api.TaskDetail;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.TaskId;
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
 * Reading one task by id, cycling over {@link #stored} stored tasks: the engine's {@code get(tenant, id, true)} (the
 * task, its delivery info and its content rendered with the contact's variables); Flowable's task query by id; and the
 * floor, one raw SELECT plus the subject and body rendered from compiled handlebars templates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class GetBenchmark {

    /** How many tasks the reads cycle over. */
    @Param({"1000"})
    public int stored;

    @Param({
        "engine-memory",
        "engine-h2",
        "engine-postgresql",
        "flowable-h2",
        "flowable-postgresql",
        "raw-h2",
        "raw-postgresql"
    })
    public String target;

    private EngineFixture engine;
    private FlowablePeer flowable;
    private RawJdbi raw;
    private long[] ids;
    private String[] flowableIds;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        Instant now = Instant.now();
        ids = new long[stored];
        flowableIds = new String[stored];
        switch (target) {
            case "engine-memory" -> engine = EngineFixture.memory("get");
            case "engine-h2" -> engine = EngineFixture.on("h2", "bench_get_engine");
            case "engine-postgresql" -> engine = EngineFixture.on("postgresql", "bench_get_engine");
            case "flowable-h2" -> flowable = FlowablePeer.on("h2", "flowable_get", HistoryLevel.AUDIT);
            case "flowable-postgresql" ->
                flowable = FlowablePeer.on("postgresql", "bench_flowable_audit", HistoryLevel.AUDIT);
            case "raw-h2" -> {
                engine = EngineFixture.on("h2", "bench_get_raw");
                raw = new RawJdbi(engine.dataSource, false);
            }
            case "raw-postgresql" -> {
                engine = EngineFixture.on("postgresql", "bench_get_raw");
                raw = new RawJdbi(engine.dataSource, true);
            }
            default -> throw new IllegalArgumentException("no target " + target);
        }
        String flowableTenant = Fixtures.tenant("get").value();
        for (int i = 0; i < stored; i++) {
            if (flowable != null) {
                flowableIds[i] = flowable.create(flowableTenant, Fixtures.SUBJECT, Fixtures.BODY, now);
            } else if (raw != null) {
                ids[i] = raw.insert(engine.tenant, now);
            } else {
                ids[i] = engine.engine
                        .create(Fixtures.ACTOR, Fixtures.email(engine.tenant, now))
                        .getOrElseThrow(LifecycleBenchmark::failure)
                        .id()
                        .value();
            }
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
    public Object get() {
        int i = next++ % stored;
        if (flowable != null) {
            return flowable.get(flowableIds[i]);
        }
        if (raw != null) {
            return raw.get(engine.tenant, ids[i], engine.contacts);
        }
        TaskDetail detail =
                engine.engine.get(engine.tenant, TaskId.of(ids[i]), true).getOrElseThrow(LifecycleBenchmark::failure);
        if (!(detail.content().orElseThrow() instanceof Rendering.Rendered)) {
            throw new IllegalStateException("not rendered: " + detail.content());
        }
        return detail;
    }
}
