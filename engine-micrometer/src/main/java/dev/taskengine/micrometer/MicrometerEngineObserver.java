package dev.taskengine.micrometer;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.EngineObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's {@link EngineObserver} on Micrometer: driving calls and executions as {@link Observation}s (timers
 * through a {@code DefaultMeterObservationHandler}, spans through the tracing handlers), the trace context kept with
 * scheduled tasks, and the scheduler's and relay's figures as meters. Wire it with
 * {@code TaskEngine.builder().observer(new MicrometerEngineObserver(observations, meters))}; the names are in
 * {@code README.md} and the constants here.
 *
 * <p>Only bounded values become low-cardinality keys (meter tags): action names, channels, triggers, outcomes, deferral
 * reasons. Tenants and task ids are high-cardinality keys (span attributes), never tags.
 *
 * <p>{@link #action} and {@link #execution} open the observation's scope on the calling thread, so that what the engine
 * and its sender do meanwhile (a sender's HTTP call, a trace context captured for a created task) is observed inside
 * it; the engine ends each scope on the thread that began it. No method throws: a failing handler is logged and
 * otherwise ignored.
 */
public final class MicrometerEngineObserver implements EngineObserver {
    /** Observation (and timer) of a driving call. */
    public static final String ACTION = "taskengine.action";
    /** Observation (and timer) of a task's message handed to the sender. */
    public static final String EXECUTION = "taskengine.execution";
    /**
     * Observation of a task created or scheduled while a trace is under way: the producer-side point whose trace context
     * is kept with the task ({@link #traceContext()}).
     */
    public static final String SCHEDULE = "taskengine.schedule";
    /** Counter: tasks claimed by the schedulers. */
    public static final String CLAIMED = "taskengine.scheduler.claimed";
    /** Distribution summary: tasks got per claim. */
    public static final String CLAIM_SIZE = "taskengine.scheduler.claim.size";
    /** Counter: claims that got all the tasks they asked for (the batch is full: more are probably due). */
    public static final String CLAIM_FULL = "taskengine.scheduler.claim.full";
    /** Timer: how long after their due time scheduled tasks were handed to the sender, by channel. */
    public static final String LATENESS = "taskengine.scheduler.lateness";
    /** Counter: scheduled sends the sending policy put off, by reason. */
    public static final String DEFERRED = "taskengine.scheduler.deferred";
    /** Counter: events the relay published. */
    public static final String PUBLISHED = "taskengine.events.published";

    /** Low-cardinality keys. */
    public static final String KEY_ACTION = "action";

    public static final String KEY_OUTCOME = "outcome";
    public static final String KEY_CHANNEL = "channel";
    public static final String KEY_TRIGGER = "trigger";
    public static final String KEY_REASON = "reason";
    /** High-cardinality keys (span attributes only). */
    public static final String KEY_TENANT = "tenant";

    public static final String KEY_TASK_ID = "task.id";

    /** The outcome of a scope ended by an exception. */
    public static final String OUTCOME_ERROR = "error";

    /** The trace-context entry never kept with a task: baggage may be large and may carry what should not be stored. */
    private static final String BAGGAGE = "baggage";

    private static final System.Logger LOG = System.getLogger(MicrometerEngineObserver.class.getName());

    private final ObservationRegistry observations;
    private final MeterRegistry meters;
    private final Counter claimedTasks;
    private final DistributionSummary claimSize;
    private final Counter fullClaims;
    private final Counter published;

    public MicrometerEngineObserver(ObservationRegistry observations, MeterRegistry meters) {
        this.observations = Objects.requireNonNull(observations, "observations");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.claimedTasks = Counter.builder(CLAIMED)
                .description("Scheduled tasks claimed for execution")
                .baseUnit("tasks")
                .register(meters);
        this.claimSize = DistributionSummary.builder(CLAIM_SIZE)
                .description("Scheduled tasks got per claim")
                .baseUnit("tasks")
                .register(meters);
        this.fullClaims = Counter.builder(CLAIM_FULL)
                .description("Claims that got every task they asked for")
                .register(meters);
        this.published = Counter.builder(PUBLISHED)
                .description("Task events published by the relay")
                .baseUnit("events")
                .register(meters);
    }

    @Override
    public Scope action(String action, TenantId tenant) {
        try {
            Observation observation = Observation.createNotStarted(ACTION, observations)
                    .contextualName("taskengine " + action)
                    .lowCardinalityKeyValue(KEY_ACTION, action);
            if (tenant != null) {
                observation.highCardinalityKeyValue(KEY_TENANT, tenant.value());
            }
            return new ObservationScope(observation.start());
        } catch (RuntimeException e) {
            return failedToObserve(ACTION, e);
        }
    }

    @Override
    public Scope execution(
            Channel channel, TenantId tenant, TaskId task, boolean scheduled, Map<String, String> trace) {
        try {
            ExecutionContext context = new ExecutionContext(channel, tenant, task, scheduled, trace);
            String channelName = channelName(channel);
            Observation observation = Observation.createNotStarted(EXECUTION, () -> context, observations)
                    .contextualName("execute " + channelName)
                    .lowCardinalityKeyValue(KEY_CHANNEL, channelName)
                    .lowCardinalityKeyValue(KEY_TRIGGER, scheduled ? "scheduled" : "byHand")
                    .highCardinalityKeyValue(KEY_TENANT, tenant.value())
                    .highCardinalityKeyValue(KEY_TASK_ID, Long.toString(task.value()));
            return new ObservationScope(observation.start());
        } catch (RuntimeException e) {
            return failedToObserve(EXECUTION, e);
        }
    }

    /**
     * Observes a zero-length {@code taskengine.schedule} observation (kind {@link Kind#PRODUCER}) whose carrier is a
     * map: a sender tracing handler (Micrometer Tracing's {@code PropagatingSenderTracingObservationHandler}) starts its
     * span in the current trace and injects that span's context ({@code traceparent}, {@code tracestate}) into the
     * map. Answers the map, without baggage; empty without tracing (no such handler, or a no-op registry).
     */
    @Override
    public Map<String, String> traceContext() {
        if (observations.isNoop()) {
            return Map.of();
        }
        try {
            Map<String, String> carrier = new HashMap<>();
            SenderContext<Map<String, String>> context = new SenderContext<>(
                    (map, key, value) -> {
                        if (map != null && key != null && value != null) {
                            map.put(key, value);
                        }
                    },
                    Kind.PRODUCER);
            context.setCarrier(carrier);
            Observation.createNotStarted(SCHEDULE, () -> context, observations)
                    .contextualName("schedule task")
                    .start()
                    .stop();
            carrier.remove(BAGGAGE);
            return Map.copyOf(carrier);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not capture the trace context of a task", e);
            return Map.of();
        }
    }

    @Override
    public void claimed(int wanted, int claimed) {
        try {
            claimedTasks.increment(claimed);
            claimSize.record(claimed);
            if (claimed > 0 && claimed >= wanted) {
                fullClaims.increment();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record a claim", e);
        }
    }

    @Override
    public void sentLate(Channel channel, Duration lateness) {
        try {
            Timer.builder(LATENESS)
                    .description("How long after their due time scheduled tasks were handed to the sender")
                    .tag(KEY_CHANNEL, channelName(channel))
                    .register(meters)
                    .record(lateness.isNegative() ? Duration.ZERO : lateness);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record a lateness", e);
        }
    }

    @Override
    public void deferred(String reason) {
        try {
            Counter.builder(DEFERRED)
                    .description("Scheduled sends put off by the sending policy")
                    .tag(KEY_REASON, reason)
                    .register(meters)
                    .increment();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record a deferral", e);
        }
    }

    @Override
    public void published(int count) {
        try {
            published.increment(count);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record published events", e);
        }
    }

    /** {@code email} or {@code sms}. */
    static String channelName(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    private static Scope failedToObserve(String name, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not start observation " + name, e);
        return EngineObserver.None.INSTANCE;
    }

    /** A started observation with its scope open on the thread that started it; ended once. */
    private static final class ObservationScope implements Scope {
        private final Observation observation;
        private final Observation.Scope scope;
        private final AtomicBoolean ended = new AtomicBoolean();

        ObservationScope(Observation observation) {
            this.observation = observation;
            this.scope = observation.openScope();
        }

        @Override
        public void end(String outcome) {
            if (ended.compareAndSet(false, true)) {
                try {
                    observation.lowCardinalityKeyValue(KEY_OUTCOME, outcome);
                    close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not end an observation", e);
                }
            }
        }

        @Override
        public void failed(Throwable error) {
            if (ended.compareAndSet(false, true)) {
                try {
                    observation.lowCardinalityKeyValue(KEY_OUTCOME, OUTCOME_ERROR);
                    observation.error(error);
                    close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not end an observation", e);
                }
            }
        }

        private void close() {
            try {
                scope.close();
            } finally {
                observation.stop();
            }
        }
    }
}
