package dev.taskengine.adapter.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.jdbi.v3.core.Jdbi;

/**
 * A host process for the kill -9 test, run in a child JVM: it opens the database, builds a task engine on
 * {@link JdbiTaskStore} with a {@link FileLogSender} and runs a {@link TaskScheduler} until it is told to stop (a line
 * {@code stop} on stdin, or stdin closing because the test JVM went away) — or until it is killed.
 *
 * <p>Arguments: {@code <jdbc url> <user> <tenant> <delivery log> <owner> <send delay ms> <hold at>}; the password comes
 * from the environment variable {@value #PASSWORD_ENV}. {@code hold at} > 0 makes the sender hang, once it has written
 * its {@code hold at}-th delivery to the log and before it answers: a provider that took the message and is slow to say
 * so, the window in which a crash is most dangerous. It reports on stdout, one line each: {@code ready …} once the
 * scheduler runs, {@code status unfinished=<n> executing=<n>} for the tenant every {@value #STATUS_MILLIS} ms,
 * {@code acknowledged <key>} when a key already delivered is sent again, {@code holding <key>} when the sender hangs,
 * and {@code stopped} after a graceful stop.
 */
public final class ExecutionWorker {
    static final String PASSWORD_ENV = "EXECUTION_WORKER_DB_PASSWORD";
    static final int WORKER_THREADS = 3;
    static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    /** The default lease (renewed every 5 s): a killed worker's executions are taken over once it ran out. */
    static final Duration LEASE = SchedulerOptions.DEFAULT_LEASE;
    /** The default: a worker's executions come back through their leases, long before this. */
    static final Duration STALE_EXECUTION_AFTER = SchedulerOptions.defaults().staleExecutionAfter();

