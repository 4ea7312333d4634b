package dev.taskengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The sending policy proved over a simulated fortnight (issue 13): two engines, each with a store on a pool of its
 * own, on one PostgreSQL schema and one controllable clock, send the 2,000 scheduled emails of {@link PolicyWeek}. At
 * every clock step both schedulers poll at once from two threads, so that they race for the same accounts; the clock
 * then moves to the next instant a task becomes claimable (a start, the end of a deferral — to the second, so that the
 * 30 s gap is tried at its edge) or 10 s on while something due waits. Counted from the sender's record alone: every
 * task delivered exactly once; every account at or under 50 per rolling 24 hours, 10 per rolling hour and 30 s apart;
 * no delivery outside the window or on a holiday in the recipient's local time.
 */
class SendingPolicyProofTest {
    static final SchedulerOptions OPTIONS = SchedulerOptions.defaults().withBatchSize(50);

    @Test
    void twoEnginesRacingOnOnePostgresSendEveryTaskOnceWithinEveryLimitWindowAndHoliday() throws Exception {
        Postgres.OwnSchema schema = Postgres.ownSchema("te_policy");
        PolicyWeek week = new PolicyWeek(TenantId.of("policy-" + UUID.randomUUID()));
        MutableClock clock = new MutableClock(PolicyWeek.START);
        Provider provider = new Provider(clock);
        ExecutorService racers = Executors.newFixedThreadPool(2);
        Stopwatch watch = Stopwatch.start();
        try (HikariDataSource poolA = schema.pool("policy-engine-a", 4);
                HikariDataSource poolB = schema.pool("policy-engine-b", 4)) {
            TaskEngine engineA = engine(week, poolA, clock, provider);
            TaskEngine engineB = engine(week, poolB, clock, provider);
            Map<Long, Task> byId = new HashMap<>();
            for (NewTask task : week.tasks()) {
                Task created = engineA.create(Writes.ACTOR, task).get();
                byId.put(created.id().value(), created);
            }
            TaskScheduler schedulerA = engineA.scheduler(OPTIONS.withOwner("engine-a"));
            TaskScheduler schedulerB = engineB.scheduler(OPTIONS.withOwner("engine-b"));
            List<Callable<Integer>> bothPolls = List.of(schedulerA::pollOnce, schedulerB::pollOnce);

            Instant bound = PolicyWeek.START.plus(PolicyWeek.BOUND);
            long steps = 0;
            Optional<Instant> next = Optional.of(clock.instant());
            while (next.isPresent() && next.get().isBefore(bound)) {
                clock.set(next.get());
                for (Future<Integer> poll : racers.invokeAll(bothPolls)) {
                    poll.get();
                }
                steps++;
                next = PolicyProgress.nextInstant(poolA, week.tenant, clock.instant());
            }
            long pending = PolicyProgress.pending(poolA, week.tenant);
            List<TaskStatus> statuses = byId.keySet().stream()
                    .map(id -> engineA.get(week.tenant, TaskId.of(id), false)
                            .get()
                            .task()
                            .status())
                    .toList();

            PolicyVerdict verdict = PolicyVerdict.of(provider.deliveries(), byId.keySet());
            long dueOutside = byId.values().stream()
                    .filter(t -> !PolicyWeek.insideWindow(t.schedule().startAt(), zone(t)))
                    .count();
            long dueOnHoliday = byId.values().stream()
                    .filter(t -> PolicyWeek.onHoliday(t.schedule().startAt(), zone(t)))
                    .count();
            verdict.report(
                    "two engines, one PostgreSQL",
                    String.format(
                            Locale.ROOT,
                            "%d sender calls; %d tasks started outside a window, %d on a holiday; %d clock steps in %s",
                            provider.calls(),
                            dueOutside,
                            dueOnHoliday,
                            steps,
                            watch.elapsed()));

            assertThat(pending)
                    .as("tasks left to send after %s simulated", PolicyWeek.BOUND)
                    .isZero();
            assertThat(statuses).as("task statuses at the end").containsOnly(TaskStatus.FINISHED);
            assertThat(verdict.violations()).as("deliveries against the policy").isEmpty();
            assertThat(verdict.sentOnce()).as("tasks delivered exactly once").isEqualTo(PolicyWeek.TASKS);
            assertThat(verdict.sentMoreThanOnce())
                    .as("tasks delivered more than once")
                    .isZero();
            assertThat(verdict.lost()).as("tasks never delivered").isZero();
            assertThat(verdict.notOurs())
                    .as("deliveries of tasks never created")
                    .isZero();
            assertThat(dueOutside)
                    .as("tasks that start outside a window: the windows bind")
                    .isPositive();
            assertThat(dueOnHoliday)
                    .as("tasks that start on a holiday: the holidays bind")
                    .isPositive();
        } finally {
            racers.shutdownNow();
        }
    }

    private static ZoneId zone(Task task) {
        return PolicyWeek.zoneOf(task.fields().contactId().orElseThrow().value());
    }

    private static TaskEngine engine(PolicyWeek week, HikariDataSource pool, Clock clock, MessageSender sender) {
        return TaskEngine.builder()
                .store(new JdbiTaskStore(pool))
                .contacts(week.contacts())
                .senderAccounts(week.accounts())
                .sendingRules(week.settings())
                .sender(sender)
                .clock(clock)
                .build();
    }

    /**
     * The provider both engines send through: it delivers each idempotency key once (a key sent again is acknowledged,
     * not delivered), and records every delivery with the clock's instant at the call.
     */
    static final class Provider implements MessageSender {
        private final Clock clock;
        private final Map<String, PolicySend> delivered = new HashMap<>();
        private final List<PolicySend> deliveries = new ArrayList<>();
        private long calls;

        Provider(Clock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized Delivery send(OutgoingMessage message) {
            calls++;
            if (!delivered.containsKey(message.idempotencyKey())) {
                PolicySend send = PolicySend.of(message, clock.instant());
                delivered.put(send.key(), send);
                deliveries.add(send);
            }
            return Delivery.delivered("provider-" + message.idempotencyKey());
        }

        synchronized List<PolicySend> deliveries() {
            return List.copyOf(deliveries);
        }

        synchronized long calls() {
            return calls;
        }
    }
}
