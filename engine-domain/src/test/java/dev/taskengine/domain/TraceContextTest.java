package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final java.time.Instant NOW = java.time.Instant.parse("2026-03-02T09:00:00Z");
    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aWellFormedContextIsKeptWithItsState() {
        TraceContext trace = TraceContext.of(Map.of("traceparent", PARENT, "tracestate", "rojo=00f067aa0ba902b7"));
        assertThat(trace.traceparent()).contains(PARENT);
        assertThat(trace.tracestate()).contains("rojo=00f067aa0ba902b7");
        assertThat(trace.asMap())
                .containsExactly(Map.entry("traceparent", PARENT), Map.entry("tracestate", "rojo=00f067aa0ba902b7"));
    }

    @Test
    void aMalformedTraceparentDropsTheWholeContext() {
        for (String bad : new String[] {
            "",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f-00f067aa0ba902b7-01",
            PARENT + " ",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"
        }) {
            assertThat(TraceContext.of(Map.of("traceparent", bad, "tracestate", "a=b")))
                    .as(bad)
                    .isEqualTo(TraceContext.NONE);
        }
        assertThat(TraceContext.of(Map.of("tracestate", "a=b"))).isEqualTo(TraceContext.NONE);
        assertThat(TraceContext.of(Map.of())).isEqualTo(TraceContext.NONE);
        assertThat(TraceContext.of(null)).isEqualTo(TraceContext.NONE);
        assertThat(TraceContext.NONE.asMap()).isEmpty();
    }

    @Test
    void aTracestateOverItsLimitIsDroppedAndTheParentKept() {
        Map<String, String> carrier = new HashMap<>();
        carrier.put("traceparent", PARENT);
        carrier.put("tracestate", "a".repeat(TraceContext.TRACESTATE_MAX_CHARS + 1));
        assertThat(TraceContext.of(carrier)).isEqualTo(new TraceContext(Optional.of(PARENT), Optional.empty()));
        carrier.put("tracestate", "a".repeat(TraceContext.TRACESTATE_MAX_CHARS));
        assertThat(TraceContext.of(carrier).tracestate()).isPresent();
    }

    @Test
    void aStoredContextThatBreaksTheRulesIsCorrupt() {
        assertThat(TraceContext.stored(null, null)).isEqualTo(TraceContext.NONE);
        assertThat(TraceContext.stored(PARENT, null).traceparent()).contains(PARENT);
        assertThatThrownBy(() -> TraceContext.stored("nope", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TraceContext(Optional.empty(), Optional.of("a=b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTaskKeepsItsTraceThroughItsChangesAndTracedKeepsItsVersion() {
        TraceContext trace = TraceContext.of(Map.of("traceparent", PARENT));
        Task task = Task.create(Fixtures.newToDo().build(), TemplateEngine.create(), NOW, () -> TaskId.of(1))
                .get();
        assertThat(task.trace()).isEqualTo(TraceContext.NONE);
        Task traced = task.traced(trace);
        assertThat(traced.version()).isEqualTo(task.version());
        assertThat(traced.trace()).isEqualTo(trace);
        Task started = traced.start(NOW.plusSeconds(60)).get();
        assertThat(started.trace()).isEqualTo(trace);
        assertThat(FieldChange.between(traced, task)).isEmpty();
    }
}
