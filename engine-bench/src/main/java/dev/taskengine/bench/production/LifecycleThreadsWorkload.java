package dev.taskengine.bench.production;

import dev.taskengine.bench.Databases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code lifecycle-threads}: the concurrent lifecycle at 1, 8 and 32 client threads, every contender on PostgreSQL
 * behind a pool of {@link LifecycleContender#POOL_SIZE} connections, measured by JMH ({@link LifecycleThreadsBenchmark},
 * one fork per contender and thread count).
 */
public final class LifecycleThreadsWorkload implements Workload {
    static final String NAME = "lifecycle-threads";
    private static final List<Integer> THREADS = List.of(1, 8, 32);
    private static final int MOST_THREADS = THREADS.get(THREADS.size() - 1);

    /** How JMH runs each point: forks, warm-up and measured iterations, and the lifecycles filled in before. */
    private record Timing(
            int forks,
            int warmupIterations,
            TimeValue warmupTime,
            int measurementIterations,
            TimeValue measurementTime,
            int fill) {}

    private static final Timing FULL = new Timing(1, 5, TimeValue.seconds(4), 5, TimeValue.seconds(4), 5_000);
    private static final Timing SMOKE = new Timing(0, 0, TimeValue.NONE, 1, TimeValue.milliseconds(20), 20);

    /** A JMH score: ops/s and its 99.9 % interval (NaN from a single iteration). */
    private record Score(double opsPerSecond, double error) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Create → reassign → complete (three transactions) at 1, 8 and 32 client threads on PostgreSQL, pool of "
                + LifecycleContender.POOL_SIZE + " connections for every contender: the engine on adapter-jdbi,"
                + " Flowable 7's TaskService with history audit and none, the raw Jdbi floor; JMH throughput.";
    }

    @Override
    public void run(Scale scale, Report report) throws RunnerException {
        Databases.requirePostgres();
        Timing timing = scale.pick(SMOKE, FULL);
        Map<String, Map<Integer, Score>> scores = new LinkedHashMap<>();
        LifecycleContender.NAMES.forEach(contender -> scores.put(contender, new TreeMap<>()));
        for (int threads : THREADS) {
            for (RunResult result : new Runner(options(timing, threads, scale)).run()) {
                Result<?> primary = result.getPrimaryResult();
                scores.get(result.getParams().getParam("contender"))
                        .put(threads, new Score(primary.getScore(), primary.getScoreError()));
            }
        }
        scores.forEach((contender, byThreads) -> {
            if (byThreads.size() != THREADS.size()) {
                throw new IllegalStateException("JMH measured " + contender + " at " + byThreads.keySet()
                        + " threads only, not at every one of " + THREADS);
            }
        });
        report(report, scores, timing);
    }

    private static Options options(Timing timing, int threads, Scale scale) {
        return new OptionsBuilder()
                .include(Pattern.quote(LifecycleThreadsBenchmark.class.getName()) + "\\.")
                .param("contender", LifecycleContender.NAMES.toArray(String[]::new))
                .param("fill", Integer.toString(timing.fill()))
                .threads(threads)
                .forks(timing.forks())
                .warmupIterations(timing.warmupIterations())
                .warmupTime(timing.warmupTime())
                .measurementIterations(timing.measurementIterations())
                .measurementTime(timing.measurementTime())
                .shouldFailOnError(true)
                .verbosity(scale.pick(VerboseMode.SILENT, VerboseMode.NORMAL))
                .build();
    }

    private static void report(Report report, Map<String, Map<Integer, Score>> scores, Timing timing) {
        List<Report.Series> curves = new ArrayList<>();
        scores.forEach((contender, byThreads) -> {
            List<Report.Point> points = new ArrayList<>();
            byThreads.forEach((threads, score) -> {
                Map<String, String> parameters = parameters(Integer.toString(threads));
                report.row(NAME, contender, parameters, "throughput", score.opsPerSecond(), "ops/s");
                if (!Double.isNaN(score.error())) {
                    report.row(NAME, contender, parameters, "± error (99.9 %)", score.error(), "ops/s");
                }
                points.add(new Report.Point(threads, score.opsPerSecond()));
            });
            double scaling = byThreads.get(MOST_THREADS).opsPerSecond()
                    / byThreads.get(THREADS.get(0)).opsPerSecond();
            report.row(NAME, contender, parameters(THREADS.get(0) + " → " + MOST_THREADS), "scaling", scaling, "×");
            curves.add(new Report.Series(contender, points));
        });
        report.figure(new Report.Figure(
                NAME,
                "Concurrent lifecycle on PostgreSQL, pool of " + LifecycleContender.POOL_SIZE + " connections",
                "client threads",
                "lifecycles/s (create → reassign → complete)",
                true,
                false,
                curves));
        target(report, scores, "flowable-audit", "engine ≥ 2.5× Flowable(audit) at 32 threads", 2.5);
        target(report, scores, "flowable-none", "engine ≥ 2× Flowable(none) at 32 threads", 2);
        target(report, scores, "jdbi-history", "engine ≥ 0.8× the raw floor at 32 threads", 0.8);
        report.note(
                NAME + ": the raw floor of the target is jdbi-history, the lifecycle's three statements each in a"
                        + " transaction with its history row, which is what the engine writes since it keeps a history (issue"
                        + " 14); jdbi, the three statements alone, is the floor BENCHMARKS.md measured before, shown beside it.");
        report.note(String.format(
                Locale.ROOT,
                "%s: every point (contender × threads) runs %s on a fresh PostgreSQL schema: ANALYZE of the"
                        + " schema's tables after set-up, %,d lifecycles on %d threads, ANALYZE again, then %d × %s of"
                        + " warm-up and %d × %s measured. The ANALYZEs are there because generic plans made on an"
                        + " empty, never-analyzed te_task pick a wrong index until the first autoanalyze: the figures"
                        + " are the steady state after it, for every contender alike.",
                NAME,
                timing.forks() > 0 ? "in a JMH fork of its own" : "in this JVM",
                timing.fill(),
                LifecycleThreadsBenchmark.FILL_THREADS,
                timing.warmupIterations(),
                timing.warmupTime(),
                timing.measurementIterations(),
                timing.measurementTime()));
    }

    private static Map<String, String> parameters(String threads) {
        return Map.of(
                "threads", threads, "pool", Integer.toString(LifecycleContender.POOL_SIZE), "database", "postgresql");
    }

    private static void target(
            Report report, Map<String, Map<Integer, Score>> scores, String peer, String goal, double threshold) {
        double engine = scores.get("engine").get(MOST_THREADS).opsPerSecond();
        double other = scores.get(peer).get(MOST_THREADS).opsPerSecond();
        report.target(new Report.Target(
                NAME,
                goal,
                engine / other,
                "×",
                threshold,
                true,
                String.format(
                        Locale.ROOT,
                        "ops/s ÷ ops/s at %d threads, pool of %d: %s ÷ %s",
                        MOST_THREADS,
                        LifecycleContender.POOL_SIZE,
                        Report.number(engine),
                        Report.number(other))));
    }
}
