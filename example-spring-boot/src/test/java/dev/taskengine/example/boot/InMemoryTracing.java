package dev.taskengine.example.boot;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The tracing tests' exporter, imported by them. */
@TestConfiguration(proxyBeanMethods = false)
class InMemoryTracing {
    /**
     * The in-memory exporter, held by a bean that is no {@code SpanExporter} (Boot would put one behind its batch
     * processor, exporting seconds later): a {@code SimpleSpanProcessor} bean exports each span as it ends.
     */
    public record Exported(InMemorySpanExporter exporter) {}

    @Bean
    Exported exported() {
        return new Exported(InMemorySpanExporter.create());
    }

    @Bean
    SpanProcessor inMemorySpanProcessor(Exported exported) {
        return SimpleSpanProcessor.create(exported.exporter());
    }
}
