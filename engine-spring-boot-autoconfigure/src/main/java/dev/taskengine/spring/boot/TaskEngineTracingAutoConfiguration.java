package dev.taskengine.spring.boot;

import dev.taskengine.micrometer.TraceLinkingHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * With {@code taskengine.tracing.restore=link} (the default) and Micrometer Tracing: engine-micrometer's
 * {@link TraceLinkingHandler} as an {@code ObservationHandler} bean, so that a task's execution span links to the trace
 * that created the task instead of being its child.
 *
 * <p>Boot groups every {@code TracingObservationHandler} bean, in bean order, into one
 * {@code FirstMatchingCompositeObservationHandler}; ours, ordered {@value #ORDER}, comes before Boot's
 * {@code PropagatingReceiverTracingObservationHandler} (order 1000, {@code RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER}
 * in 4.0.7) and supports execution contexts only, so it is the first match for them and Boot's handles every other
 * receiver (HTTP requests). It is configured <em>after</em> {@code MicrometerTracingAutoConfiguration}: Boot's receiver
 * handler is {@code @ConditionalOnMissingBean} by its type, of which ours is a subclass, and must not back off.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnClass({TraceLinkingHandler.class, Tracer.class})
@ConditionalOnProperty(name = "taskengine.tracing.restore", havingValue = "link", matchIfMissing = true)
public class TaskEngineTracingAutoConfiguration {
    /** The bean's order: before Boot's receiver tracing handler (1000). */
    public static final int ORDER = 900;

    @Bean
    @Order(ORDER)
    @ConditionalOnMissingBean
    @ConditionalOnBean({Tracer.class, Propagator.class})
    TraceLinkingHandler taskEngineTraceLinkingHandler(Tracer tracer, Propagator propagator) {
        return new TraceLinkingHandler(tracer, propagator);
    }
}
