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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
            for (int i = 1; i <= TASKS; i++) {
                engine.create(Actor.user(7), dueSms(tenant, i)).get();
            }
            // A long interval: the first look starts at once and must go on while tasks are due.
            TaskScheduler scheduler = engine.scheduler(SchedulerOptions.defaults()
                            .withPollInterval(Duration.ofHours(1))
                            .withWorkerThreads(2)
                            .withBatchSize(50)
                            .withOwner("keeps-claiming"))
                    .start();
            try {
                awaitSent(sent, TASKS);
            } finally {
                scheduler.stop();
            }
            assertThat(sent.get())
                    .as("due tasks executed during the first look")
                    .isEqualTo(TASKS);
        }
    }

    @Test
    void aSchedulerThatKeepsClaimingUnderASteadyStreamStillRelaysTheOutboxEveryPollInterval() throws Exception {
        TenantId tenant = freshTenant();
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<TaskEngine> engineRef = new AtomicReference<>();
        // The first event of another tenant is refused when its write commits, so it stays in the outbox until a
        // relay publishes it.
        TenantId other = freshTenant();
        AtomicBoolean refusedOnce = new AtomicBoolean();
        CountDownLatch relayed = new CountDownLatch(1);
        try (TestDatabase.Isolated database = TestDatabase.H2_MEMORY.isolated()) {
            TaskSchema.migrate(database.dataSource());
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(database.dataSource()))
                    .contacts(ExecutionWorker.contacts())
                    .events(event -> {
                        if (!event.tenant().equals(other)) {
                            return;
                        }
                        if (refusedOnce.compareAndSet(false, true)) {
                            throw new IllegalStateException("subscriber away");
                        }
                        relayed.countDown();
                    })
                    // Each send makes two more due tasks: every claim gets all it asks for, so the first poll never
                    // runs dry.
                    .sender(message -> {
                        int n = sent.incrementAndGet();
                        engineRef
                                .get()
                                .create(Actor.user(7), dueSms(tenant, 1_000_000 + n))
                                .get();
                        engineRef
                                .get()
                                .create(Actor.user(7), dueSms(tenant, 2_000_000 + n))
                                .get();
                        return Delivery.delivered("ok");
                    })
                    .build();
            engineRef.set(engine);
            for (int i = 1; i <= 4; i++) {
                engine.create(Actor.user(7), dueSms(tenant, i)).get();
            }
            TaskScheduler scheduler = engine.scheduler(SchedulerOptions.defaults()
                            .withPollInterval(Duration.ofMillis(200))
                            .withWorkerThreads(2)
                            .withBatchSize(4)
                            .withOwner("steady-stream"))
                    .start();
            try {
                awaitSent(sent, 10);
                assertThat(sent.get()).as("the stream is flowing").isGreaterThanOrEqualTo(10);
                NewTask todo = NewTask.builder()
                        .tenant(other)
                        .type(TaskType.TO_DO)
                        .contact(ContactId.of(1))
                        .assignee(UserId.of(7))
                        .startAt(Instant.now())
                        .dueTo(Instant.now().plus(Duration.ofHours(1)))
                        .template(Template.of("Call back"))
                        .build();
                engine.create(Actor.user(7), todo).getOrElseThrow(problems -> new AssertionError(problems.toString()));
                assertThat(refusedOnce)
                        .as("the event was refused at its commit")
                        .isTrue();
                assertThat(relayed.await(20, TimeUnit.SECONDS))
                        .as("the refused event is relayed while the scheduler keeps claiming")
                        .isTrue();
            } finally {
                scheduler.stop();
            }
        }
    }

    private static NewTask dueSms(TenantId tenant, long contact) {
        Instant now = Instant.now();
        return NewTask.builder()
                .tenant(tenant)
                .type(TaskType.SMS)
                .contact(ContactId.of(contact))
                .assignee(UserId.of(7))
                .scheduled(true)
                .startAt(now.minusSeconds(1))
                .dueTo(now.plus(Duration.ofHours(1)))
                .template(Template.of("Hi {{firstName}}"))
                .build();
    }

    /** Waits up to 20 s for {@code sent} to reach {@code count}; the caller asserts what it reached. */
    private static void awaitSent(AtomicInteger sent, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sent.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
