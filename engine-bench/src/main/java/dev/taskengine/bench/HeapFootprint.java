package dev.taskengine.bench;

import dev.taskengine.domain.Template;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.Locale;
import org.flowable.common.engine.impl.history.HistoryLevel;

/**
 * Heap retained per stored task: after storing {@link #WARM_UP} tasks (so that classes, caches and pools are in
 * place), the heap in use after a full collection is read, {@code n} more tasks are stored, the heap is read again the
 * same way, and the difference is divided by {@code n}. The engine keeps its tasks in the memory adapter (or, for
 * comparison, in H2 in memory); Flowable keeps its tasks in its embedded database, H2 in memory, which is where an
 * in-JVM Flowable's tasks live. Every task carries its own copy of the same subject and body text (as tasks made from one
 * sequence step's template do), so no store gets its text for free.
 *
 * <p>Run it in a JVM of its own ({@link BenchMain} does): {@code java -cp benchmarks.jar dev.taskengine.bench.HeapFootprint
 * engine-memory 20000}; it prints {@code heap-per-task <target> <bytes>}.
 */
public final class HeapFootprint {
    public static final int WARM_UP = 1_000;
    public static final String[] TARGETS = {"engine-memory", "engine-h2", "flowable-none-h2", "flowable-audit-h2"};

    private HeapFootprint() {}

    public static void main(String[] args) throws Exception {
        String target = args[0];
        int n = Integer.parseInt(args[1]);
        System.out.printf(Locale.ROOT, "heap-per-task %s %.1f%n", target, measure(target, n));
    }

    /** Bytes of heap retained per stored task by {@code target}, measured over {@code n} tasks. */
    public static double measure(String target, int n) throws InterruptedException {
        Instant now = Instant.now();
        EngineFixture engine = null;
        FlowablePeer flowable = null;
        String tenant = Fixtures.tenant("heap").value();
        switch (target) {
            case "engine-memory" -> engine = EngineFixture.memory("heap");
            case "engine-h2" -> engine = EngineFixture.on("h2", "heap");
            case "flowable-none-h2" -> flowable = FlowablePeer.on("h2", "flowable_none", HistoryLevel.NONE);
            case "flowable-audit-h2" -> flowable = FlowablePeer.on("h2", "flowable_audit", HistoryLevel.AUDIT);
            default -> throw new IllegalArgumentException("no target " + target);
        }
        store(engine, flowable, tenant, now, Databases.smoke() ? 10 : WARM_UP);
        long before = usedAfterGc();
        store(engine, flowable, tenant, now, n);
        long after = usedAfterGc();
        Reference.reachabilityFence(engine);
        Reference.reachabilityFence(flowable);
        if (engine != null) {
            engine.close();
        }
        if (flowable != null) {
            flowable.close();
        }
        return (after - before) / (double) n;
    }

    private static void store(EngineFixture engine, FlowablePeer flowable, String tenant, Instant now, int count) {
        for (int i = 0; i < count; i++) {
            String subject = new String(Fixtures.SUBJECT);
            String body = new String(Fixtures.BODY);
            if (engine != null) {
                engine.engine
                        .create(Fixtures.ACTOR, Fixtures.email(engine.tenant, now, Template.of(subject, body)))
                        .getOrElseThrow(LifecycleBenchmark::failure);
            } else {
                flowable.create(tenant, subject, body, now);
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        boolean smoke = Databases.smoke();
        for (int i = 0; i < (smoke ? 1 : 5); i++) {
            System.gc();
            Thread.sleep(smoke ? 10 : 100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
