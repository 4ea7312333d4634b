package dev.taskengine.reliability;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.JdbiWebhookStore;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.WebhookOptions;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An engine of the webhook proof ({@link WebhookKilledEngineTest}) in a JVM of its own, in real time: a
 * {@link TaskEngine} on a {@link JdbiTaskStore} and a {@link JdbiWebhookStore} of its own pool, in the schema the test
 * created, whose scheduler (owner: its name) relays the test's events into deliveries and posts them to the test's
 * receiver on loopback. It says {@code ready <owner>} once its scheduler runs, and ends when stdin closes (stopping its
 * scheduler) or after {@link #MAX_LIFETIME}.
 *
 * <p>Arguments: {@code <schema> <owner>}; the server is the suite's ({@link Postgres}).
 */
public final class WebhookWorker {
    /** A worker the test forgot never outlives this. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    /**
     * Short timeouts, fast retries for minutes, never disabled in the run, 4 threads, batches of 20, a lease of 5 s: a
     * dead engine's deliveries are taken over 5 s after its last claim at the latest.
     */
    static final WebhookOptions OPTIONS = WebhookOptions.defaults()
            .withAllowHttp(true)
            .withAllowLoopback(true)
            .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1))
            .withRetries(Duration.ofMinutes(30), Duration.ofMillis(150), Duration.ofMillis(1500))
            .withDisableAfter(Integer.MAX_VALUE, Duration.ofDays(365))
            .withDelivery(4, 20, Duration.ofSeconds(6));

    static final SchedulerOptions SCHEDULER = SchedulerOptions.defaults().withPollInterval(Duration.ofMillis(50));

    private WebhookWorker() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WebhookWorker <schema> <owner>");
            System.exit(2);
        }
        String schema = args[0];
        String owner = args[1];

        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(MAX_LIFETIME.toMillis());
                        System.err.println("webhook worker " + owner + " outlived " + MAX_LIFETIME + "; exiting");
                        Runtime.getRuntime().halt(3);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "webhook-worker-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        try (HikariDataSource pool = new Postgres.OwnSchema(schema).pool(owner, 8)) {
            TaskEngine engine = TaskEngine.builder()
                    .store(new JdbiTaskStore(pool))
                    .webhooks(new JdbiWebhookStore(pool), OPTIONS)
                    .build();
            TaskScheduler scheduler = engine.scheduler(SCHEDULER.withOwner(owner));
            scheduler.start();
            System.out.println("ready " + owner);
            System.out.flush();
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is said on stdin: its end is the end
                }
            } catch (IOException e) {
                // the test is gone
            }
            scheduler.stop();
        }
        System.exit(0);
    }

    /**
     * The deliveries pending under {@code owner}'s lease (claimed, their attempt not recorded): their event ids, each
     * with the number of its attempts recorded so far.
     */
    static Map<UUID, Integer> underLease(DataSource dataSource, String owner) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT event_id, attempts FROM te_webhook_delivery WHERE lease_owner = ? AND state = 0")) {
            statement.setString(1, owner);
            Map<UUID, Integer> ids = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getObject(1, UUID.class), rows.getInt(2));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
