package dev.taskengine.spring.boot;

import dev.taskengine.api.TaskEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code taskengine} health indicator ({@code management.health.taskengine.enabled}). */
@AutoConfiguration(after = TaskEngineAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(TaskEngine.class)
@ConditionalOnEnabledHealthIndicator("taskengine")
public class TaskEngineHealthAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "taskengineHealthIndicator")
    TaskEngineHealthIndicator taskengineHealthIndicator(
            TaskEngine engine, ObjectProvider<TaskSchedulerLifecycle> scheduler, TaskEngineProperties properties) {
        return new TaskEngineHealthIndicator(
                engine,
                scheduler.getIfAvailable(),
                properties.getHealth().getBacklogThreshold(),
                properties.getHealth().getOldestDueLagThreshold());
    }
}
