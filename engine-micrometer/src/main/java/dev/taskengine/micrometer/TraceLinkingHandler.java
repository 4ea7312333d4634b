package dev.taskengine.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the span of a task's execution ({@link ExecutionContext}) <em>linked</em> to the trace that created or
 * scheduled the task, instead of as its child: the span's parent is whatever is current where the task is executed (the
 * request of a send by hand), or none for the scheduler (a new trace), and it has one link, to the stored W3C
 * {@code traceparent}, with the attribute {@value #LINK_ATTRIBUTE} = {@code created}.
 *
 * <p>This is the recommended restore and the one to register by default: the OpenTelemetry messaging conventions say a
 * process span SHOULD link to the message's creation context, and a scheduled task may run hours or days after its
 * creator's trace ended, possibly several times (retries); as a child it would stretch that trace and mis-time it. For
 * the creator as parent instead (fine for a task executed at once), register Micrometer Tracing's stock
 * {@link PropagatingReceiverTracingObservationHandler}, which reads the same carrier.
 *
 * <p>Register it before the stock receiver handler (in a {@code FirstMatchingCompositeObservationHandler}, or as a bean
 * ordered first): it supports execution contexts only. Needs {@code micrometer-tracing} on the class path (an optional
 * dependency of this module); the rest of the module works without it.
 */
public final class TraceLinkingHandler extends PropagatingReceiverTracingObservationHandler<ExecutionContext> {
    /** The attribute on the link. */
    public static final String LINK_ATTRIBUTE = "taskengine.link";

    /** {@code version-traceid-parentid-flags}, lowercase hex; version ff is invalid, as are all-zero ids. */
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

    public TraceLinkingHandler(Tracer tracer, Propagator propagator) {
        super(tracer, propagator);
    }

    @Override
    public Span.Builder customizeExtractedSpan(ExecutionContext context, Span.Builder builder) {
        Span current = getParentSpan(context);
        if (current == null) {
            current = getTracer().currentSpan();
        }
        Span.Builder parented = current == null ? builder.setNoParent() : builder.setParent(current.context());
        TraceContext created = created(context.trace());
        return created == null ? parented : parented.addLink(new Link(created, Map.of(LINK_ATTRIBUTE, "created")));
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ExecutionContext;
    }

    /** The context of the stored {@code traceparent}; null when there is none or it is not a valid one. */
    private TraceContext created(Map<String, String> trace) {
        String traceparent = trace.get("traceparent");
        if (traceparent == null) {
            return null;
        }
        Matcher m = TRACEPARENT.matcher(traceparent.trim());
        if (!m.matches()
                || m.group(1).equals("ff")
                || m.group(2).chars().allMatch(c -> c == '0')
                || m.group(3).chars().allMatch(c -> c == '0')) {
            return null;
        }
        boolean sampled = (Integer.parseInt(m.group(4), 16) & 1) == 1;
        return getTracer()
                .traceContextBuilder()
                .traceId(m.group(2))
                .spanId(m.group(3))
                .sampled(sampled)
                .build();
    }
}
