package dev.taskengine.server;

import dev.taskengine.adapter.http.HttpSettings;
import dev.taskengine.api.TaskEngineBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, from flags ({@code --port 8080} or {@code --port=8080}) or, where a flag is not given, from the
 * environment. API keys are repeatable flags, or one comma-separated variable.
 *
 * <pre>
 * flag             environment                default
 * --port           TASKENGINE_PORT            8080
 * --host           TASKENGINE_HOST            127.0.0.1 (0.0.0.0 listens on every interface)
 * --database       TASKENGINE_DB_URL          jdbc:h2:file:./data/taskengine-server;WRITE_DELAY=0 (or a jdbc:postgresql: URL)
 * --api-key        TASKENGINE_API_KEYS        none: one demo key is generated and printed
 * --contacts       TASKENGINE_CONTACTS        none
 * --sending-settings TASKENGINE_SENDING_SETTINGS none: no limit, always open, no holiday
 * --sent-messages  TASKENGINE_SENT_MESSAGES   ./data/sent-messages.jsonl
 * --enum-format    TASKENGINE_ENUM_FORMAT     names (or codes)
 * --rate-limit     TASKENGINE_RATE_LIMIT      0: off (requests a minute per key)
 * --cursor-secret  TASKENGINE_CURSOR_SECRET   random per start (page cursors then do not outlive the process)
 * --stale-rules    TASKENGINE_STALE_RULES     none: no task is ever stale (see {@link StaleRulesFile})
 * --history-retention TASKENGINE_HISTORY_RETENTION P90D: how long a deleted task's history is kept
 * --webhooks       TASKENGINE_WEBHOOKS        on (the server runs a scheduler, which delivers them): on or off
 * --webhooks-allow-http    TASKENGINE_WEBHOOKS_ALLOW_HTTP    off: only https targets
 * --webhooks-allow-private TASKENGINE_WEBHOOKS_ALLOW_PRIVATE off: never loopback or private addresses
 * </pre>
 *
 * <p>With {@code --webhooks on} the tenants' webhook subscriptions are served under {@code /v3/webhooks} and their
 * events delivered by the server's scheduler; with {@code off} those routes answer 404. {@code --webhooks-allow-http}
 * also delivers to http targets, {@code --webhooks-allow-private} to loopback and private addresses (10/8, 172.16/12,
 * 192.168/16, fc00::/7, 100.64/10): both for development and trusted networks only. The two are switches: given alone,
 * they are on; they also take {@code on}, {@code off}, {@code true} or {@code false} ({@code --webhooks-allow-http=off}),
 * as their variables do.
 */
