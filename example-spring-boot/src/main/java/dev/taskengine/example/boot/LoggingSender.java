package dev.taskengine.example.boot;

import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * "Sends" by logging, with the trace the engine's execution runs in (its trace id, when engine-micrometer's observer
 * is on the class path and Boot's tracing is on).
 */
@Component
public class LoggingSender implements MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSender.class);

    private final ObjectProvider<Tracer> tracer;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    /** What was sent, and in which trace (null when none). */
    public record Sent(OutgoingMessage message, String traceId) {}

    LoggingSender(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    @Override
    public Delivery send(OutgoingMessage message) {
        Tracer current = tracer.getIfAvailable();
        Span span = current == null ? null : current.currentSpan();
        String traceId = span == null ? null : span.context().traceId();
        sent.add(new Sent(message, traceId));
        LOG.info(
                "sent task {} to {}: {} (trace id {})",
                message.taskId(),
                message.to(),
                message.subject().orElse("-"),
                traceId == null ? "none" : traceId);
        return Delivery.delivered("example-" + message.idempotencyKey());
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }
}
