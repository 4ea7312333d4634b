package dev.taskengine.spring.boot;

import dev.taskengine.micrometer.MicrometerEngineObserver;
import dev.taskengine.spi.EngineObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The engine's observer on Boot's {@link ObservationRegistry} (so that Boot's tracing and meter handlers see every
 * execution and driving call): engine-micrometer's {@link MicrometerEngineObserver}, when that module is on the class
 * path. Runs before {@link TaskEngineAutoConfiguration}, whose engine picks the observer up.
 */
@AutoConfiguration(
        before = TaskEngineAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass({MicrometerEngineObserver.class, MeterRegistry.class, ObservationRegistry.class})
public class TaskEngineObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ObservationRegistry.class, MeterRegistry.class})
    EngineObserver taskEngineObserver(ObservationRegistry observations, MeterRegistry meters) {
        return new MicrometerEngineObserver(observations, meters);
    }
}
