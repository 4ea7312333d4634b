package dev.taskengine.micrometer;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;
import java.util.Objects;

/**
 * The context of a {@code taskengine.execution} observation: one task's message handed to the sender. Its carrier is
 * the trace context kept with the task when it was created or scheduled (empty when none), read with {@link Map#get},
 * so that a receiver tracing handler restores it: Micrometer Tracing's stock
 * {@code PropagatingReceiverTracingObservationHandler} makes it the span's parent, {@link TraceLinkingHandler} a link.
 * Its kind is {@link Kind#CONSUMER}, as for the processing of a message.
 */
public final class ExecutionContext extends ReceiverContext<Map<String, String>> {
    private final Channel channel;
    private final TenantId tenant;
    private final TaskId task;
    private final boolean scheduled;

    public ExecutionContext(
            Channel channel, TenantId tenant, TaskId task, boolean scheduled, Map<String, String> trace) {
        super((carrier, key) -> carrier == null ? null : carrier.get(key), Kind.CONSUMER);
        this.channel = Objects.requireNonNull(channel, "channel");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.task = Objects.requireNonNull(task, "task");
        this.scheduled = scheduled;
        setCarrier(Map.copyOf(Objects.requireNonNull(trace, "trace")));
    }

    public Channel channel() {
        return channel;
    }

    public TenantId tenant() {
        return tenant;
    }

    public TaskId task() {
        return task;
    }

    /** Whether the scheduler executes the task ({@code true}) or someone does by hand. */
    public boolean scheduled() {
        return scheduled;
    }

    /** The trace context kept with the task (W3C {@code traceparent} and {@code tracestate}, say); may be empty. */
    public Map<String, String> trace() {
        Map<String, String> carrier = getCarrier();
        return carrier == null ? Map.of() : carrier;
    }
}
