package dev.taskengine.spring.boot;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.micrometer.TaskEngineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The engine's gauges (engine-micrometer's {@link TaskEngineMetrics}: backlog, oldest due lag, pending events) bound to
 * the application's meter registry, as Boot binds every {@link MeterBinder} bean.
 */
@AutoConfiguration(
        after = TaskEngineAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass({TaskEngineMetrics.class, MeterRegistry.class})
@ConditionalOnBean(TaskEngine.class)
public class TaskEngineMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "taskEngineMetrics")
    @ConditionalOnBean(MeterRegistry.class)
    MeterBinder taskEngineMetrics(TaskEngine engine) {
        return new TaskEngineMetrics(engine);
    }
}
