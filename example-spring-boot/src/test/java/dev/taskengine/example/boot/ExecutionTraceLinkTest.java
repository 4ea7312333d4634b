package dev.taskengine.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** By default the scheduled execution of a task created by a request is a new trace, linked to the request's. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"example.demo=false", "taskengine.scheduler.poll-interval=50ms"})
@Import(InMemoryTracing.class)
class ExecutionTraceLinkTest extends ExecutionTraces {
    @Test
    void the_scheduled_execution_starts_a_new_trace_linked_to_the_request_that_created_the_task() throws Exception {
        long task = openADealOverHttp();
        Spans found = spansOf(task);

        assertThat(found.execution().getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(found.execution().getParentSpanContext().isValid()).isFalse();
        assertThat(found.execution().getTraceId()).isNotEqualTo(found.request().getTraceId());
        assertThat(found.execution().getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId())
                    .isEqualTo(found.request().getTraceId());
            assertThat(link.getSpanContext().getSpanId())
                    .isEqualTo(found.schedule().getSpanId());
        });
        LoggingSender.Sent sent = sentOf(task);
        assertThat(sent.traceId()).isEqualTo(found.execution().getTraceId());
        assertThat(sent.linkedTraceId()).isEqualTo(found.request().getTraceId());
    }
}
