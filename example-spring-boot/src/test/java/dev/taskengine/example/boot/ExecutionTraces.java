package dev.taskengine.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A follow-up created by an HTTP request (POST /deals) and sent later by the scheduler, its spans exported by Boot's
 * OpenTelemetry tracing to an in-memory exporter. {@link ExecutionTraceLinkTest} (the default) and
 * {@link ExecutionTraceParentTest}
 * ({@code taskengine.tracing.restore=parent}) assert how the execution span is tied to the request's trace.
 */
abstract class ExecutionTraces {
    @Autowired
    InMemoryTracing.Exported exported;

    @Autowired
    LoggingSender sender;

    @Value("${local.server.port}")
    int port;

    /** The request that creates a deal and its follow-up email, due at once; its task id. */
    long openADealOverHttp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + port + "/deals?name=Initech&followUpSeconds=0"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var matcher = java.util.regex.Pattern.compile("\"taskId\":(\\d+)").matcher(response.body());
        assertThat(matcher.find()).as(response.body()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** The spans once the execution of the task has been exported: the request's, the capture's, the execution's. */
    Spans spansOf(long task) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            List<SpanData> finished = exported.exporter().getFinishedSpanItems();
                            Optional<SpanData> execution = finished.stream()
                                    .filter(span -> span.getName().equals("execute email"))
                                    .filter(span -> String.valueOf(task)
                                            .equals(span.getAttributes()
                                                    .get(io.opentelemetry.api.common.AttributeKey.stringKey(
                                                            "task.id"))))
                                    .findFirst();
                            if (execution.isEmpty()) {
                                return null;
                            }
                            SpanData request = finished.stream()
                                    .filter(span -> span.getKind() == SpanKind.SERVER)
                                    .filter(span -> span.getName().contains("/deals"))
                                    .reduce((first, second) -> second)
                                    .orElseThrow();
                            SpanData schedule = finished.stream()
                                    .filter(span -> span.getName().equals("schedule task"))
                                    .filter(span -> span.getTraceId().equals(request.getTraceId()))
                                    .findFirst()
                                    .orElseThrow();
                            return new Spans(request, schedule, execution.get());
                        },
                        found -> found != null);
    }

    record Spans(SpanData request, SpanData schedule, SpanData execution) {}

    LoggingSender.Sent sentOf(long task) {
        return sender.sent().stream()
                .filter(sent -> sent.message().taskId().value() == task)
                .findFirst()
                .orElseThrow();
    }
}
