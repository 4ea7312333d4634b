package dev.taskengine.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** With {@code taskengine.tracing.restore=parent} it is in the request's trace. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "example.demo=false",
            "taskengine.scheduler.poll-interval=50ms",
            "taskengine.tracing.restore=parent"
        })
@Import(InMemoryTracing.class)
class ExecutionTraceParentTest extends ExecutionTraces {
    @Test
    void the_scheduled_execution_is_in_the_trace_of_the_request_that_created_the_task() throws Exception {
        long task = openADealOverHttp();
        Spans found = spansOf(task);

        assertThat(found.execution().getTraceId()).isEqualTo(found.request().getTraceId());
        assertThat(found.execution().getParentSpanId())
                .isEqualTo(found.schedule().getSpanId());
        assertThat(found.execution().getLinks()).isEmpty();
        LoggingSender.Sent sent = sentOf(task);
        assertThat(sent.traceId()).isEqualTo(found.request().getTraceId());
        assertThat(sent.linkedTraceId()).isNull();
    }
}
