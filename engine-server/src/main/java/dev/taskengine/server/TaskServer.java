package dev.taskengine.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.http.ApiKeys;
import dev.taskengine.adapter.http.HttpApi;
import dev.taskengine.adapter.http.HttpSettings;
import dev.taskengine.adapter.http.Principal;
import dev.taskengine.adapter.jdbi.EmbeddedH2;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.JdbiWebhookStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.StaleRules;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskEngineBuilder;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.SendingSettings;
import dev.taskengine.store.WebhookStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The runnable server: the engine on adapter-jdbi (an H2 file under {@code ./data} by default, or PostgreSQL), contacts
 * from a file in an in-memory directory, every user with a default email account ({@link EveryUserSenderAccounts}),
 * emails and SMS appended to a file ({@link FileMessageSender}), the sending policy from a file
 * ({@link SendingSettingsFile}), the scheduler running (which also delivers the tenants' webhooks, unless
 * {@code --webhooks off}: see {@link #webhookStore}), and the HTTP adapter in front.
 * See {@link ServerOptions} for the settings. {@link #stop()}, which a shutdown hook calls on SIGTERM, stops taking
 * requests, lets requests and executions in flight finish, then closes the database pool.
 */
public final class TaskServer implements AutoCloseable {
    /** The tenant and user of the generated demo key. */
    public static final String DEMO_TENANT = "demo";

    private final HikariDataSource pool;
    private final boolean h2;
    private final FileMessageSender sender;
    private final TaskScheduler scheduler;
    private final HttpApi api;
    private final ApiKeys keys;
    private boolean stopped;

    private TaskServer(
            HikariDataSource pool,
            boolean h2,
            FileMessageSender sender,
            TaskScheduler scheduler,
            HttpApi api,
            ApiKeys keys) {
        this.pool = pool;
        this.h2 = h2;
        this.sender = sender;
        this.scheduler = scheduler;
        this.api = api;
        this.keys = keys;
    }

    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        TaskServer server;
        try {
            server = start(options, System.out);
        } catch (IllegalArgumentException e) {
            // A file the options name (contacts, sending settings, stale rules) is refused as a bad option is: its
            // problems, exit 2.
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("Stopping: finishing requests and executions in flight…");
                            server.stop();
                            System.out.println("Stopped.");
                        },
                        "taskengine-server-shutdown"));
    }

    /** Starts a server with {@code options}, printing where it listens and how to reach it. */
    public static TaskServer start(ServerOptions options, PrintStream out) {
        List<String> keySpecs = options.apiKeys();
        String demoKey = null;
        if (keySpecs.isEmpty()) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            demoKey = "demo-" + HexFormat.of().formatHex(random);
            keySpecs = List.of(demoKey + "=" + DEMO_TENANT + ":1");
        }
        ApiKeys keys = ApiKeys.parse(keySpecs);
        SendingSettings sending = options.sendingSettings()
                .map(SendingSettingsFile::load)
                .orElseGet(() -> SendingSettings.builder().build());
        StaleRules staleRules = options.staleRules().map(StaleRulesFile::load).orElseGet(StaleRules::none);
        Set<TenantId> tenants =
                keys.asMap().values().stream().map(Principal::tenant).collect(Collectors.toSet());

        HikariConfig config = new HikariConfig();
        // The server owns the order of shutdown: H2 is closed last, by stop(), not by its own shutdown hook.
        String database = EmbeddedH2.ownedShutdownUrl(options.database());
        config.setJdbcUrl(database);
        config.setPoolName("taskengine-server");
        config.setMaximumPoolSize(10);
        HikariDataSource pool = new HikariDataSource(config);
        FileMessageSender sender = null;
        TaskScheduler scheduler = null;
        try {
            TaskSchema.migrate(pool);
            InMemoryContactDirectory contacts = new InMemoryContactDirectory();
            int contactCount = options.contacts()
                    .map(file -> ContactsFile.load(file, tenants, contacts))
                    .orElse(0);
            sender = new FileMessageSender(options.sentMessages(), Clock.systemUTC());
            TaskEngineBuilder builder = TaskEngine.builder()
                    .store(new JdbiTaskStore(pool))
                    .contacts(contacts)
                    .sender(sender)
                    .senderAccounts(new EveryUserSenderAccounts())
                    .sendingRules(sending)
                    .staleRules(staleRules)
                    .historyRetention(options.historyRetention())
                    .clock(Clock.systemUTC());
            options.cursorSecret().ifPresent(secret -> builder.cursorSecret(secret.getBytes(StandardCharsets.UTF_8)));
            WebhookStore webhooks = options.webhooks() ? webhookStore(pool) : null;
            if (webhooks != null) {
                builder.webhooks(webhooks, webhookOptions(options));
            }
            TaskEngine engine = builder.build();
            scheduler = engine.scheduler(SchedulerOptions.defaults()).start();
            HttpSettings settings = HttpSettings.defaults()
                    .withEnumStyle(options.enumStyle())
                    .withRateLimitPerMinute(options.rateLimitPerMinute());
            HttpApi api = HttpApi.create(engine, keys, settings).start(options.host(), options.port());

            String base =
                    "http://" + (options.host().equals("0.0.0.0") ? "localhost" : options.host()) + ":" + api.port();
            out.println("Task engine server listening on " + base + " (Reply v3 under /v3, Topo v1 under /v1)");
            out.println("  OpenAPI:       " + base + "/openapi.json");
            out.println("  database:      " + withoutPassword(database));
            if (demoKey != null) {
                out.println("  API key:       " + demoKey + "  (generated for this run: tenant " + DEMO_TENANT
                        + ", user 1)");
            } else {
                for (Map.Entry<String, Principal> key : keys.asMap().entrySet()) {
                    out.println("  API key:       " + mask(key.getKey()) + " -> tenant "
                            + key.getValue().tenant() + ", user "
                            + key.getValue().user());
                }
            }
            out.println("  contacts:      "
                    + options.contacts().map(f -> contactCount + " from " + f).orElse("none"));
            out.println("  sending:       "
                    + options.sendingSettings()
                            .map(f -> "settings from " + f)
                            .orElse("no limit, always open, no holiday"));
            out.println("  stale rules:   "
                    + options.staleRules()
                            .map(f -> "rules of " + staleRules.tenants().size() + " tenant(s) from " + f)
                            .orElse("none: no task is ever stale"));
            out.println("  history:       a deleted task's kept for " + options.historyRetention());
            out.println("  webhooks:      " + describeWebhooks(options));
            out.println("  sent messages: "
                    + options.sentMessages().toAbsolutePath().normalize());
            out.println("  enums:         " + options.enumStyle().name().toLowerCase(java.util.Locale.ROOT)
                    + "; rate limit: "
                    + (options.rateLimitPerMinute() == 0 ? "off" : options.rateLimitPerMinute() + " a minute per key"));
            out.flush();
            return new TaskServer(pool, EmbeddedH2.isH2(database), sender, scheduler, api, keys);
        } catch (RuntimeException e) {
            if (scheduler != null) {
                scheduler.stop();
            }
            if (sender != null) {
                sender.close();
            }
            pool.close();
            throw e;
        }
    }

    /**
     * Where the server keeps webhook subscriptions and their deliveries: in its database, beside the tasks, so that every
     * instance on one database delivers them (each delivery claimed by one) and nothing is lost across a restart.
     */
    static WebhookStore webhookStore(DataSource database) {
        return new JdbiWebhookStore(database);
    }

    /** Safe defaults, with http targets, and loopback and private addresses, allowed only when the options say. */
    static WebhookOptions webhookOptions(ServerOptions options) {
        return WebhookOptions.defaults()
                .withAllowHttp(options.webhooksAllowHttp())
                .withAllowLoopback(options.webhooksAllowPrivate())
                .withAllowPrivateNetworks(options.webhooksAllowPrivate());
    }

    private static String describeWebhooks(ServerOptions options) {
        if (!options.webhooks()) {
            return "off (/v3/webhooks answers 404)";
        }
        return "on, under /v3/webhooks; subscriptions kept in the database; targets: "
                + (options.webhooksAllowHttp() ? "https and http" : "https only")
                + (options.webhooksAllowPrivate()
                        ? ", loopback and private addresses allowed"
                        : ", public addresses only");
    }

    public int port() {
        return api.port();
    }

    public ApiKeys keys() {
        return keys;
    }

    /**
     * Stops in this order: the HTTP side stops taking connections and lets requests in flight finish (up to the stop
     * timeout); the scheduler stops, its executions in flight finishing and being recorded; the sender closes; last, the
     * database (an H2 database is shut down, as its own shutdown hook would have) and the pool.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            api.stop();
        } finally {
            try {
                scheduler.stop();
            } finally {
                try {
                    sender.close();
                } finally {
                    closeDatabase();
                }
            }
        }
    }

    private void closeDatabase() {
        try {
            if (h2) {
                EmbeddedH2.shutDown(pool).ifPresent(System.err::println);
            }
        } finally {
            pool.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String mask(String key) {
        return key.length() <= 4 ? "****" : key.substring(0, 4) + "…";
    }
}
