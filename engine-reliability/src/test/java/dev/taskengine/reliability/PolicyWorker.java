package dev.taskengine.reliability;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.domain.TenantId;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * An engine of the sending-policy proof in a JVM of its own: a {@link TaskEngine} on a {@link JdbiTaskStore} of its
 * own pool, in the schema the test created, with the rules of {@link PolicyWeek}, and a clock the test moves. It polls
 * once per line {@code step <n> <instant>} on stdin, at that instant, and answers {@code polled <n>}; stdin closing ends
 * it.
 *
 * <p>Its sender is one worker's share of a provider that honours idempotency keys across every worker: it delivers a
 * key none of the logs in its folder holds, appending the delivery to its own log (forced to disk before it answers),
 * and acknowledges a key one of them holds without delivering it again ({@code acknowledged <key>} on stdout). With
 * {@code hold at} > 0 it hangs once it has delivered that many and other executions of this worker are recorded and not
 * yet sent (answering {@code holding <key>}): a provider that took the message and is slow to say so, where the test
 * kills the worker.
 *
 * <p>Arguments: {@code <schema> <tenant> <log folder> <owner> <hold at>}; the server is the suite's ({@link Postgres}).
 */
public final class PolicyWorker {
    /** A worker the test forgot never outlives this. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    static final String LOG_SUFFIX = ".deliveries";

    private PolicyWorker() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: PolicyWorker <schema> <tenant> <log folder> <owner> <hold at>");
            System.exit(2);
        }
        String schema = args[0];
        PolicyWeek week = new PolicyWeek(TenantId.of(args[1]));
        Path folder = Path.of(args[2]);
        String owner = args[3];
        int holdAt = Integer.parseInt(args[4]);

        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(MAX_LIFETIME.toMillis());
                        System.err.println("policy worker " + owner + " outlived " + MAX_LIFETIME + "; exiting");
                        Runtime.getRuntime().halt(3);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "policy-worker-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        MutableClock clock = new MutableClock(PolicyWeek.START);
        try (HikariDataSource pool = new Postgres.OwnSchema(schema).pool(owner, 4);
                LogProvider provider =
                        new LogProvider(folder, owner, clock, holdAt, () -> underLease(pool, week.tenant, owner))) {
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(pool))
                    .contacts(week.contacts())
                    .senderAccounts(week.accounts())
                    .sendingRules(week.settings())
                    .sender(provider)
                    .clock(clock)
                    .build();
            TaskScheduler scheduler = engine.scheduler(SendingPolicyProofTest.OPTIONS.withOwner(owner));
            say("ready " + owner);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] step = line.trim().split(" ");
                    if (step.length != 3 || !step[0].equals("step")) {
                        continue;
                    }
                    clock.set(Instant.parse(step[2]));
                    scheduler.pollOnce();
                    say("polled " + step[1]);
                }
            }
        }
        System.exit(0);
    }

    /** The keys of the executions recorded under {@code owner}'s lease and not finished. */
    static Set<String> underLease(DataSource dataSource, TenantId tenant, String owner) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT execution_key FROM te_task"
                        + " WHERE tenant = ? AND claim_owner = ? AND execution_key IS NOT NULL")) {
            statement.setString(1, tenant.value());
            statement.setString(2, owner);
            Set<String> keys = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The deliveries in every log of {@code folder}: complete lines only (a killed worker may have torn its last). */
    static List<PolicySend> deliveries(Path folder) throws IOException {
        List<PolicySend> deliveries = new ArrayList<>();
        try (Stream<Path> logs = Files.list(folder)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(LOG_SUFFIX)).toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                    if (!line.isBlank()) {
                        deliveries.add(PolicySend.parse(line));
                    }
                }
            }
        }
        return deliveries;
    }

    /** See {@link PolicyWorker}: one worker's share of a provider that delivers each idempotency key once. */
    static final class LogProvider implements MessageSender, AutoCloseable {
        private final Path folder;
        private final Path own;
        private final FileChannel channel;
        private final Clock clock;
        private final int holdAt;
        private final Set<String> delivered = new HashSet<>();
        /** How far each other worker's log has been read: up to its last complete line. */
        private final Map<Path, Long> readUpTo = new HashMap<>();

        /** The keys of the executions under this worker's lease. */
        private final Supplier<Set<String>> underLease;

        private int deliveredHere;
        private boolean held;

        LogProvider(Path folder, String owner, Clock clock, int holdAt, Supplier<Set<String>> underLease)
                throws IOException {
            this.underLease = underLease;
            this.folder = folder;
            this.own = folder.resolve(owner + LOG_SUFFIX);
            this.channel = FileChannel.open(
                    own, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            this.clock = clock;
            this.holdAt = holdAt;
        }

        @Override
        public Delivery send(OutgoingMessage message) {
            String key = message.idempotencyKey();
            boolean hold = false;
            synchronized (this) {
                readOthers();
                if (delivered.contains(key)) {
                    say("acknowledged " + key);
                } else {
                    append(PolicySend.of(message, clock.instant()).line());
                    delivered.add(key);
                    // The hold waits for a moment with executions of this worker recorded and still unsent, so
                    // that the kill leaves both kinds behind: delivered without outcome, and never delivered.
                    hold = ++deliveredHere >= holdAt && holdAt > 0 && !held && !delivered.containsAll(underLease.get());
                    held |= hold;
                }
            }
            if (hold) {
                say("holding " + key);
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Delivery.delivered("provider-" + key);
        }

        private void readOthers() {
            try (Stream<Path> logs = Files.list(folder)) {
                for (Path log : logs.filter(p -> p.toString().endsWith(LOG_SUFFIX) && !p.equals(own))
                        .toList()) {
                    long from = readUpTo.getOrDefault(log, 0L);
                    try (FileChannel other = FileChannel.open(log, StandardOpenOption.READ)) {
                        long size = other.size();
                        if (size <= from) {
                            continue;
                        }
                        ByteBuffer bytes = ByteBuffer.allocate((int) (size - from));
                        int read = 0;
                        while (bytes.hasRemaining() && read >= 0) {
                            read = other.read(bytes, from + bytes.position());
                        }
                        String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
                        String complete = text.substring(0, text.lastIndexOf('\n') + 1);
                        for (String line : complete.split("\n")) {
                            if (!line.isBlank()) {
                                delivered.add(PolicySend.parse(line).key());
                            }
                        }
                        readUpTo.put(log, from + complete.getBytes(StandardCharsets.UTF_8).length);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
