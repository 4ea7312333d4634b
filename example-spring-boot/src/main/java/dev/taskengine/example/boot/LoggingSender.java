package dev.taskengine.example.boot;

import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.LinkData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * "Sends" by logging, with the trace the engine's execution runs in (its trace id, when engine-micrometer's observer
 * is on the class path and Boot's tracing is on) and the trace it links to: the one that created the task (with
 * {@code taskengine.tracing.restore=link}, the default; with {@code parent} the execution is in that trace itself and
 * has no link).
 */
@Component
public class LoggingSender implements MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSender.class);

    private final ObjectProvider<Tracer> tracer;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    /** What was sent, in which trace, and the trace its span links to (each null when none). */
    public record Sent(OutgoingMessage message, String traceId, String linkedTraceId) {}

    LoggingSender(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    @Override
    public Delivery send(OutgoingMessage message) {
        Tracer current = tracer.getIfAvailable();
        Span span = current == null ? null : current.currentSpan();
        String traceId = span == null ? null : span.context().traceId();
        String linkedTraceId = linkedTraceId();
        sent.add(new Sent(message, traceId, linkedTraceId));
        LOG.info(
                "sent task {} to {}: {} (trace id {}, linked to the creating trace {})",
                message.taskId(),
                message.to(),
                message.subject().orElse("-"),
                traceId == null ? "none" : traceId,
                linkedTraceId == null ? "none" : linkedTraceId);
        return Delivery.delivered("example-" + message.idempotencyKey());
    }

    /**
     * The trace id of the current span's link, read from the OpenTelemetry SDK's span (Micrometer's API does not
     * expose links): the execution span's link to the context kept with the task.
     */
    private static String linkedTraceId() {
        if (io.opentelemetry.api.trace.Span.current() instanceof ReadableSpan readable) {
            return readable.toSpanData().getLinks().stream()
                    .map(LinkData::getSpanContext)
                    .map(context -> context.getTraceId())
                    .findFirst()
                    .orElse(null);
        }
        return null;
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }
}
