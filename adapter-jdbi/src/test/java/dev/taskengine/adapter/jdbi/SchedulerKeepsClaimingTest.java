package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link SchedulerOptions#pollInterval()} is "how long it waits between looks for due tasks when there is nothing to do".
 * A started scheduler with due tasks left and idle workers therefore keeps claiming; it does not wait a poll interval
 * after every {@code 2 × workerThreads} tasks.
 */
class SchedulerKeepsClaimingTest {
    private static final int TASKS = 40;

    @Test
    void aStartedSchedulerExecutesEveryDueTaskWithoutWaitingAPollIntervalBetweenBatches() throws Exception {
        TenantId tenant = freshTenant();
        AtomicInteger sent = new AtomicInteger();
        try (TestDatabase.Isolated database = TestDatabase.H2_MEMORY.isolated()) {
            TaskSchema.migrate(database.dataSource());
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(database.dataSource()))
                    .contacts(ExecutionWorker.contacts())
                    .sender(message -> {
                        sent.incrementAndGet();
                        return Delivery.delivered("ok");
                    })
                    .build();
            Instant now = Instant.now();
            for (int i = 1; i <= TASKS; i++) {
                engine.create(
                                Actor.user(7),
                                NewTask.builder()
                                        .tenant(tenant)
                                        .type(TaskType.SMS)
                                        .contact(ContactId.of(i))
                                        .assignee(UserId.of(7))
                                        .scheduled(true)
                                        .startAt(now.minusSeconds(1))
                                        .dueTo(now.plus(Duration.ofHours(1)))
                                        .template(Template.of("Hi {{firstName}}"))
                                        .build())
                        .get();
            }
            // A long interval: the first look starts at once and must go on while tasks are due.
            TaskScheduler scheduler = engine.scheduler(SchedulerOptions.defaults()
                            .withPollInterval(Duration.ofHours(1))
                            .withWorkerThreads(2)
                            .withBatchSize(50)
                            .withOwner("keeps-claiming"))
                    .start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (sent.get() < TASKS && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                scheduler.stop();
            }
            assertThat(sent.get())
                    .as("due tasks executed during the first look")
                    .isEqualTo(TASKS);
        }
    }
}
