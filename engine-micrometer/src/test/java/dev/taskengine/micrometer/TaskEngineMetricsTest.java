package dev.taskengine.micrometer;

import static dev.taskengine.micrometer.TestEngines.NOW;
import static dev.taskengine.micrometer.TestEngines.created;
import static dev.taskengine.micrometer.TestEngines.scheduledSms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The backlog gauges, against an engine on the in-memory store. */
class TaskEngineMetricsTest {
    private final TestEngines.MutableClock clock = new TestEngines.MutableClock(NOW);
    private final TaskEngine engine = TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .contacts(TestEngines.CONTACTS)
            .clock(clock)
            // A publisher that is down: every event stays in the outbox, pending.
            .events(event -> {
                throw new BrokerDown();
            })
            .build();
    /** Without a stack trace: the engine logs each failed publish. */
    private static final class BrokerDown extends RuntimeException {
        BrokerDown() {
            super("broker down (as the test wants)", null, false, false);
        }
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();

    private void bind(Duration maxAge) {
        new TaskEngineMetrics(engine, maxAge, nanos::get).bindTo(meters);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void theBacklogGaugeCountsTheDueScheduledTasks() {
        created(engine, scheduledSms(NOW.minusSeconds(30)));
        created(engine, scheduledSms(NOW.minusSeconds(10)));
        created(engine, scheduledSms(NOW.plus(Duration.ofHours(1))));
        bind(Duration.ZERO);

        assertThat(gauge("taskengine.scheduler.backlog")).isEqualTo(2);
    }

    @Test
    void theOldestDueLagIsATimeGaugeInSeconds() {
        created(engine, scheduledSms(NOW.minusSeconds(30)));
        created(engine, scheduledSms(NOW.minusSeconds(10)));
        bind(Duration.ZERO);

        assertThat(meters.get("taskengine.scheduler.oldest.due.lag").timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(30);
    }

    @Test
    void withNothingDueTheLagIsZero() {
        created(engine, scheduledSms(NOW.plus(Duration.ofHours(1))));
        bind(Duration.ZERO);

        assertThat(gauge("taskengine.scheduler.backlog")).isZero();
        assertThat(meters.get("taskengine.scheduler.oldest.due.lag").timeGauge().value(TimeUnit.SECONDS))
                .isZero();
    }

    @Test
    void thePendingEventsGaugeCountsTheUnpublishedEvents() {
        created(engine, scheduledSms(NOW.minusSeconds(30)));
        created(engine, scheduledSms(NOW.minusSeconds(10)));
        bind(Duration.ZERO);

        assertThat(gauge("taskengine.events.pending")).isEqualTo(2);
    }

    @Test
    void theBacklogIsReadAgainOnlyOnceItIsOlderThanTheMaximumAge() {
        created(engine, scheduledSms(NOW.minusSeconds(30)));
        bind(Duration.ofSeconds(5));
        assertThat(gauge("taskengine.scheduler.backlog")).isEqualTo(1);

        created(engine, scheduledSms(NOW.minusSeconds(10)));
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(gauge("taskengine.scheduler.backlog")).isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(gauge("taskengine.scheduler.backlog")).isEqualTo(2);
    }

    @Test
    void theGaugesLiveAsLongAsTheRegistryThoughNobodyKeepsTheBinder() {
        created(engine, scheduledSms(NOW.minusSeconds(30)));
        new TaskEngineMetrics(engine).bindTo(meters);
        System.gc();

        assertThat(gauge("taskengine.scheduler.backlog")).isEqualTo(1);
    }

    @Test
    void aNegativeMaximumAgeIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new TaskEngineMetrics(engine, Duration.ofSeconds(-1)));
    }
}
