package dev.taskengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.EngineObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each observer method observes, as Micrometer's test registry sees it. */
class MicrometerEngineObserverObservationTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final Map<String, String> STORED =
            Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    private final TestObservationRegistry observations = TestObservationRegistry.builder()
            .validateObservationsWithTheSameNameHavingTheSameSetOfLowCardinalityKeys(true)
            .build();
    private final MicrometerEngineObserver observer =
            new MicrometerEngineObserver(observations, new SimpleMeterRegistry());

    @Test
    void anActionIsObservedWithItsNameAndOutcome() {
        observer.action("create", ACME).end("done");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.action")
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasContextualNameEqualTo("taskengine create")
                .hasLowCardinalityKeyValue("action", "create")
                .hasLowCardinalityKeyValue("outcome", "done")
                .doesNotHaveError();
    }

    @Test
    void anActionsTenantIsAHighCardinalityKeyOnly() {
        observer.action("complete", ACME).end("done");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.action")
                .that()
                .hasHighCardinalityKeyValue("tenant", "acme")
                .doesNotHaveLowCardinalityKeyValueWithKey("tenant");
    }

    @Test
    void anActionAcrossTenantsHasNoTenant() {
        observer.action("snoozeAll", null).end("done");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.action")
                .that()
                .doesNotHaveHighCardinalityKeyValueWithKey("tenant");
    }

    @Test
    void aRefusedActionsOutcomeIsTheRefusalCode() {
        observer.action("complete", ACME).end("task.notFound");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.action")
                .that()
                .hasLowCardinalityKeyValue("outcome", "task.notFound")
                .doesNotHaveError();
    }

    @Test
    void anActionEndedByAnExceptionHasTheErrorAndTheOutcomeError() {
        IllegalStateException broken = new IllegalStateException("store down");
        observer.action("create", ACME).failed(broken);

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.action")
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "error")
                .hasError(broken);
    }

    @Test
    void aScopeEndedTwiceIsObservedOnce() {
        EngineObserver.Scope scope = observer.action("create", ACME);
        scope.end("done");
        scope.end("task.notFound");

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("taskengine.action", 1)
                .hasObservationWithNameEqualTo("taskengine.action")
                .that()
                .hasLowCardinalityKeyValue("outcome", "done");
    }

    @Test
    void aScheduledExecutionIsObservedWithChannelTriggerAndOutcome() {
        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("sent");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.execution")
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .hasContextualNameEqualTo("execute sms")
                .hasLowCardinalityKeyValue("channel", "sms")
                .hasLowCardinalityKeyValue("trigger", "scheduled")
                .hasLowCardinalityKeyValue("outcome", "sent")
                .doesNotHaveError();
    }

    @Test
    void anExecutionByHandSaysSo() {
        observer.execution(Channel.EMAIL, ACME, TaskId.of(42), false, Map.of()).end("retry");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.execution")
                .that()
                .hasContextualNameEqualTo("execute email")
                .hasLowCardinalityKeyValue("channel", "email")
                .hasLowCardinalityKeyValue("trigger", "byHand")
                .hasLowCardinalityKeyValue("outcome", "retry");
    }

    @Test
    void anExecutionsTenantAndTaskIdAreHighCardinalityKeysOnly() {
        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("failed");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.execution")
                .that()
                .hasHighCardinalityKeyValue("tenant", "acme")
                .hasHighCardinalityKeyValue("task.id", "42")
                .doesNotHaveLowCardinalityKeyValueWithKey("tenant")
                .doesNotHaveLowCardinalityKeyValueWithKey("task.id");
    }

    @Test
    void anExecutionCarriesTheStoredTraceContextForAReceiverHandler() {
        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, STORED).end("sent");

        TestObservationRegistryAssert.assertThat(observations)
                .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                        .singleElement()
                        .isInstanceOfSatisfying(ReceiverContext.class, context -> {
                            assertThat(context.getKind()).isEqualTo(Kind.CONSUMER);
                            assertThat(context.getCarrier()).isEqualTo(STORED);
                            @SuppressWarnings("unchecked")
                            ReceiverContext<Map<String, String>> typed = context;
                            assertThat(typed.getGetter().get(typed.getCarrier(), "traceparent"))
                                    .isEqualTo(STORED.get("traceparent"));
                        }));
    }

    @Test
    void anExecutionInsideAnActionIsItsChild() {
        EngineObserver.Scope action = observer.action("execute", ACME);
        observer.execution(Channel.SMS, ACME, TaskId.of(42), false, Map.of()).end("sent");
        action.end("done");

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.execution")
                .that()
                .hasParentObservationContextMatching(parent -> parent.getName().equals("taskengine.action"));
    }

    @Test
    void capturingTheTraceContextObservesAProducerSenderContextWithAMapCarrier() {
        observer.traceContext();

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("taskengine.schedule")
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .isInstanceOfSatisfying(SenderContext.class, context -> {
                    assertThat(context.getKind()).isEqualTo(Kind.PRODUCER);
                    assertThat(context.getCarrier()).isInstanceOf(Map.class);
                });
    }

    @Test
    void withoutTracingTheTraceContextIsEmpty() {
        assertThat(observer.traceContext()).isEmpty();
    }

    @Test
    void onAPlainRegistryTheTraceContextIsEmpty() {
        ObservationRegistry plain = ObservationRegistry.create();
        plain.observationConfig().observationHandler(context -> true);

        assertThat(new MicrometerEngineObserver(plain, new SimpleMeterRegistry()).traceContext())
                .isEmpty();
    }

    @Test
    void onTheNoopRegistryNothingIsObservedAndTheTraceContextIsEmpty() {
        MicrometerEngineObserver noop =
                new MicrometerEngineObserver(ObservationRegistry.NOOP, new SimpleMeterRegistry());

        noop.action("create", ACME).end("done");
        noop.execution(Channel.SMS, ACME, TaskId.of(42), true, STORED).end("sent");

        assertThat(noop.traceContext()).isEmpty();
    }
}
