package dev.taskengine.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.micrometer.TraceLinkingHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.OrderUtils;

/** {@code taskengine.tracing.restore}: the link handler beside Boot's receiver handler, or not at all. */
class TaskEngineTracingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(Tracer.class, () -> Tracer.NOOP)
            .withBean(Propagator.class, () -> Propagator.NOOP)
            .withConfiguration(AutoConfigurations.of(
                    MicrometerTracingAutoConfiguration.class, TaskEngineTracingAutoConfiguration.class));

    @Test
    void by_default_the_link_handler_is_a_bean_ordered_before_boots_receiver_handler_which_stays() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(TraceLinkingHandler.class);
            assertThat(context.getBeansOfType(PropagatingReceiverTracingObservationHandler.class))
                    .containsKeys("taskEngineTraceLinkingHandler", "propagatingReceiverTracingObservationHandler")
                    .hasSize(2);
            int ours = orderOf(context.getBeanFactory(), "taskEngineTraceLinkingHandler");
            int boots = orderOf(context.getBeanFactory(), "propagatingReceiverTracingObservationHandler");
            assertThat(boots).isEqualTo(MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER);
            assertThat(ours).isLessThan(boots);
        });
    }

    @Test
    void with_restore_link_spelled_out_it_is_there_too() {
        runner.withPropertyValues("taskengine.tracing.restore=LINK")
                .run(context -> assertThat(context).hasSingleBean(TraceLinkingHandler.class));
    }

    @Test
    void with_restore_parent_only_boots_receiver_handler_is_there() {
        runner.withPropertyValues("taskengine.tracing.restore=parent").run(context -> {
            assertThat(context).doesNotHaveBean(TraceLinkingHandler.class);
            assertThat(context).hasSingleBean(PropagatingReceiverTracingObservationHandler.class);
        });
    }

    @Test
    void without_tracer_beans_there_is_none() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TaskEngineTracingAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(TraceLinkingHandler.class));
    }

    @Test
    void without_micrometer_tracing_on_the_class_path_there_is_none_and_the_context_starts() {
        new ApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader(Tracer.class))
                .withConfiguration(AutoConfigurations.of(TaskEngineTracingAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("taskEngineTraceLinkingHandler");
                });
    }

    private static int orderOf(
            org.springframework.beans.factory.config.ConfigurableListableBeanFactory factory, String name) {
        var definition =
                (org.springframework.beans.factory.support.RootBeanDefinition) factory.getMergedBeanDefinition(name);
        Integer order = OrderUtils.getOrder(definition.getResolvedFactoryMethod());
        return order == null ? Integer.MAX_VALUE : order;
    }
}
