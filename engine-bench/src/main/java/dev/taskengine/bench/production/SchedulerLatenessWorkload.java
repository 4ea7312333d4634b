package dev.taskengine.bench.production;

import static dev.taskengine.bench.production.SchedulerContender.DB_SCHEDULER;
import static dev.taskengine.bench.production.SchedulerContender.ENGINE;
import static dev.taskengine.bench.production.SchedulerContender.ENGINE_POLICY;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Lateness under a steady stream (issue 17): tasks falling due at a constant rate, half of the measured capacity, for
 * several minutes; the distribution of (sent − due) for the engine, the engine with the sending policy on but not
 * binding ({@code engine-policy}) and db-scheduler, one instance each in a JVM of its own ({@link SchedulerInstance}:
 * same workers, same polling), one after another.
 *
 * <p>The rate is the same for every contender: half of the slower one-instance capacity (engine or db-scheduler) that
 * {@link SchedulerInstancesWorkload} measured earlier in the same run, or, when it did not run, that a short capacity
 * shot of this workload's own measures. For each contender the instance first executes a warm-up backlog (not
 * measured), then the stream's tasks are made by one set operation, due {@code 1/rate} apart from an instant a few
 * seconds ahead, and the instance is started before the first falls due. Each task's (sent − due) is taken in the
 * sender against its own due time, so a scheduler that falls behind is charged for every task it delays (no coordinated
 * omission).
 */
public final class SchedulerLatenessWorkload implements Workload {
    static final String NAME = "scheduler-lateness";
    private static final List<SchedulerContender> CONTENDERS = List.of(ENGINE, ENGINE_POLICY, DB_SCHEDULER);
    /** The target's allowance over the poll interval for the engine's p99. */
    private static final Duration ALLOWANCE = Duration.ofMillis(250);
    /** How long before the first task falls due its instance must at least be told to start. */
    private static final Duration AHEAD = Duration.ofSeconds(1);
    /**
     * How far ahead of making the stream its first task falls due: {@link #AHEAD}, and time to make and vacuum the
     * tasks, {@link #MAKING} and {@link #MAKING_PER_TASK} each (measured: 26 µs per engine task and 13 per db-scheduler
     * task with a load average of 14 on 2 cores). A stream made too slowly fails rather than measure the coordinator's
     * delay.
     */
    private static final Duration MAKING = Duration.ofSeconds(2);

