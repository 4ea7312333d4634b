package dev.taskengine.micrometer;

import dev.taskengine.api.Backlog;
import dev.taskengine.api.TaskEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's backlog ({@link TaskEngine#backlog()}) as gauges: {@value #BACKLOG} (scheduled tasks due and not yet
 * executed), {@value #OLDEST_DUE_LAG} (how long the oldest of them has waited, a time gauge in seconds) and
 * {@value #PENDING_EVENTS} (events in the outbox not yet published). The backlog is read from the store, so it is read
 * at most once per {@link #DEFAULT_MAX_AGE} (or the age given) however often the gauges are scraped; when a read fails,
 * the gauges keep the last values read (NaN before the first). Bind it with
 * {@code new TaskEngineMetrics(engine).bindTo(meters)}; the gauges hold this binder strongly.
 */
public final class TaskEngineMetrics implements MeterBinder {
    public static final String BACKLOG = "taskengine.scheduler.backlog";
    public static final String OLDEST_DUE_LAG = "taskengine.scheduler.oldest.due.lag";
    public static final String PENDING_EVENTS = "taskengine.events.pending";
    /** How long a backlog read is used by default before it is read again. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(TaskEngineMetrics.class.getName());

    private final TaskEngine engine;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;

    private Backlog last;
    private long lastReadAt;
    private boolean read;

    public TaskEngineMetrics(TaskEngine engine) {
        this(engine, DEFAULT_MAX_AGE);
    }

    /** Reads the backlog at most once per {@code maxAge} (zero: at every scrape). */
    public TaskEngineMetrics(TaskEngine engine, Duration maxAge) {
        this(engine, maxAge, System::nanoTime);
    }

    TaskEngineMetrics(TaskEngine engine, Duration maxAge, LongSupplier nanoTime) {
        this.engine = Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("a backlog's maximum age is zero or more, not " + maxAge);
        }
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(BACKLOG, this, value(b -> b.dueTasks()))
                .description("Scheduled tasks due and not yet executed, across tenants (counted up to "
                        + Backlog.COUNT_LIMIT + ")")
                .baseUnit("tasks")
                .strongReference(true)
                .register(registry);
        TimeGauge.builder(
                        OLDEST_DUE_LAG,
                        this,
                        TimeUnit.SECONDS,
                        value(b -> b.oldestDueLag().toNanos() / 1e9))
                .description("How long the oldest due scheduled task has waited")
                .strongReference(true)
                .register(registry);
        Gauge.builder(PENDING_EVENTS, this, value(b -> b.pendingEvents()))
                .description("Task events kept in the outbox and not yet published (counted up to "
                        + Backlog.COUNT_LIMIT + ")")
                .baseUnit("events")
                .strongReference(true)
                .register(registry);
    }

    /** The backlog read last, read again when older than the maximum age; null when never read. */
    synchronized Backlog backlog() {
        long now = nanoTime.getAsLong();
        if (!read || now - lastReadAt >= maxAgeNanos) {
            try {
                last = engine.backlog();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not read the engine's backlog", e);
            }
            // A failed read waits as long as a good one before the next: no read at every scrape while the store is
            // down.
            lastReadAt = now;
            read = true;
        }
        return last;
    }

    private static ToDoubleFunction<TaskEngineMetrics> value(ToDoubleFunction<Backlog> of) {
        return metrics -> {
            Backlog backlog = metrics.backlog();
            return backlog == null ? Double.NaN : of.applyAsDouble(backlog);
        };
    }
}
