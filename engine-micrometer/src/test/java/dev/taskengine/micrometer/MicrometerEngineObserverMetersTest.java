package dev.taskengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters the observer leaves, through Micrometer's DefaultMeterObservationHandler and directly. */
class MicrometerEngineObserverMetersTest {
    private static final TenantId ACME = TenantId.of("acme");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ObservationRegistry observations = ObservationRegistry.create();
    private final MicrometerEngineObserver observer;

    MicrometerEngineObserverMetersTest() {
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        observer = new MicrometerEngineObserver(observations, meters);
    }

    @Test
    void anActionLeavesATimerTaggedWithActionOutcomeAndError() {
        observer.action("create", ACME).end("done");
        observer.action("create", ACME).end("task.invalid");

        Timer done = meters.get("taskengine.action")
                .tags("action", "create", "outcome", "done", "error", "none")
                .timer();
        Timer refused = meters.get("taskengine.action")
                .tags("action", "create", "outcome", "task.invalid", "error", "none")
                .timer();
        assertThat(done.count()).isEqualTo(1);
        assertThat(refused.count()).isEqualTo(1);
    }

    @Test
    void anActionEndedByAnExceptionIsTaggedWithItsClass() {
        observer.action("complete", ACME).failed(new IllegalStateException("store down"));

        assertThat(meters.get("taskengine.action")
                        .tags("action", "complete", "outcome", "error", "error", "IllegalStateException")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anExecutionLeavesATimerTaggedWithChannelTriggerAndOutcome() {
        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("sent");
        observer.execution(Channel.EMAIL, ACME, TaskId.of(43), false, Map.of()).end("failed");

        assertThat(meters.get("taskengine.execution")
                        .tags("channel", "sms", "trigger", "scheduled", "outcome", "sent", "error", "none")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("taskengine.execution")
                        .tags("channel", "email", "trigger", "byHand", "outcome", "failed")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anExecutionUnderWayIsALongTaskTimer() {
        var scope = observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of());

        assertThat(meters.get("taskengine.execution.active")
                        .tags("channel", "sms", "trigger", "scheduled")
                        .longTaskTimer()
                        .activeTasks())
                .isEqualTo(1);
        scope.end("sent");
    }

    @Test
    void claimsCountTheClaimedTasksAndTheirSizes() {
        observer.claimed(100, 3);
        observer.claimed(100, 0);

        assertThat(meters.get("taskengine.scheduler.claimed").counter().count()).isEqualTo(3);
        assertThat(meters.get("taskengine.scheduler.claim.size").summary().count())
                .isEqualTo(2);
        assertThat(meters.get("taskengine.scheduler.claim.size").summary().max())
                .isEqualTo(3);
    }

    @Test
    void aClaimThatGotEveryTaskItAskedForCountsAsFull() {
        observer.claimed(10, 10);
        observer.claimed(10, 4);

        assertThat(meters.get("taskengine.scheduler.claim.full").counter().count())
                .isEqualTo(1);
    }

    @Test
    void latenessIsATimerTaggedWithTheChannel() {
        observer.sentLate(Channel.SMS, Duration.ofSeconds(7));
        observer.sentLate(Channel.EMAIL, Duration.ofSeconds(1));

        Timer sms = meters.get("taskengine.scheduler.lateness")
                .tag("channel", "sms")
                .timer();
        assertThat(sms.count()).isEqualTo(1);
        assertThat(sms.totalTime(TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(meters.get("taskengine.scheduler.lateness")
                        .tag("channel", "email")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void deferralsAreCountedByReason() {
        observer.deferred("sending.outsideWindow");
        observer.deferred("sending.outsideWindow");
        observer.deferred("sending.dailyLimit");

        assertThat(meters.get("taskengine.scheduler.deferred")
                        .tag("reason", "sending.outsideWindow")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("taskengine.scheduler.deferred")
                        .tag("reason", "sending.dailyLimit")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void publishedEventsAreCounted() {
        observer.published(5);
        observer.published(2);

        assertThat(meters.get("taskengine.events.published").counter().count()).isEqualTo(7);
    }

    @Test
    void noMeterIsTaggedWithATenantOrATaskId() {
        observer.action("create", ACME).end("done");
        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("sent");
        observer.traceContext();
        observer.claimed(10, 2);
        observer.sentLate(Channel.SMS, Duration.ofSeconds(1));
        observer.deferred("sending.outsideWindow");
        observer.published(1);

        assertThat(meters.getMeters())
                .isNotEmpty()
                .allSatisfy(meter -> assertThat(tagsOf(meter))
                        .noneMatch(tag -> tag.getKey().equals("tenant")
                                || tag.getKey().equals("task.id")
                                || tag.getValue().equals("acme")
                                || tag.getValue().equals("42")));
    }

    @Test
    void everyMeterNameIsLowercaseAndDotted() {
        observer.action("snoozeAll", null).end("done");
        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("sent");
        observer.claimed(10, 2);
        observer.sentLate(Channel.SMS, Duration.ofSeconds(1));
        observer.deferred("sending.outsideWindow");

        assertThat(meters.getMeters())
                .extracting(meter -> meter.getId().getName())
                .allMatch(name -> name.matches("taskengine(\\.[a-z]+)+"));
    }

    private static Iterable<Tag> tagsOf(Meter meter) {
        return meter.getId().getTags();
    }
}
