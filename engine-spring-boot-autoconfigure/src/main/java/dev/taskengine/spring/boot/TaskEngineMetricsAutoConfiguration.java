package dev.taskengine.spring.boot;

import dev.taskengine.api.TaskEngine;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The engine's gauges (engine-micrometer's {@code TaskEngineMetrics}: backlog, oldest due lag, pending events) bound to
 * the application's meter registry, as Boot binds every {@link MeterBinder} bean.
 */
@AutoConfiguration(
        after = TaskEngineAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass(name = {TaskEngineMetricsAutoConfiguration.METRICS, "io.micrometer.core.instrument.MeterRegistry"})
@ConditionalOnBean(TaskEngine.class)
public class TaskEngineMetricsAutoConfiguration {
    static final String METRICS = "dev.taskengine.micrometer.TaskEngineMetrics";

    @Bean
    @ConditionalOnMissingBean(name = "taskEngineMetrics")
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    MeterBinder taskEngineMetrics(TaskEngine engine) {
        // Built by name until engine-micrometer is a compile dependency of this module.
        return (MeterBinder)
                TaskEngineObservationAutoConfiguration.instantiate(METRICS, new Class<?>[] {TaskEngine.class}, engine);
    }
}