    private static final Duration MAKING_PER_TASK = Duration.ofNanos(60_000);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Scheduled tasks falling due at a constant rate, half of the measured one-instance capacity, for 3"
                + " minutes (3 s in a smoke run): p50, p99 and maximum of (sent − due) for the engine, the engine with"
                + " the sending policy on (engine-policy) and db-scheduler (lock-and-fetch), one instance each in a JVM"
                + " of its own with " + SchedulerInstance.WORKERS + " workers polling every "
                + SchedulerInstance.POLL.toMillis() + " ms, on PostgreSQL.";
    }

    /** A capacity of one instance and where it was measured. */
    private record Capacity(double tasksPerSecond, String source) {}

    /** The stream offered to every contender: {@code count} tasks due {@code spacingMicros} apart. */
    private record Offered(Capacity capacity, long spacingMicros, int count, Duration length) {
        /** Half of {@code capacity}, for {@code length}. */
        static Offered halfOf(Capacity capacity, Duration length) {
            long spacingMicros = Math.round(2e6 / capacity.tasksPerSecond());
            return new Offered(capacity, spacingMicros, (int) (length.toNanos() / 1_000 / spacingMicros), length);
        }

        double rate() {
            return 1e6 / spacingMicros;
        }
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        Duration length = scale.pick(Duration.ofSeconds(3), Duration.ofMinutes(3));
        Duration timeout = Duration.ofMinutes(scale.pick(2, 15));
        Map<SchedulerContender, SchedulerTables> tables = new EnumMap<>(SchedulerContender.class);
        try {
            for (SchedulerContender contender : CONTENDERS) {
                tables.put(contender, SchedulerTables.prepare(contender, NAME));
            }
            Optional<Capacity> measured = measuredCapacity(report);
            Offered offered =
                    Offered.halfOf(measured.isPresent() ? measured.get() : ownCapacity(scale, tables, timeout), length);
            Map<SchedulerContender, SchedulerFleet.Stopped> streams = new EnumMap<>(SchedulerContender.class);
            for (SchedulerContender contender : CONTENDERS) {
                streams.put(
                        contender,
                        stream(tables.get(contender), SchedulerInstancesWorkload.warmUp(scale), offered, timeout));
            }
            report(report, offered, streams);
        } finally {
            tables.values().forEach(SchedulerTables::close);
        }
    }

    private static void report(
            Report report, Offered offered, Map<SchedulerContender, SchedulerFleet.Stopped> streams) {
        double rate = offered.rate();
        Map<String, String> parameters = Map.of(
                "rate",
                Report.number(rate) + "/s",
                "tasks",
                Integer.toString(offered.count()),
                "duration",
                offered.length().toSeconds() + " s",
                "instances",
                "1",
                "workers",
                Integer.toString(SchedulerInstance.WORKERS),
                "poll",
                SchedulerInstance.POLL.toMillis() + " ms");
        streams.forEach((contender, stream) -> {
            Histogram lateness = stream.lateness();
            report.row(NAME, contender.label(), parameters, "rate", rate, "tasks/s")
                    .row(NAME, contender.label(), parameters, "p50", millis(lateness.getValueAtPercentile(50)), "ms")
                    .row(NAME, contender.label(), parameters, "p99", millis(lateness.getValueAtPercentile(99)), "ms")
                    .row(NAME, contender.label(), parameters, "max", millis(lateness.getMaxValue()), "ms")
                    .row(NAME, contender.label(), parameters, "sent before due", stream.early(), "tasks");
        });
        double engine = percentile(streams.get(ENGINE), 99);
        double policy = percentile(streams.get(ENGINE_POLICY), 99);
        double dbScheduler = percentile(streams.get(DB_SCHEDULER), 99);
        report.row(NAME, ENGINE_POLICY.label(), parameters, "p99 ÷ engine's p99", policy / engine, "×");
        report.target(new Report.Target(
                NAME,
                "engine p99 ≤ db-scheduler p99",
                engine,
                "ms",
                dbScheduler,
                false,
                "p99 of (sent − due): engine " + Report.number(engine) + " ms, db-scheduler "
                        + Report.number(dbScheduler) + " ms, " + offered.count() + " tasks at " + Report.number(rate)
                        + "/s"));
        long bound = SchedulerInstance.POLL.plus(ALLOWANCE).toMillis();
        report.target(new Report.Target(
                NAME,
                "engine p99 ≤ poll interval + 250 ms (" + bound + " ms)",
                engine,
                "ms",
                bound,
                false,
                "p99 of (sent − due), poll every " + SchedulerInstance.POLL.toMillis() + " ms"));
        report.figure(figure(streams, rate));
        report.note(String.format(
                Locale.ROOT,
                "%s: the rate, %s tasks/s for every contender, is half of %s tasks/s, %s.",
                NAME,
                Report.number(rate),
                Report.number(offered.capacity().tasksPerSecond()),
                offered.capacity().source()));
        report.note(String.format(
                Locale.ROOT,
                "%s: what the sending policy costs at this rate: engine-policy's p99 is %s ms against the engine's %s"
                        + " (%s×); p50 %s against %s ms.",
                NAME,
                Report.number(policy),
                Report.number(engine),
                Report.number(policy / engine),
                Report.number(percentile(streams.get(ENGINE_POLICY), 50)),
                Report.number(percentile(streams.get(ENGINE), 50))));
    }

    /** The slower one-instance capacity (engine or db-scheduler) that scheduler-instances measured, if it ran. */
    private static Optional<Capacity> measuredCapacity(Report report) {
        Map<String, Double> capacity = new TreeMap<>();
        for (Report.Row row : report.rows(SchedulerInstancesWorkload.NAME)) {
            if (row.metric().equals(SchedulerInstancesWorkload.TASKS_PER_SECOND)
                    && "1".equals(row.parameters().get("instances"))) {
                capacity.put(row.contender(), row.value());
            }
        }
        if (!capacity.containsKey(ENGINE.label()) || !capacity.containsKey(DB_SCHEDULER.label())) {
            return Optional.empty();
        }
        return Optional.of(new Capacity(
                Math.min(capacity.get(ENGINE.label()), capacity.get(DB_SCHEDULER.label())),
                String.format(
                        Locale.ROOT,
                        "the slower one-instance capacity that %s measured in this run (engine %s, db-scheduler %s"
                                + " tasks/s)",
                        SchedulerInstancesWorkload.NAME,
                        Report.number(capacity.get(ENGINE.label())),
                        Report.number(capacity.get(DB_SCHEDULER.label())))));
    }

    /** The slower one-instance capacity of the engine and db-scheduler, from a backlog shot of this workload's own. */
    private static Capacity ownCapacity(Scale scale, Map<SchedulerContender, SchedulerTables> tables, Duration timeout)
            throws IOException, SQLException, InterruptedException {
        int backlog = scale.pick(200, 20_000);
        double engine = SchedulerInstancesWorkload.measure(
                        tables.get(ENGINE), 1, SchedulerInstancesWorkload.warmUp(scale), backlog, timeout)
                .measured()
                .tasksPerSecond();
        double dbScheduler = SchedulerInstancesWorkload.measure(
                        tables.get(DB_SCHEDULER), 1, SchedulerInstancesWorkload.warmUp(scale), backlog, timeout)
                .measured()
                .tasksPerSecond();
        return new Capacity(
                Math.min(engine, dbScheduler),
                String.format(
                        Locale.ROOT,
                        "the slower one-instance capacity of a backlog shot of this workload's own (%s had not run):"
                                + " %,d due tasks after a warm-up, engine %s, db-scheduler %s tasks/s",
                        SchedulerInstancesWorkload.NAME,
                        backlog,
                        Report.number(engine),
                        Report.number(dbScheduler)));
    }

    /**
     * One instance of the contender of {@code tables}: a warm-up backlog, then the offered stream, executed as its
     * tasks fall due; answers what its sender saw of the stream.
     */
    private static SchedulerFleet.Stopped stream(SchedulerTables tables, int warmUp, Offered offered, Duration timeout)
            throws IOException, SQLException, InterruptedException {
        int count = offered.count();
        try (SchedulerFleet fleet = SchedulerFleet.fork(tables, 1)) {
            SchedulerInstancesWorkload.execute(tables, fleet, warmUp, timeout);
            fleet.awaitReady();
            Instant first = Instant.now().plus(AHEAD).plus(MAKING).plus(MAKING_PER_TASK.multipliedBy(count));
            tables.insert(count, first, offered.spacingMicros());
            Duration ahead = Duration.between(Instant.now(), first);
            if (ahead.compareTo(AHEAD) < 0) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%s: making %,d tasks left %d ms before the first falls due, less than %d ms",
                        tables.contender().label(),
                        count,
                        ahead.toMillis(),
                        AHEAD.toMillis()));
            }
            fleet.start();
            tables.awaitDone(fleet, ahead.plus(offered.length()).plus(timeout), Duration.ofMillis(100));
            SchedulerFleet.Stopped stopped = fleet.stop().get(0);
            tables.check(count, stopped.executed());
            tables.clear();
            return stopped;
        }
    }

    /**
     * The lateness distributions: percentile on X as 1/(1 − p) on a logarithmic axis (2 = p50, 10 = p90, 100 = p99),
     * the usual drawing of an HdrHistogram's percentiles, and milliseconds on Y, logarithmic too, so that lateness of
     * tens of milliseconds and of seconds are both read off it (a lateness of 0 is left out); each series ends at its
     * maximum, drawn at the percentile of the last task (1/(1 − p) = the number of tasks).
     */
    private static Report.Figure figure(Map<SchedulerContender, SchedulerFleet.Stopped> streams, double rate) {
        List<Report.Series> series = new ArrayList<>();
        streams.forEach((contender, stream) -> {
            Histogram lateness = stream.lateness();
            List<Report.Point> points = new ArrayList<>();
            for (HistogramIterationValue value : lateness.percentiles(5)) {
                double percentile = value.getPercentileLevelIteratedTo();
                if (percentile < 100 && value.getValueIteratedTo() > 0) {
                    points.add(new Report.Point(100 / (100 - percentile), millis(value.getValueIteratedTo())));
                }
            }
            points.add(new Report.Point(lateness.getTotalCount(), millis(lateness.getMaxValue())));
            series.add(new Report.Series(contender.label(), points));
        });
        return new Report.Figure(
                NAME,
                String.format(
                        Locale.ROOT, "Lateness (sent − due) at %s due tasks/s: its distribution", Report.number(rate)),
                "percentile, as 1/(1 − p): 2 = p50, 10 = p90, 100 = p99, 1,000 = p99.9",
                "ms late",
                true,
                true,
                series);
    }

    private static double percentile(SchedulerFleet.Stopped stream, double percentile) {
        return millis(stream.lateness().getValueAtPercentile(percentile));
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }
}
