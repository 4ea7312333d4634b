package dev.taskengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * micrometer-tracing is an optional dependency: only {@link TraceLinkingHandler} may refer to it, so that the observer
 * and the metrics load on a class path without it.
 */
class OptionalTracingTest {
    private static String classFile(Class<?> type) throws IOException {
        return classFile(type.getSimpleName());
    }

    private static String classFile(String simpleName) throws IOException {
        try (InputStream in = OptionalTracingTest.class.getResourceAsStream(simpleName + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theObserverTheContextAndTheMetricsDoNotReferToMicrometerTracing() throws IOException {
        for (Class<?> type :
                new Class<?>[] {MicrometerEngineObserver.class, ExecutionContext.class, TaskEngineMetrics.class}) {
            assertThat(classFile(type)).as(type.getName()).doesNotContain("io/micrometer/tracing");
        }
        assertThat(classFile("MicrometerEngineObserver$ObservationScope")).doesNotContain("io/micrometer/tracing");
    }

    @Test
    void theLinkingHandlerDoes() throws IOException {
        assertThat(classFile(TraceLinkingHandler.class)).contains("io/micrometer/tracing");
    }
}
