package dev.taskengine.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.EngineObserver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Metrics and observations through engine-micrometer ({@code MicrometerEngineObserver}, {@code TaskEngineMetrics}). */
class TaskEngineMicrometerAutoConfigurationTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ObservationRegistry observations = ObservationRegistry.create();
    /** The names of the observations started. */
    private final List<String> started = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues(Fixtures.h2())
            .withPropertyValues("taskengine.scheduler.poll-interval=50ms")
            .withBean(MeterRegistry.class, () -> meters)
            .withBean(ObservationRegistry.class, () -> observations)
            .withBean(ContactDirectory.class, Fixtures::contacts)
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
            .withConfiguration(TaskEngineAutoConfigurationTest.ENGINE);

    @Test
    void the_observer_is_on_the_applications_observation_registry_and_the_gauges_on_its_meter_registry() {
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        observations.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStart(Observation.Context context) {
                started.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        runner.run(context -> {
            assertThat(context.getBean(EngineObserver.class))
                    .isInstanceOf(dev.taskengine.micrometer.MicrometerEngineObserver.class);
            assertThat(context.getBean("taskEngineMetrics", MeterBinder.class))
                    .isInstanceOf(dev.taskengine.micrometer.TaskEngineMetrics.class);
            context.getBean("taskEngineMetrics", MeterBinder.class).bindTo(meters);
            TaskEngine engine = context.getBean(TaskEngine.class);
            TenantId tenant = Fixtures.tenant();
            engine.create(Fixtures.REP, Fixtures.todo(tenant)).get();
            assertThat(meters.getMeters())
                    .extracting(meter -> meter.getId().getName())
                    .anyMatch(name -> name.startsWith("taskengine"));
            assertThat(meters.getMeters().stream().map(Meter::getId))
                    .noneMatch(id ->
                            id.getTags().stream().anyMatch(tag -> tag.getValue().equals(tenant.value())));
            assertThat(started).anyMatch(name -> name.startsWith("taskengine"));
        });
    }
}
