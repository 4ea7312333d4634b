package dev.taskengine.bench.production;

import dev.taskengine.bench.Databases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code lifecycle-over-time}: every contender drives the concurrent lifecycle on PostgreSQL for minutes, with the
 * completed lifecycles counted per window, then PostgreSQL's own account of what the run left behind (WAL per
 * lifecycle, dead tuples, HOT updates, table and index size) to explain a decay if there is one.
 */
public final class LifecycleOverTimeWorkload implements Workload {
    static final String NAME = "lifecycle-over-time";
    private static final int THREADS = 8;
    private static final double MIB = 1024 * 1024;

    /** Lifecycles filled in before the measurement, how long it lasts, and the window completions are counted in. */
    private record Timing(int fill, Duration duration, Duration window) {
        Timing {
            if (duration.toNanos() % window.toNanos() != 0) {
                throw new IllegalArgumentException(
                        "a duration of " + duration + " is no whole number of " + window + " windows");
            }
        }

        int windows() {
            return Math.toIntExact(duration.toNanos() / window.toNanos());
        }

        double windowSeconds() {
            return window.toNanos() / 1e9;
        }
    }

    private static final Timing FULL = new Timing(5_000, Duration.ofMinutes(10), Duration.ofSeconds(10));
    private static final Timing SMOKE = new Timing(20, Duration.ofSeconds(2), Duration.ofSeconds(1));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Throughput over time: create → reassign → complete on " + THREADS + " threads, pool of "
                + LifecycleContender.POOL_SIZE + ", PostgreSQL, each contender for the same time in a fresh schema,"
                + " completed lifecycles counted per window; then WAL per lifecycle, dead tuples, HOT updates and the"
                + " size of its tables and indexes.";
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        Databases.requirePostgres();
        Timing timing = scale.pick(SMOKE, FULL);
        List<Report.Series> curves = new ArrayList<>();
        for (String name : LifecycleContender.NAMES) {
            try (LifecycleContender contender = LifecycleContender.open(name, "bench_over_time")) {
                contender.analyze();
                contender.fill(timing.fill(), THREADS);
                contender.analyze();
                LifecycleContender.TableFacts before = contender.tableFacts();
                long walBefore = contender.walBytes();
                long[] completed = drive(contender, timing);
                long wal = contender.walBytes() - walBefore;
                LifecycleContender.TableFacts facts = contender.tableFacts().since(before);
                curves.add(report(report, name, timing, completed, wal, facts));
            }
        }
        report.figure(new Report.Figure(
                NAME,
                "Lifecycle throughput over time on PostgreSQL, " + THREADS + " threads, pool of "
                        + LifecycleContender.POOL_SIZE,
                "minutes",
                "lifecycles/s per " + (long) timing.windowSeconds() + " s window",
                false,
                false,
                curves));
        report.note(String.format(
                Locale.ROOT,
                "%s: the contenders run one after another in this JVM (%s), each in a fresh PostgreSQL schema: ANALYZE"
                        + " of its tables, %,d lifecycles on %d threads, ANALYZE again, then %d threads for %d s with"
                        + " the completed lifecycles counted per %.0f s window. WAL per lifecycle is the server's WAL"
                        + " position moved during the measurement ÷ the lifecycles completed: it includes autovacuum's"
                        + " writes and those of any other database on the server. Updates and autovacuum/autoanalyze"
                        + " runs count the measurement only; tuples and sizes are as at its end, summed over the"
                        + " contender's schema (Flowable's tables included).",
                NAME,
                String.join(", ", LifecycleContender.NAMES),
                timing.fill(),
                THREADS,
                THREADS,
                timing.duration().toSeconds(),
                timing.windowSeconds()));
    }

    /**
     * {@link #THREADS} threads run lifecycles from the same instant for the timing's duration; answers the lifecycles
     * completed in each window.
     */
    private static long[] drive(LifecycleContender contender, Timing timing) throws InterruptedException {
        long duration = timing.duration().toNanos();
        long window = timing.window().toNanos();
        AtomicLong start = new AtomicLong();
        CyclicBarrier together = new CyclicBarrier(THREADS, () -> start.set(System.nanoTime()));
        AtomicBoolean failed = new AtomicBoolean();
        Callable<long[]> driver = () -> {
            long[] completed = new long[timing.windows()];
            together.await();
            long began = start.get();
            while (!failed.get()) {
                try {
                    contender.lifecycle();
                } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                }
                long at = System.nanoTime() - began;
                if (at >= duration) {
                    break;
                }
                completed[(int) (at / window)]++;
            }
            return completed;
        };
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> drivers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                drivers.add(threads.submit(driver));
            }
            long[] completed = new long[timing.windows()];
            for (Future<long[]> each : drivers) {
                long[] counted = each.get();
                for (int w = 0; w < completed.length; w++) {
                    completed[w] += counted[w];
                }
            }
            return completed;
        } catch (ExecutionException e) {
            throw new IllegalStateException(contender.name() + " failed while driven: " + e.getCause(), e.getCause());
        } finally {
            threads.shutdownNow();
        }
    }

    private static Report.Series report(
            Report report,
            String contender,
            Timing timing,
            long[] completed,
            long wal,
            LifecycleContender.TableFacts facts) {
        Map<String, String> parameters = Map.of(
                "threads",
                Integer.toString(THREADS),
                "pool",
                Integer.toString(LifecycleContender.POOL_SIZE),
                "database",
                "postgresql",
                "duration",
                timing.duration().toSeconds() + " s");
        long total = 0;
        List<Report.Point> points = new ArrayList<>();
        for (int w = 0; w < completed.length; w++) {
            total += completed[w];
            points.add(new Report.Point((w + 1) * timing.windowSeconds() / 60, completed[w] / timing.windowSeconds()));
        }
        if (total == 0) {
            throw new IllegalStateException(contender + " completed no lifecycle in " + timing.duration());
        }
        double first = points.get(0).y();
        double last = points.get(points.size() - 1).y();
        report.row(NAME, contender, parameters, "first window", first, "ops/s");
        report.row(NAME, contender, parameters, "last window", last, "ops/s");
        report.row(
                NAME, contender, parameters, "mean", total / (timing.duration().toNanos() / 1e9), "ops/s");
        if (first > 0) {
            report.row(NAME, contender, parameters, "last ÷ first", last / first, "×");
        }
        report.row(NAME, contender, parameters, "WAL per lifecycle", (double) wal / total, "bytes");
        report.row(NAME, contender, parameters, "updates", facts.updates(), "rows");
        if (facts.updates() > 0) {
            report.row(NAME, contender, parameters, "HOT updates", 100.0 * facts.hotUpdates() / facts.updates(), "%");
        }
        report.row(NAME, contender, parameters, "live tuples at the end", facts.liveTuples(), "rows");
        report.row(NAME, contender, parameters, "dead tuples at the end", facts.deadTuples(), "rows");
        report.row(NAME, contender, parameters, "autovacuum runs", facts.autovacuums(), "runs");
        report.row(NAME, contender, parameters, "autoanalyze runs", facts.autoanalyzes(), "runs");
        report.row(NAME, contender, parameters, "tables + indexes", facts.totalBytes() / MIB, "MiB");
        report.row(NAME, contender, parameters, "of which indexes", facts.indexBytes() / MIB, "MiB");
        return new Report.Series(contender, points);
    }
}
