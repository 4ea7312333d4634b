package dev.taskengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Delivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sending-policy proof of {@link SendingPolicyProofTest} with the engines in two JVMs of their own
 * ({@link PolicyWorker}), one of them killed with SIGKILL halfway: while its provider holds a message it delivered
 * unanswered, the rest of its claimed batch recorded and unsent. The test moves the one simulated clock: at each step
 * it tells both workers the instant and waits until both have polled. The survivor takes over the dead engine's
 * executions once their leases ran out in simulated time and resends them under their keys, counted again at the
 * resend. Counted from the workers' delivery logs (complete lines only), as in the proof in one JVM.
 */
class SendingPolicyKilledEngineTest {
    /**
     * The first worker's provider hangs from its 500th delivery on, at the first with other executions of its worker
     * still unsent: about half of the 2,000 are delivered by then, the other engine having delivered as many.
     */
    static final int KILL_AT = PolicyWeek.TASKS / 4;

    private static final long STEP_TIMEOUT_SECONDS = 60;
    /** A run that stalls (something due that no engine takes) fails here rather than at the 28th simulated day. */
    private static final Duration RUN_BOUND = Duration.ofMinutes(4);

    private final Path folder =
            Path.of("target", "policy-kill", UUID.randomUUID().toString()).toAbsolutePath();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void leaveNoWorkerBehind() {
        workers.forEach(Worker::close);
    }

    @Test
    void oneEngineKilledHalfwaySendsEveryTaskOnceWithinEveryLimitWindowAndHolidayThroughTheOther() throws Exception {
        Postgres.OwnSchema schema = Postgres.ownSchema("te_policy_kill");
        PolicyWeek week = new PolicyWeek(TenantId.of("policy-kill-" + UUID.randomUUID()));
        Files.createDirectories(folder);
        Stopwatch watch = Stopwatch.start();
        try (HikariDataSource pool = schema.pool("policy-controller", 2)) {
            TaskEngine creator = TaskEngine.builder()
                    .store(new JdbiTaskStore(pool))
                    .contacts(week.contacts())
                    .senderAccounts(week.accounts())
                    .sendingRules(week.settings())
                    .sender(message -> Delivery.permanentFailure("the creating engine never sends"))
                    .clock(new MutableClock(PolicyWeek.START))
                    .build();
            Set<Long> created = new HashSet<>();
            for (NewTask task : week.tasks()) {
                created.add(creator.create(Writes.ACTOR, task).get().id().value());
            }

            Worker doomed = start(schema, week, "engine-a", KILL_AT);
            Worker survivor = start(schema, week, "engine-b", 0);
            doomed.awaitReady();
            survivor.awaitReady();

            Instant bound = PolicyWeek.START.plus(PolicyWeek.BOUND);
            long steps = 0;
            Instant killedAt = null;
            long underWayAtKill = 0;
            long unsentAtKill = 0;
            long deliveredAtKill = 0;
            Optional<Instant> next = Optional.of(PolicyWeek.START);
            while (next.isPresent() && next.get().isBefore(bound)) {
                steps++;
                Instant now = next.get();
                List<Worker> alive = workers.stream().filter(Worker::alive).toList();
                assertThat(alive).as("workers alive at %s", now).isNotEmpty();
                assertThat(watch.millis())
                        .as("wall time (ms) of the run at %s", now)
                        .isLessThan(RUN_BOUND.toMillis());
                for (Worker worker : alive) {
                    worker.step(steps, now);
                }
                List<Worker> holding = new ArrayList<>();
                for (Worker worker : alive) {
                    if (worker.awaitPolledOrHolding(steps).equals(Worker.HOLDING)) {
                        holding.add(worker);
                    }
                }
                // Killed once the other has polled: what the dead one left under way is then its alone.
                for (Worker worker : holding) {
                    assertThat(worker.kill())
                            .as("exit code of the killed worker (128 + SIGKILL)")
                            .isEqualTo(137);
                    killedAt = now;
                    Set<String> underLease = PolicyWorker.underLease(pool, week.tenant, worker.owner);
                    Set<String> delivered = PolicyWorker.deliveries(folder).stream()
                            .map(PolicySend::key)
                            .collect(Collectors.toSet());
                    deliveredAtKill = delivered.size();
                    underWayAtKill = underLease.size();
                    unsentAtKill = underLease.stream()
                            .filter(key -> !delivered.contains(key))
                            .count();
                }
                next = PolicyProgress.nextInstant(pool, week.tenant, now);
            }
            long pending = PolicyProgress.pending(pool, week.tenant);
            List<TaskStatus> statuses = created.stream()
                    .map(id -> creator.get(week.tenant, TaskId.of(id), false)
                            .get()
                            .task()
                            .status())
                    .toList();
            List<PolicySend> deliveries = PolicyWorker.deliveries(folder);
            PolicyVerdict verdict = PolicyVerdict.of(deliveries, created);
            verdict.report(
                    "two engines in two JVMs, one killed with SIGKILL halfway",
                    String.format(
                            Locale.ROOT,
                            "killed at %s after %d deliveries with %d executions under its lease, %d of them never"
                                    + " delivered; %d resent after their delivery, acknowledged by the provider, not"
                                    + " delivered again; %d clock steps in %s",
                            killedAt,
                            deliveredAtKill,
                            underWayAtKill,
                            unsentAtKill,
                            survivor.acknowledged.size(),
                            steps,
                            watch.elapsed()));

            assertThat(killedAt).as("the first worker was killed").isNotNull();
            assertThat(survivor.alive())
                    .as("the second worker lives to the end")
                    .isTrue();
            assertThat(deliveredAtKill)
                    .as("deliveries at the kill: it fell in the middle of the run")
                    .isBetween(1L, (long) PolicyWeek.TASKS - 1);
            assertThat(unsentAtKill)
                    .as("executions of the killed worker recorded and never delivered, left to the survivor")
                    .isPositive();
            assertThat(underWayAtKill - unsentAtKill)
                    .as("executions of the killed worker delivered and without outcome, left to the survivor")
                    .isPositive();
            assertThat(pending)
                    .as("tasks left to send after %s simulated", PolicyWeek.BOUND)
                    .isZero();
            assertThat(statuses).as("task statuses at the end").containsOnly(TaskStatus.FINISHED);
            assertThat(verdict.violations()).as("deliveries against the policy").isEmpty();
            assertThat(verdict.sentOnce()).as("tasks delivered exactly once").isEqualTo(PolicyWeek.TASKS);
            assertThat(verdict.sentMoreThanOnce())
                    .as("tasks delivered more than once")
                    .isZero();
            assertThat(verdict.keysDeliveredTwice()).as("keys delivered twice").isZero();
            assertThat(verdict.lost()).as("tasks never delivered").isZero();
            assertThat(verdict.notOurs())
                    .as("deliveries of tasks never created")
                    .isZero();
            assertThat(doomed.deliveredKeys)
                    .as("keys the survivor resent that the provider had delivered: the killed worker's")
                    .containsAll(survivor.acknowledged);
        }
    }