public record ServerOptions(
        int port,
        String host,
        String database,
        List<String> apiKeys,
        Optional<Path> contacts,
        Optional<Path> sendingSettings,
        Path sentMessages,
        HttpSettings.EnumStyle enumStyle,
        int rateLimitPerMinute,
        Optional<String> cursorSecret,
        Optional<Path> staleRules,
        Duration historyRetention,
        boolean webhooks,
        boolean webhooksAllowHttp,
        boolean webhooksAllowPrivate) {

    public static final String DEFAULT_DATABASE = "jdbc:h2:file:./data/taskengine-server;WRITE_DELAY=0";
    public static final Path DEFAULT_SENT_MESSAGES = Path.of("data", "sent-messages.jsonl");

    public ServerOptions {
        apiKeys = List.copyOf(apiKeys);
        contacts = contacts == null ? Optional.empty() : contacts;
        sendingSettings = sendingSettings == null ? Optional.empty() : sendingSettings;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0 to 65535, not " + port);
        }
        if (rateLimitPerMinute < 0) {
            throw new IllegalArgumentException("the rate limit is 0 (off) or a positive number of requests a minute");
        }
        cursorSecret = cursorSecret == null ? Optional.empty() : cursorSecret;
        staleRules = staleRules == null ? Optional.empty() : staleRules;
        historyRetention = historyRetention == null ? TaskEngineBuilder.DEFAULT_HISTORY_RETENTION : historyRetention;
        if (historyRetention.isNegative() || historyRetention.isZero()) {
            throw new IllegalArgumentException("the history retention is a positive time, not " + historyRetention);
        }
        if (cursorSecret.isPresent()
                && cursorSecret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
            throw new IllegalArgumentException(
                    "a cursor secret has at least 16 bytes; give every instance behind one API the" + " same one");
        }
    }

    public static ServerOptions defaults() {
        return new ServerOptions(
                8080,
                "127.0.0.1",
                DEFAULT_DATABASE,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_SENT_MESSAGES,
                HttpSettings.EnumStyle.NAMES,
                0,
                Optional.empty(),
                Optional.empty(),
                TaskEngineBuilder.DEFAULT_HISTORY_RETENTION,
                true,
                false,
                false);
    }

    public static final String USAGE = String.join(
            "\n",
            "usage: TaskServer [--port N] [--host H] [--database JDBC-URL] [--api-key KEY=TENANT:USER]...",
            "                  [--contacts FILE] [--sending-settings FILE] [--sent-messages FILE]",
            "                  [--enum-format names|codes] [--rate-limit N] [--cursor-secret SECRET]",
            "                  [--stale-rules FILE] [--history-retention DURATION]",
            "                  [--webhooks on|off] [--webhooks-allow-http] [--webhooks-allow-private]",
            "Each flag may instead come from the environment: TASKENGINE_PORT, TASKENGINE_HOST, TASKENGINE_DB_URL,",
            "TASKENGINE_API_KEYS (comma-separated), TASKENGINE_CONTACTS, TASKENGINE_SENDING_SETTINGS,",
            "TASKENGINE_SENT_MESSAGES, TASKENGINE_ENUM_FORMAT, TASKENGINE_RATE_LIMIT, TASKENGINE_CURSOR_SECRET,",
            "TASKENGINE_STALE_RULES, TASKENGINE_HISTORY_RETENTION, TASKENGINE_WEBHOOKS (on|off),",
            "TASKENGINE_WEBHOOKS_ALLOW_HTTP, TASKENGINE_WEBHOOKS_ALLOW_PRIVATE (on|off).");

    /** The flags that are switches: on when given alone, or followed by on, off, true or false. */
    private static final List<String> SWITCHES = List.of("webhooks-allow-http", "webhooks-allow-private");

    private static final List<String> SWITCH_WORDS = List.of("on", "off", "true", "false");

    /** Reads flags first, then the environment for what the flags left out. */
    public static ServerOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new java.util.LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else if (SWITCHES.contains(arg.substring(2))) {
                name = arg.substring(2);
                boolean worded = i + 1 < args.length
                        && SWITCH_WORDS.contains(args[i + 1].strip().toLowerCase(Locale.ROOT));
                value = worded ? args[++i] : "on";
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value\n" + USAGE);
                }
                value = args[++i];
            }
            if (!List.of(
                            "port",
                            "host",
                            "database",
                            "api-key",
                            "contacts",
                            "sending-settings",
                            "sent-messages",
                            "enum-format",
                            "rate-limit",
                            "cursor-secret",
                            "stale-rules",
                            "history-retention",
                            "webhooks",
                            "webhooks-allow-http",
                            "webhooks-allow-private")
                    .contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + "\n" + USAGE);
            }
            if (name.equals("api-key")) {
                keys.add(value);
            } else if (flags.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        if (keys.isEmpty() && env.get("TASKENGINE_API_KEYS") != null) {
            Arrays.stream(env.get("TASKENGINE_API_KEYS").split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(keys::add);
        }
        ServerOptions defaults = defaults();
        String port = setting(flags, env, "port", "TASKENGINE_PORT");
        String host = setting(flags, env, "host", "TASKENGINE_HOST");
        String database = setting(flags, env, "database", "TASKENGINE_DB_URL");
        String contacts = setting(flags, env, "contacts", "TASKENGINE_CONTACTS");
        String sendingSettings = setting(flags, env, "sending-settings", "TASKENGINE_SENDING_SETTINGS");
        String sent = setting(flags, env, "sent-messages", "TASKENGINE_SENT_MESSAGES");
        String enums = setting(flags, env, "enum-format", "TASKENGINE_ENUM_FORMAT");
        String rate = setting(flags, env, "rate-limit", "TASKENGINE_RATE_LIMIT");
        String cursorSecret = setting(flags, env, "cursor-secret", "TASKENGINE_CURSOR_SECRET");
        String staleRules = setting(flags, env, "stale-rules", "TASKENGINE_STALE_RULES");
        String retention = setting(flags, env, "history-retention", "TASKENGINE_HISTORY_RETENTION");
        String webhooks = setting(flags, env, "webhooks", "TASKENGINE_WEBHOOKS");
        String allowHttp = setting(flags, env, "webhooks-allow-http", "TASKENGINE_WEBHOOKS_ALLOW_HTTP");
        String allowPrivate = setting(flags, env, "webhooks-allow-private", "TASKENGINE_WEBHOOKS_ALLOW_PRIVATE");
        return new ServerOptions(
                port == null ? defaults.port() : number("port", port),
                host == null ? defaults.host() : host,
                database == null ? defaults.database() : database,
                keys,
                Optional.ofNullable(contacts).map(Path::of),
                Optional.ofNullable(sendingSettings).map(Path::of),
                sent == null ? defaults.sentMessages() : Path.of(sent),
                enums == null ? defaults.enumStyle() : enumStyle(enums),
                rate == null ? defaults.rateLimitPerMinute() : number("rate-limit", rate),
                Optional.ofNullable(cursorSecret),
                Optional.ofNullable(staleRules).map(Path::of),
                retention == null ? defaults.historyRetention() : retention(retention),
                webhooks == null ? defaults.webhooks() : onOff("webhooks", webhooks, false),
                allowHttp == null ? defaults.webhooksAllowHttp() : onOff("webhooks-allow-http", allowHttp, true),
                allowPrivate == null
                        ? defaults.webhooksAllowPrivate()
                        : onOff("webhooks-allow-private", allowPrivate, true));
    }

    /** {@code on} or {@code off} (and, for a switch, {@code true} or {@code false}), in any case. */
    private static boolean onOff(String name, String value, boolean isSwitch) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            case "true" -> {
                if (!isSwitch) {
                    throw new IllegalArgumentException(name + " is on or off, not '" + value + "'");
                }
                yield true;
            }
            case "false" -> {
                if (!isSwitch) {
                    throw new IllegalArgumentException(name + " is on or off, not '" + value + "'");
                }
                yield false;
            }
            default ->
                throw new IllegalArgumentException(
                        name + " is " + (isSwitch ? "on, off, true or false" : "on or off") + ", not '" + value + "'");
        };
    }

    private static String setting(Map<String, String> flags, Map<String, String> env, String flag, String variable) {
        String value = flags.get(flag);
        if (value == null) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is a number, not '" + value + "'", e);
        }
    }

    private static Duration retention(String value) {
        String expected = "history-retention is a positive ISO-8601 duration such as P90D, not '" + value + "'";
        try {
            Duration retention = Duration.parse(value);
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException(expected);
            }
            return retention;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(expected, e);
        }
    }

    private static HttpSettings.EnumStyle enumStyle(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "names" -> HttpSettings.EnumStyle.NAMES;
            case "codes" -> HttpSettings.EnumStyle.CODES;
            default -> throw new IllegalArgumentException("enum-format is names or codes, not '" + value + "'");
        };
    }

    public ServerOptions withPort(int value) {
        return new ServerOptions(
                value,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withHost(String value) {
        return new ServerOptions(
                port,
                value,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withDatabase(String value) {
        return new ServerOptions(
                port,
                host,
                value,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withApiKeys(List<String> value) {
        return new ServerOptions(
                port,
                host,
                database,
                value,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withContacts(Path value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                Optional.ofNullable(value),
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withSendingSettings(Path value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                Optional.ofNullable(value),
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withSentMessages(Path value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                value,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withEnumStyle(HttpSettings.EnumStyle value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                value,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withRateLimitPerMinute(int value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                value,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withCursorSecret(String value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                Optional.ofNullable(value),
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withStaleRules(Path value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                Optional.ofNullable(value),
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withHistoryRetention(Duration value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                value,
                webhooks,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    public ServerOptions withWebhooks(boolean value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                value,
                webhooksAllowHttp,
                webhooksAllowPrivate);
    }

    /** Also delivers to http targets (for development and trusted networks). */
    public ServerOptions withWebhooksAllowHttp(boolean value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                value,
                webhooksAllowPrivate);
    }

    /** Also delivers to loopback and private addresses (for development and trusted networks). */
    public ServerOptions withWebhooksAllowPrivate(boolean value) {
        return new ServerOptions(
                port,
                host,
                database,
                apiKeys,
                contacts,
                sendingSettings,
                sentMessages,
                enumStyle,
                rateLimitPerMinute,
                cursorSecret,
                staleRules,
                historyRetention,
                webhooks,
                webhooksAllowHttp,
                value);
    }
}
