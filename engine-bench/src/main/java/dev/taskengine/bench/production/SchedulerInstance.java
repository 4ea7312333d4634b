package dev.taskengine.bench.production;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskEngineBuilder;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.bench.Databases;
import dev.taskengine.bench.Fixtures;
import dev.taskengine.bench.SchedulerFixtures;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.SendingSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One scheduler instance in a JVM of its own, driven by the coordinator ({@link SchedulerFleet}) through its standard
 * input and output: {@code java -cp <the bench's class path> dev.taskengine.bench.production.SchedulerInstance
 * <contender> <schema> <tenant>}.
 *
 * <p>For each shot it builds a scheduler (not started; the pool's connections already open) and says {@code ready}; on
 * {@code start} it starts it and says {@code started}; on {@code stop} it stops it (in-flight executions finished) and
 * reports what its sender saw: {@code executed <n> early <n> lateness <histogram>}, then builds the next shot's
 * scheduler. {@code exit}, or the end of its input, ends it. Every line it says starts with {@link #SAYS}, so that log
 * lines on the same stream are told apart.
 *
 * <p>Both contenders run with {@link #WORKERS} worker threads and poll every {@link #POLL}, on a pool of {@link #POOL}
 * connections; each sender does nothing but record (sent − due) in an HdrHistogram (microseconds). The engine's due
 * time is the task's start, which the coordinator writes into the SMS body (epoch microseconds, see {@link
 * SchedulerTables}); db-scheduler's is the execution's execution time.
 *
 * <p>{@code engine-policy} is the engine with the sending policy on but not binding, as {@code SchedulerBenchmark} has
 * it: every SMS goes from the owner's sending identity {@link SchedulerFixtures#SMS_SENDER}, whose limits are far above what a run
 * sends, so every send is counted (the account row locked, a {@code te_send} row written) and none is deferred.
 */
public final class SchedulerInstance {
    static final int WORKERS = 4;
    static final Duration POLL = Duration.ofMillis(100);
    /**
     * The engine's claim batch, as in {@code SchedulerBenchmark}; db-scheduler's is given by lock-and-fetch's limits.
     */
    static final int BATCH = 50;
    /**
     * The workers' connections and two more (the engine's poller and recorders, db-scheduler's poller and heartbeat).
     */
    static final int POOL = WORKERS + 2;

    static final String SAYS = "instance: ";
    static final String READY = "ready";
    static final String START = "start";
    static final String STARTED = "started";
    static final String STOP = "stop";
    static final String EXECUTED = "executed";
    static final String EXIT = "exit";

    private SchedulerInstance() {}

    /** A built scheduler, started and stopped by the coordinator's commands. */
    private record Controls(Runnable start, Runnable stop) {}

    public static void main(String[] args) throws IOException, SQLException {
        SchedulerContender contender = SchedulerContender.of(args[0]);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Sends sends = new Sends();
        HikariDataSource dataSource = Databases.postgres(args[1], false, POOL);
        try {
            openEveryConnection(dataSource);
            Supplier<Controls> schedulers = contender.engine()
                    ? engine(contender, dataSource, TenantId.of(args[2]), sends)
                    : dbScheduler(dataSource, sends);
            while (true) {
                Controls scheduler = schedulers.get();
                say(READY);
                if (!next(commands, START)) {
                    return;
                }
                scheduler.start().run();
                say(STARTED);
                boolean more = next(commands, STOP);
                scheduler.stop().run();
                say(EXECUTED + " " + sends.take());
                if (!more) {
                    return;
                }
            }
        } finally {
            Databases.close(dataSource);
        }
    }

    /** Whether the next command is {@code expected}; false on {@code exit} or the end of input. */
    private static boolean next(BufferedReader commands, String expected) throws IOException {
        String command = commands.readLine();
        if (command == null || command.equals(EXIT)) {
            return false;
        }
        if (!command.equals(expected)) {
            throw new IllegalStateException("expected the command " + expected + ", got " + command);
        }
        return true;
    }

    private static void say(String line) {
        System.out.println(SAYS + line);
        System.out.flush();
    }

    /** Warms the pool: every connection is open before the clock starts. */
    private static void openEveryConnection(HikariDataSource dataSource) throws SQLException {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                open.add(dataSource.getConnection());
            }
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
    }

    private static Supplier<Controls> engine(
            SchedulerContender contender, HikariDataSource dataSource, TenantId tenant, Sends sends) {
        TaskEngineBuilder builder = TaskEngine.builder()
                .store(new JdbiTaskStore(dataSource))
                .contacts(Fixtures.contacts(tenant))
                .sender(message -> {
                    sends.sent(Long.parseLong(message.body()));
                    return Delivery.delivered("noop-" + message.idempotencyKey());
                });
        if (contender == SchedulerContender.ENGINE_POLICY) {
            builder.senderAccounts(SchedulerFixtures.ownerSmsSender())
                    .sendingRules(SendingSettings.builder()
                            .defaultLimits(SchedulerFixtures.LIMITS)
                            .build());
        }
        TaskEngine engine = builder.build();
        SchedulerOptions options = SchedulerOptions.defaults()
                .withWorkerThreads(WORKERS)
                .withBatchSize(BATCH)
                .withPollInterval(POLL);
        return () -> {
            TaskScheduler scheduler = engine.scheduler(options);
            return new Controls(scheduler::start, scheduler::stop);
        };
    }

    private static Supplier<Controls> dbScheduler(HikariDataSource dataSource, Sends sends) {
        OneTimeTask<Void> noop = Tasks.oneTime(SchedulerTables.DB_SCHEDULER_TASK)
                .execute((instance, context) -> sends.sent(micros(context.getExecution().executionTime)));
        // Its default name is the host's, the same for every instance on this machine.
        SchedulerName name = new SchedulerName.Fixed(
                "db-scheduler-" + ProcessHandle.current().pid());
        return () -> {
            Scheduler scheduler = Scheduler.create(dataSource, noop)
                    .schedulerName(name)
                    .threads(WORKERS)
                    .pollingInterval(POLL)
                    .pollUsingLockAndFetch(0.5, 2.0)
                    .shutdownMaxWait(Duration.ofSeconds(30))
                    .build();
            return new Controls(scheduler::start, scheduler::stop);
        };
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    /**
     * What the sender saw since the last report: how many it sent, and how late (sent − due, microseconds). A send
     * before its due time would be a scheduler's error: it is counted apart, and recorded as 0.
     */
    private static final class Sends {
        private final LongAdder sent = new LongAdder();
        private final LongAdder early = new LongAdder();
        private final Recorder lateness = new Recorder(3);

        void sent(long dueMicros) {
            long late = micros(Instant.now()) - dueMicros;
            if (late < 0) {
                early.increment();
            }
            lateness.recordValue(Math.max(0, late));
            sent.increment();
        }

        /** {@code <sent> early <early> lateness <histogram, compressed, base64>}, and starts counting again. */
        String take() {
            Histogram histogram = lateness.getIntervalHistogram();
            ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            return sent.sumThenReset() + " early " + early.sumThenReset() + " lateness "
                    + Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
        }
    }
}
