package dev.taskengine.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The trace context kept with a task: the W3C {@code traceparent} of the call that created it, or last made it
 * scheduled or moved its scheduled start, and the {@code tracestate} that came with it, so that its send can be tied to
 * that trace. Not user input: {@link #of(Map)} keeps a well-formed context and drops anything else (no error).
 *
 * @param traceparent the W3C traceparent ({@code 00-<32 hex>-<16 hex>-<2 hex>}); empty when there was no trace
 * @param tracestate  the W3C tracestate, at most {@link #TRACESTATE_MAX_CHARS} characters; only with a traceparent
 */
public record TraceContext(Optional<String> traceparent, Optional<String> tracestate) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final int TRACESTATE_MAX_CHARS = 512;

    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");

    /** No trace. */
    public static final TraceContext NONE = new TraceContext(Optional.empty(), Optional.empty());

    public TraceContext {
        Objects.requireNonNull(traceparent, "traceparent");
        Objects.requireNonNull(tracestate, "tracestate");
        if (traceparent.isPresent() && !validTraceparent(traceparent.get())) {
            throw new IllegalArgumentException("corrupt trace context: traceparent is not W3C's");
        }
        if (tracestate.isPresent() && (traceparent.isEmpty() || !validTracestate(tracestate.get()))) {
            throw new IllegalArgumentException(
                    "corrupt trace context: a tracestate comes with a traceparent, in at most 512 characters");
        }
    }

    /**
     * The context in {@code carrier} (as {@code EngineObserver.traceContext()} reports it): its traceparent when
     * well-formed, and its tracestate when short enough; {@link #NONE} when there is no well-formed traceparent.
     */
    public static TraceContext of(Map<String, String> carrier) {
        if (carrier == null || carrier.isEmpty()) {
            return NONE;
        }
        String parent = carrier.get(TRACEPARENT);
        if (parent == null || !validTraceparent(parent)) {
            return NONE;
        }
        String state = carrier.get(TRACESTATE);
        return new TraceContext(Optional.of(parent), Optional.ofNullable(state).filter(TraceContext::validTracestate));
    }

    /** Rebuilds a stored context: {@link #NONE} when {@code traceparent} is null. */
    public static TraceContext stored(String traceparent, String tracestate) {
        return traceparent == null ? NONE : new TraceContext(Optional.of(traceparent), Optional.ofNullable(tracestate));
    }

    public boolean isEmpty() {
        return traceparent.isEmpty();
    }

    /** As a carrier map ({@code traceparent}, {@code tracestate} when present); empty for {@link #NONE}. */
    public Map<String, String> asMap() {
        if (traceparent.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        map.put(TRACEPARENT, traceparent.get());
        tracestate.ifPresent(state -> map.put(TRACESTATE, state));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static boolean validTraceparent(String value) {
        return TRACEPARENT_FORMAT.matcher(value).matches();
    }

    private static boolean validTracestate(String value) {
        return !value.isEmpty() && value.length() <= TRACESTATE_MAX_CHARS;
    }
}
