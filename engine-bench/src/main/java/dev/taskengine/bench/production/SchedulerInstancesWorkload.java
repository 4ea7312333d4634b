package dev.taskengine.bench.production;

import static dev.taskengine.bench.production.SchedulerContender.DB_SCHEDULER;
import static dev.taskengine.bench.production.SchedulerContender.ENGINE;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scheduled execution at scale (issue 17): a backlog of due tasks executed by 1, 2 and 4 instances, each in a JVM of
 * its own ({@link SchedulerFleet}), the instances of a contender sharing one PostgreSQL schema; the engine's {@code
 * TaskScheduler} against db-scheduler with the same instances, workers and polling ({@link SchedulerInstance}).
 *
 * <p>For each contender and instance count a fresh set of JVMs executes first a warm-up backlog ({@link #warmUp} tasks
 * per instance, not measured: the JIT compiles the claim and send paths), then the measured backlog, each made by one
 * set operation and followed by {@code VACUUM ANALYZE} before the instances are told to start. The clock runs from the
 * start command, sent once every instance is ready (scheduler built, connections open), until every task's outcome is
 * stored; then each task is checked to have been executed exactly once ({@link SchedulerTables#check}). The contenders
 * take turns at each instance count, so that a drift of the machine weighs on both.
 */
public final class SchedulerInstancesWorkload implements Workload {
    static final String NAME = "scheduler-instances";
    static final String TASKS_PER_SECOND = "tasks/s";
    private static final List<Integer> INSTANCES = List.of(1, 2, 4);
    /** How often the coordinator looks for the last outcome: the resolution of the clock's stop. */
    private static final Duration DONE_POLL = Duration.ofMillis(10);
    /** db-scheduler's own benchmark (docs/benchmark.md): lock-and-fetch, 4 instances, PostgreSQL on 4 cores. */
    private static final String PUBLISHED = "db-scheduler publishes about 10,000 executions/s with lock-and-fetch for"
            + " 4 instances on a 4-core PostgreSQL (its docs/benchmark.md: 10,600 ex/s with 20 threads per instance,"
            + " 11,200 with 100, each instance on a 2-core VM of its own, PostgreSQL 4 cores and 25 GB)";

    /** One shot: {@code tasks} executed in {@code nanos}, from the start command until every outcome was stored. */
    record Shot(int tasks, long nanos, List<SchedulerFleet.Stopped> instances) {
        double tasksPerSecond() {
            return tasks / (nanos / 1e9);
        }

        /** The share of the tasks executed by the busiest instance. */
        double busiestShare() {
            return instances.stream()
                            .mapToLong(SchedulerFleet.Stopped::executed)
                            .max()
                            .orElse(0)
                    / (double) tasks;
        }
    }

    /** A set of JVMs' warm-up shot and its measured shot. */
    record Shots(Shot warmUp, Shot measured) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A backlog of 100,000 due tasks (300 in a smoke run) executed by 1, 2 and 4 scheduler instances, each in"
                + " a JVM of its own, sharing one PostgreSQL schema per contender: the engine's TaskScheduler (no-op sender) against"
                + " db-scheduler (lock-and-fetch, no-op task), each instance with " + SchedulerInstance.WORKERS
                + " workers polling every " + SchedulerInstance.POLL.toMillis() + " ms on a pool of "
                + SchedulerInstance.POOL + " connections; tasks/s from the start command until every outcome is"
                + " stored, after a warm-up backlog in the same JVMs.";
    }

    /** Tasks per instance of the warm-up backlog. */
    static int warmUp(Scale scale) {
        return scale.pick(20, 5_000);
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        int backlog = scale.pick(300, 100_000);
        Duration timeout = Duration.ofMinutes(scale.pick(2, 15));
        Map<SchedulerContender, Map<Integer, Double>> throughput = new EnumMap<>(SchedulerContender.class);
        try (SchedulerTables engine = SchedulerTables.prepare(ENGINE, NAME);
                SchedulerTables dbScheduler = SchedulerTables.prepare(DB_SCHEDULER, NAME)) {
            for (int instances : INSTANCES) {
                for (SchedulerTables tables : List.of(engine, dbScheduler)) {
                    Shots shots = measure(tables, instances, warmUp(scale) * instances, backlog, timeout);
                    Map<String, String> parameters = Map.of(
                            "instances", Integer.toString(instances),
                            "backlog", Integer.toString(backlog),
                            "workers", Integer.toString(SchedulerInstance.WORKERS),
                            "poll", SchedulerInstance.POLL.toMillis() + " ms");
                    String contender = tables.contender().label();
                    report.row(
                                    NAME,
                                    contender,
                                    parameters,
                                    TASKS_PER_SECOND,
                                    shots.measured().tasksPerSecond(),
                                    "tasks/s")
                            .row(
                                    NAME,
                                    contender,
                                    parameters,
                                    "time",
                                    shots.measured().nanos() / 1e9,
                                    "s")
                            .row(
                                    NAME,
                                    contender,
                                    parameters,
                                    "busiest instance's share",
                                    100 * shots.measured().busiestShare(),
                                    "%")
                            .row(
                                    NAME,
                                    contender,
                                    parameters,
                                    "warm-up tasks/s (" + shots.warmUp().tasks() + " tasks)",
                                    shots.warmUp().tasksPerSecond(),
                                    "tasks/s");
                    throughput
                            .computeIfAbsent(tables.contender(), c -> new TreeMap<>())
                            .put(instances, shots.measured().tasksPerSecond());
                }
            }
        }
        report.figure(figure(throughput, backlog));
        targets(report, throughput);
        Map<Integer, Double> engine = throughput.get(ENGINE);
        Map<Integer, Double> dbScheduler = throughput.get(DB_SCHEDULER);
        int most = INSTANCES.get(INSTANCES.size() - 1);
        report.note(String.format(
                Locale.ROOT,
                "%s: %s. This run: %s tasks/s for the engine and %s for db-scheduler at %d instances of %d workers, all"
                        + " of them and PostgreSQL on one machine of %d cores (Runtime.availableProcessors(), as nproc"
                        + " counts them).",
                NAME,
                PUBLISHED,
                Report.number(engine.get(most)),
                Report.number(dbScheduler.get(most)),
                most,
                SchedulerInstance.WORKERS,
                Runtime.getRuntime().availableProcessors()));
        report.note(String.format(
                Locale.ROOT,
                "%s: every set of JVMs first executed a warm-up backlog of %,d tasks per instance, not measured (the"
                        + " JIT compiles the claim and send paths; see the warm-up rows), then the measured backlog"
                        + " with a freshly built scheduler in the same JVMs.",
                NAME,
                warmUp(scale)));
    }

    /** A fresh set of {@code instances} JVMs of the contender of {@code tables}: a warm-up shot, then the measured. */
    static Shots measure(SchedulerTables tables, int instances, int warmUp, int backlog, Duration timeout)
            throws IOException, SQLException, InterruptedException {
        try (SchedulerFleet fleet = SchedulerFleet.fork(tables, instances)) {
            Shot warm = execute(tables, fleet, warmUp, timeout);
            fleet.awaitReady();
            return new Shots(warm, execute(tables, fleet, backlog, timeout));
        }
    }

    /**
     * {@code count} due tasks executed by {@code fleet}, whose instances are ready: timed from the start command until
     * every outcome is stored, checked, then cleared away.
     */
    static Shot execute(SchedulerTables tables, SchedulerFleet fleet, int count, Duration timeout)
            throws IOException, SQLException, InterruptedException {
        tables.insertDue(count);
        long started = System.nanoTime();
        fleet.start();
        tables.awaitDone(fleet, timeout, DONE_POLL);
        long nanos = System.nanoTime() - started;
        List<SchedulerFleet.Stopped> stopped = fleet.stop();
        tables.check(
                count,
                stopped.stream().mapToLong(SchedulerFleet.Stopped::executed).sum());
        tables.clear();
        return new Shot(count, nanos, stopped);
    }

    private static Report.Figure figure(Map<SchedulerContender, Map<Integer, Double>> throughput, int backlog) {
        List<Report.Series> series = new ArrayList<>();
        throughput.forEach((contender, byInstances) -> series.add(new Report.Series(
                contender.label(),
                byInstances.entrySet().stream()
                        .map(e -> new Report.Point(e.getKey(), e.getValue()))
                        .toList())));
        return new Report.Figure(
                NAME,
                String.format(
                        Locale.ROOT, "A backlog of %,d due tasks on PostgreSQL, by instances (a JVM each)", backlog),
                "instances",
                "tasks/s",
                false,
                false,
                series);
    }

    private static void targets(Report report, Map<SchedulerContender, Map<Integer, Double>> throughput) {
        Map<Integer, Double> engine = throughput.get(ENGINE);
        Map<Integer, Double> dbScheduler = throughput.get(DB_SCHEDULER);
        for (int instances : INSTANCES) {
            report.target(new Report.Target(
                    NAME,
                    "engine ≥ 1.5× db-scheduler tasks/s at " + instances
                            + (instances == 1 ? " instance" : " instances"),
                    engine.get(instances) / dbScheduler.get(instances),
                    "×",
                    1.5,
                    true,
                    Report.number(engine.get(instances)) + " ÷ " + Report.number(dbScheduler.get(instances))
                            + " tasks/s"));
        }
        for (int i = 1; i < INSTANCES.size(); i++) {
            int fewer = INSTANCES.get(i - 1);
            int more = INSTANCES.get(i);
            report.target(new Report.Target(
                    NAME,
                    "adding instances never lowers the engine's throughput: " + fewer + " → " + more,
                    engine.get(more) / engine.get(fewer),
                    "×",
                    1.0,
                    true,
                    Report.number(engine.get(more)) + " ÷ " + Report.number(engine.get(fewer)) + " tasks/s"));
        }
    }
}
