package dev.taskengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The port's contract: an observer never throws into the engine, whatever its handlers do. */
class ObserverNeverThrowsTest {
    private static final TenantId ACME = TenantId.of("acme");

    /** A handler that fails at every step. */
    private static final class Broken implements ObservationHandler<Observation.Context> {
        @Override
        public void onStart(Observation.Context context) {
            throw new IllegalStateException("broken handler (as the test wants)");
        }

        @Override
        public void onStop(Observation.Context context) {
            throw new IllegalStateException("broken handler (as the test wants)");
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    private final MicrometerEngineObserver observer = observer();

    private static MicrometerEngineObserver observer() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new Broken());
        return new MicrometerEngineObserver(observations, new SimpleMeterRegistry());
    }

    @Test
    void aBrokenHandlerNeverReachesTheEngine() {
        assertThatCode(() -> {
                    observer.action("create", ACME).end("done");
                    observer.action("create", ACME).failed(new IllegalStateException("store down"));
                    observer.execution(Channel.SMS, ACME, TaskId.of(42), true, Map.of())
                            .end("sent");
                })
                .doesNotThrowAnyException();
    }

    @Test
    void aBrokenHandlerLeavesAnEmptyTraceContext() {
        assertThat(observer.traceContext()).isEmpty();
    }
}