    private Worker start(Postgres.OwnSchema schema, PolicyWeek week, String owner, int holdAt) throws IOException {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        WorkerJvm jvm = WorkerJvm.start(
                owner,
                folder,
                List.of("-Xmx256m", "-Duser.timezone=Pacific/Chatham"),
                PolicyWorker.class,
                List.of(schema.name(), week.tenant.value(), folder.toString(), owner, Integer.toString(holdAt)),
                line -> {
                    if (!line.startsWith("acknowledged ")) {
                        return false;
                    }
                    acknowledged.add(line.substring("acknowledged ".length()));
                    return true;
                });
        Worker worker = new Worker(jvm, acknowledged, folder.resolve(owner + PolicyWorker.LOG_SUFFIX));
        workers.add(worker);
        return worker;
    }

    /** A {@link PolicyWorker} JVM, the keys its provider acknowledged without delivering, and its delivery log. */
    static final class Worker implements AutoCloseable {
        static final String HOLDING = "holding";

        final String owner;
        private final WorkerJvm jvm;
        final Set<String> acknowledged;
        final Set<String> deliveredKeys = new HashSet<>();
        private final Path log;

        Worker(WorkerJvm jvm, Set<String> acknowledged, Path log) {
            this.owner = jvm.owner;
            this.jvm = jvm;
            this.acknowledged = acknowledged;
            this.log = log;
        }

        boolean alive() {
            return jvm.alive();
        }

        void awaitReady() throws InterruptedException {
            String line = jvm.next(STEP_TIMEOUT_SECONDS);
            if (!line.startsWith("ready")) {
                throw new IllegalStateException(owner + " said '" + line + "' instead of ready\n" + jvm.diagnostics());
            }
        }

        void step(long step, Instant at) throws IOException {
            jvm.tell("step " + step + " " + at);
        }

        /** Answers "polled" once the worker polled at {@code step}, or {@link #HOLDING} if its provider hangs. */
        String awaitPolledOrHolding(long step) throws InterruptedException {
            String line = jvm.next(STEP_TIMEOUT_SECONDS);
            if (line.equals("polled " + step)) {
                return "polled";
            }
            if (line.startsWith("holding ")) {
                return HOLDING;
            }
            throw new IllegalStateException(owner + " said '" + line + "' at step " + step + "\n" + jvm.diagnostics());
        }

        /** kill -9: SIGKILL on Linux. Answers the exit code; remembers the keys it delivered. */
        int kill() throws InterruptedException, IOException {
            int exit = jvm.kill();
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isBlank()) {
                    deliveredKeys.add(PolicySend.parse(line).key());
                }
            }
            return exit;
        }

        @Override
        public void close() {
            jvm.close();
        }
    }
}
