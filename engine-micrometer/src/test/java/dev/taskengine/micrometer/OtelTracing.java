package dev.taskengine.micrometer;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * Micrometer Tracing over the OpenTelemetry SDK with an in-memory exporter, wired as Spring Boot wires it: the sender
 * handler, a receiver handler (the link one or Boot's stock parent one), the default handler, first match wins.
 */
final class OtelTracing implements AutoCloseable {
    enum Restore {
        LINK,
        PARENT
    }

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OtelTracer tracer;
    final ObservationRegistry observations = ObservationRegistry.create();
    private final SdkTracerProvider provider;

    OtelTracing(Restore restore) {
        provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        io.opentelemetry.api.trace.Tracer otelTracer = otel.getTracer("test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        tracer =
                new OtelTracer(otelTracer, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(otel.getPropagators(), otelTracer);
        observations
                .observationConfig()
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        restore == Restore.LINK
                                ? new TraceLinkingHandler(tracer, propagator)
                                : new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
    }

    /** The one finished span of that name. */
    SpanData finished(String name) {
        List<SpanData> named = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .toList();
        if (named.size() != 1) {
            throw new AssertionError("expected one span named " + name + ", got " + spans.getFinishedSpanItems());
        }
        return named.get(0);
    }

    @Override
    public void close() {
        provider.close();
    }
}