    private static final long STATUS_MILLIS = 200;
    /** A worker the test forgot never outlives this. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private ExecutionWorker() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println(
                    "usage: ExecutionWorker <jdbc url> <user> <tenant> <delivery log> <owner> <send delay ms> <hold at>");
            System.exit(2);
        }
        String url = args[0];
        String user = args[1];
        TenantId tenant = TenantId.of(args[2]);
        Path log = Path.of(args[3]);
        String owner = args[4];
        long sendDelayMillis = Long.parseLong(args[5]);
        int holdAt = Integer.parseInt(args[6]);
        String password = Optional.ofNullable(System.getenv(PASSWORD_ENV)).orElse("");

        HikariDataSource pool = pool(url, user, password, WORKER_THREADS + 3, owner);
        TaskSchema.migrate(pool);
        FileLogSender sender = new FileLogSender(
                log, sendDelayMillis, holdAt, key -> say("acknowledged " + key), key -> say("holding " + key));
        TaskEngine engine = TaskEngine.builder()
                .store(new JdbiTaskStore(pool))
                .contacts(contacts())
                .sender(sender)
                .retryPolicy(new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();
        TaskScheduler scheduler = engine.scheduler(SchedulerOptions.defaults()
                .withPollInterval(POLL_INTERVAL)
                .withBatchSize(10)
                .withWorkerThreads(WORKER_THREADS)
                .withLease(LEASE)
                .withStaleExecutionAfter(STALE_EXECUTION_AFTER)
                .withOwner(owner));

        Jdbi jdbi = Jdbi.create(pool);
        ScheduledExecutorService status = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "worker-status");
            thread.setDaemon(true);
            return thread;
        });
        status.scheduleWithFixedDelay(
                () -> {
                    try {
                        long[] counts = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) AS unfinished,"
                                        + " SUM(CASE WHEN execution_key IS NOT NULL THEN 1 ELSE 0 END) AS executing"
                                        + " FROM te_task WHERE tenant = :tenant AND status <> :finished")
                                .bind("tenant", tenant.value())
                                .bind("finished", StoredCodes.STATUS.code(TaskStatus.FINISHED))
                                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                                .one());
                        say("status unfinished=" + counts[0] + " executing=" + counts[1]);
                    } catch (RuntimeException e) {
                        System.err.println("status query failed: " + e);
                    }
                },
                0,
                STATUS_MILLIS,
                TimeUnit.MILLISECONDS);

        scheduler.start();
        say("ready owner=" + owner + " delivered-before=" + sender.deliveredBefore());

        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(MAX_LIFETIME.toMillis());
                        System.err.println("worker " + owner + " outlived " + MAX_LIFETIME + "; exiting");
                        Runtime.getRuntime().halt(3);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "worker-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        // Runs until "stop", or until stdin closes (the test JVM is gone): never left behind.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                // ignore anything else
            }
        }
        scheduler.stop();
        status.shutdownNow();
        status.awaitTermination(5, TimeUnit.SECONDS);
        if (url.startsWith("jdbc:h2:")) {
            shutdownH2(pool);
        }
        pool.close();
        say("stopped");
        System.exit(0);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Closes an H2 database, everything written to its file; the pool's connections are dead afterwards. */
    static void shutdownH2(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            if (e.getErrorCode() != ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                    && e.getErrorCode() != ErrorCode.DATABASE_IS_CLOSED) {
                throw new IllegalStateException("could not shut the H2 database down", e);
            }
        }
    }

    /** A small pool, as a host would have; an H2 file database stays open while the pool holds connections. */
    static HikariDataSource pool(String url, String user, String password, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name.replaceAll("[^A-Za-z0-9-]", "-"));
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    /** Every contact of every tenant exists and has a phone number and an email address. */
    static ContactDirectory contacts() {
        return (tenant, id) -> Optional.of(Contact.builder(id.value())
                .firstName("Prospect" + id.value())
                .phone("+1 555 " + id.value())
                .email("prospect" + id.value() + "@example.com")
                .build());
    }

    /**
     * A sender that honours idempotency keys across restarts: every first delivery of a key appends
     * {@code key<TAB>taskId} to a log file, forced to disk before the answer {@code Delivered}; on start the log is read,
     * so a key delivered before is acknowledged again without being delivered (appended) twice.
     */
    static final class FileLogSender implements MessageSender {
        private final FileChannel channel;
        private final Set<String> delivered = new HashSet<>();
        private final int deliveredBefore;
        private final long delayMillis;
        private final int holdAt;
        private final Consumer<String> onAcknowledged;
        private final Consumer<String> onHolding;
        private int deliveredHere;

        FileLogSender(
                Path log, long delayMillis, int holdAt, Consumer<String> onAcknowledged, Consumer<String> onHolding)
                throws IOException {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        delivered.add(line.split("\t", 2)[0]);
                    }
                }
            }
            this.deliveredBefore = delivered.size();
            this.channel = FileChannel.open(
                    log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            this.delayMillis = delayMillis;
            this.holdAt = holdAt;
            this.onAcknowledged = onAcknowledged;
            this.onHolding = onHolding;
        }

        int deliveredBefore() {
            return deliveredBefore;
        }

        @Override
        public Delivery send(OutgoingMessage message) {
            long before = Math.min(2, delayMillis);
            pause(before); // the execution is recorded, nothing sent yet
            boolean first;
            boolean hold = false;
            synchronized (this) {
                first = !delivered.contains(message.idempotencyKey());
                if (first) {
                    append(message.idempotencyKey() + "\t" + message.taskId().value() + "\n");
                    delivered.add(message.idempotencyKey());
                    hold = ++deliveredHere == holdAt;
                }
            }
            if (!first) {
                onAcknowledged.accept(message.idempotencyKey());
            }
            if (hold) {
                onHolding.accept(message.idempotencyKey());
                pause(Long.MAX_VALUE);
            }
            pause(delayMillis - before); // sent, its outcome not recorded yet
            return Delivery.delivered("log-" + message.idempotencyKey());
        }

        private void append(String line) {
            try {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void pause(long millis) {
            if (millis <= 0) {
                return;
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The lines of a delivery log: key and task id. */
    record LogLine(String key, long taskId) {
        static List<LogLine> read(Path log) throws IOException {
            if (!Files.exists(log)) {
                return List.of();
            }
            return parse(Files.readAllLines(log, StandardCharsets.UTF_8));
        }

        /** The complete lines of a log a live worker may be writing to: a last line without its newline is left out. */
        static List<LogLine> readWhileWritten(Path log) throws IOException {
            if (!Files.exists(log)) {
                return List.of();
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return parse(List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n")));
        }

        private static List<LogLine> parse(List<String> lines) {
            return lines.stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> {
                        String[] parts = line.split("\t");
                        if (parts.length != 2) {
                            throw new IllegalStateException("a torn line in the delivery log: '" + line + "'");
                        }
                        return new LogLine(parts[0], Long.parseLong(parts[1]));
                    })
                    .toList();
        }
    }
}
