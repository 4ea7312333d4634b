package dev.taskengine.bench.production;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The concurrent lifecycle of {@link LifecycleThreadsWorkload}: every JMH thread runs create → reassign → complete on
 * one shared {@link LifecycleContender} (pool of {@link LifecycleContender#POOL_SIZE}). Before JMH's warm-up, the
 * contender's fresh schema is analyzed, filled with {@link #fill} lifecycles and analyzed again. The workload sets the
 * threads, the iterations and the fill; its name does not contain {@code LifecycleBenchmark}, so that JMH's include
 * pattern {@code LifecycleBenchmark} keeps meaning the single-threaded benchmark only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class LifecycleThreadsBenchmark {
    /** The threads that fill the schema before the measurement. */
    static final int FILL_THREADS = 8;

    @Param({"engine", "flowable-audit", "flowable-none", "jdbi", "jdbi-history"})
    public String contender;

    /** Lifecycles run before the second {@code ANALYZE}. */
    @Param("5000")
    public int fill;

    private LifecycleContender lifecycle;

    @Setup(Level.Trial)
    public void open() throws InterruptedException {
        lifecycle = LifecycleContender.open(contender, "bench_threads");
        try {
            lifecycle.analyze();
            lifecycle.fill(fill, FILL_THREADS);
            lifecycle.analyze();
        } catch (RuntimeException | InterruptedException e) {
            lifecycle.close();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        lifecycle.close();
    }

    @Benchmark
    public Object lifecycle() {
        return lifecycle.lifecycle();
    }
}
