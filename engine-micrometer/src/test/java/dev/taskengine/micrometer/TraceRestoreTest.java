package dev.taskengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trace context kept with a task, from the span that created it to the span of its execution later, with no span
 * open: linked ({@link TraceLinkingHandler}) or as the parent (Micrometer Tracing's stock receiver handler).
 */
class TraceRestoreTest {
    private static final TenantId ACME = TenantId.of("acme");

    private OtelTracing tracing;

    @AfterEach
    void closeTracing() {
        if (tracing != null) {
            tracing.close();
        }
    }

    private MicrometerEngineObserver observer(OtelTracing.Restore restore) {
        tracing = new OtelTracing(restore);
        return new MicrometerEngineObserver(tracing.observations, new SimpleMeterRegistry());
    }

    /** The trace context captured inside an open span named {@code create}, which is then ended. */
    @SuppressWarnings("try") // the scope is only opened and closed
    private Map<String, String> capturedInsideACreatorSpan(MicrometerEngineObserver observer) {
        Tracer tracer = tracing.tracer;
        Span creator = tracer.nextSpan().name("create").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(creator)) {
            return observer.traceContext();
        } finally {
            creator.end();
        }
    }

    @Test
    void theCapturedTraceContextIsTheW3cTraceparentOfAScheduleSpanInTheCreatorsTrace() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);

        Map<String, String> trace = capturedInsideACreatorSpan(observer);

        SpanData creator = tracing.finished("create");
        SpanData schedule = tracing.finished("schedule task");
        assertThat(schedule.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(schedule.getParentSpanId()).isEqualTo(creator.getSpanId());
        // Flags: sampled (01), and with OpenTelemetry 1.68 the W3C level-2 random trace id flag (02) too.
        assertThat(trace).containsOnlyKeys("traceparent");
        assertThat(trace.get("traceparent"))
                .startsWith("00-" + creator.getTraceId() + "-" + schedule.getSpanId() + "-")
                .matches(".*-0[13]");
    }

    @Test
    void withTheLinkHandlerTheExecutionStartsANewTraceLinkedToTheCreator() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);
        Map<String, String> trace = capturedInsideACreatorSpan(observer);

        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, trace).end("sent");

        SpanData creator = tracing.finished("create");
        SpanData schedule = tracing.finished("schedule task");
        SpanData execution = tracing.finished("execute sms");
        assertThat(execution.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(execution.getParentSpanContext().isValid()).isFalse();
        assertThat(execution.getTraceId()).isNotEqualTo(creator.getTraceId());
        assertThat(execution.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(creator.getTraceId());
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(schedule.getSpanId());
            assertThat(link.getAttributes().get(AttributeKey.stringKey("taskengine.link")))
                    .isEqualTo("created");
        });
    }

    @Test
    @SuppressWarnings("try") // the scope is only opened and closed
    void withTheLinkHandlerAnExecutionByHandIsAChildOfTheCurrentSpanAndLinkedToTheCreator() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);
        Map<String, String> trace = capturedInsideACreatorSpan(observer);
        Tracer tracer = tracing.tracer;
        Span request = tracer.nextSpan().name("request").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            observer.execution(Channel.SMS, ACME, TaskId.of(42), false, trace).end("sent");
        } finally {
            request.end();
        }

        SpanData execution = tracing.finished("execute sms");
        assertThat(execution.getParentSpanId())
                .isEqualTo(tracing.finished("request").getSpanId());
        assertThat(execution.getLinks())
                .extracting(LinkData::getSpanContext)
                .extracting(context -> context.getTraceId())
                .containsExactly(tracing.finished("create").getTraceId());
    }

    @Test
    void withTheLinkHandlerAnExecutionWithoutAStoredTraceHasNoLink() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);

        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("sent");

        SpanData execution = tracing.finished("execute sms");
        assertThat(execution.getLinks()).isEmpty();
        assertThat(execution.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void withTheLinkHandlerAMalformedStoredTraceIsIgnored() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);

        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of("traceparent", "00-nonsense-01"))
                .end("sent");

        assertThat(tracing.finished("execute sms").getLinks()).isEmpty();
    }

    @Test
    void withTheStockReceiverHandlerTheCreatorIsTheExecutionsParent() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.PARENT);
        Map<String, String> trace = capturedInsideACreatorSpan(observer);

        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, trace).end("sent");

        SpanData creator = tracing.finished("create");
        SpanData schedule = tracing.finished("schedule task");
        SpanData execution = tracing.finished("execute sms");
        assertThat(execution.getTraceId()).isEqualTo(creator.getTraceId());
        assertThat(execution.getParentSpanId()).isEqualTo(schedule.getSpanId());
        assertThat(execution.getLinks()).isEmpty();
    }

    @Test
    void theExecutionSpanHasTheTenantAndTaskIdAsAttributes() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);

        observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of()).end("sent");

        SpanData execution = tracing.finished("execute sms");
        assertThat(execution.getAttributes().get(AttributeKey.stringKey("tenant")))
                .isEqualTo("acme");
        assertThat(execution.getAttributes().get(AttributeKey.stringKey("task.id")))
                .isEqualTo("42");
        assertThat(execution.getAttributes().get(AttributeKey.stringKey("outcome")))
                .isEqualTo("sent");
    }

    @Test
    void aSpanCreatedWhileAnExecutionIsUnderWayIsItsChild() {
        MicrometerEngineObserver observer = observer(OtelTracing.Restore.LINK);

        var scope = observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of());
        Span send = tracing.tracer.nextSpan().name("provider call").start();
        send.end();
        scope.end("sent");

        assertThat(tracing.finished("provider call").getParentSpanId())
                .isEqualTo(tracing.finished("execute sms").getSpanId());
    }
}
