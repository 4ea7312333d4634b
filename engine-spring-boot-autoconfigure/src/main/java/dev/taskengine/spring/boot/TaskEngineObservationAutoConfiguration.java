package dev.taskengine.spring.boot;

import dev.taskengine.spi.EngineObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * The engine's observer on Boot's {@link ObservationRegistry} (so that Boot's tracing and meter handlers see every
 * execution and driving call): engine-micrometer's {@code MicrometerEngineObserver}, when that module is on the class
 * path. Runs before {@link TaskEngineAutoConfiguration}, whose engine picks the observer up.
 */
@AutoConfiguration(
        before = TaskEngineAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass(
        name = {
            TaskEngineObservationAutoConfiguration.OBSERVER,
            "io.micrometer.core.instrument.MeterRegistry",
            "io.micrometer.observation.ObservationRegistry"
        })
public class TaskEngineObservationAutoConfiguration {
    static final String OBSERVER = "dev.taskengine.micrometer.MicrometerEngineObserver";

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ObservationRegistry.class, MeterRegistry.class})
    EngineObserver taskEngineObserver(ObservationRegistry observations, MeterRegistry meters) {
        // Built by name until engine-micrometer is a compile dependency of this module.
        return (EngineObserver) instantiate(
                OBSERVER, new Class<?>[] {ObservationRegistry.class, MeterRegistry.class}, observations, meters);
    }

    static Object instantiate(String className, Class<?>[] types, Object... arguments) {
        try {
            Class<?> type =
                    ClassUtils.forName(className, TaskEngineObservationAutoConfiguration.class.getClassLoader());
            return BeanUtils.instantiateClass(type.getConstructor(types), arguments);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalStateException("engine-micrometer's " + className + " is not as expected", e);
        }
    }
}
