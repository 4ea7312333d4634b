package dev.taskengine.example.boot;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** At start-up: one deal committed with its follow-up (sent by the scheduler a second later), one rolled back. */
@Component
@ConditionalOnBooleanProperty(name = "example.demo", matchIfMissing = true)
class DemoRunner implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    private final DealService deals;

    DemoRunner(DealService deals) {
        this.deals = deals;
    }

    @Override
    public void run(ApplicationArguments args) {
        DealService.Deal deal = deals.open("ACME renewal", Duration.ofSeconds(1), false);
        LOG.info("deal {} committed with its follow-up task {}", deal.id(), deal.taskId());
        try {
            deals.open("Globex pilot", Duration.ofSeconds(1), true);
        } catch (IllegalStateException e) {
            LOG.info("{}; deals now: {}", e.getMessage(), deals.deals());
        }
    }
}
