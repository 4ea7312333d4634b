package dev.taskengine.debezium;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The settings of Debezium's PostgreSQL connector (pgoutput) and its outbox event router for the engine's outbox,
 * {@code te_task_event}, as docs/debezium.md explains them. Plain strings: this class needs no Debezium on the class
 * path; a host passes {@link #connectorConfig()} to Kafka Connect or {@link #embeddedEngine} to Debezium's embedded
 * engine.
 *
 * <p>What comes out, per committed event: the key is the task id ({@code aggregateid}), the value the event's JSON
 * exactly as the engine wrote it ({@code payload}, as a string), the topic {@code outbox.event.task}, and the headers
 * {@code id} (the event id), {@code eventType} ({@code task.created}, ...) and {@code tenant}.
 *
 * <pre>{@code
 * OutboxConnectorSettings settings = OutboxConnectorSettings.on("db.internal", 5432, "app", "cdc", secret)
 *         .schema("public").slot("taskengine_outbox").publication("taskengine_outbox");
 * // once, as the table's owner:  settings.createPublicationSql()
 * Properties embedded = settings.embeddedEngine("taskengine-outbox", Path.of("/var/lib/app/outbox-offsets.dat"));
 * }</pre>
 */
public final class OutboxConnectorSettings {
    /** The engine's outbox table. */
    public static final String TABLE = "te_task_event";
    /** The topic every event is routed to: {@code outbox.event.} and the {@code aggregatetype}, always {@code task}. */
    public static final String TOPIC = "outbox.event.task";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String hostname;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private String schema = "public";
    private String slot = "taskengine_outbox";
    private String publication = "taskengine_outbox";
    private String topicPrefix = "taskengine";
    private boolean dropSlotOnStop;

    private OutboxConnectorSettings(String hostname, int port, String database, String user, String password) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a port is between 1 and 65535, not " + port);
        }
        this.port = port;
        this.database = Objects.requireNonNull(database, "database");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
    }

    /**
     * Settings for the database {@code database} on {@code hostname:port}, read as {@code user}, a role with the
     * REPLICATION attribute and SELECT on the outbox.
     */
    public static OutboxConnectorSettings on(String hostname, int port, String database, String user, String password) {
        return new OutboxConnectorSettings(hostname, port, database, user, password);
    }

    /** The schema the engine's tables are in (default {@code public}). */
    public OutboxConnectorSettings schema(String value) {
        this.schema = identifier(value, "schema");
        return this;
    }

    /**
     * The replication slot (default {@code taskengine_outbox}): one per connector, server-wide. It keeps the WAL the
     * connector has not confirmed yet, so a connector removed for good must have its slot dropped.
     */
    public OutboxConnectorSettings slot(String value) {
        this.slot = identifier(value, "slot");
        return this;
    }

    /** The publication the connector reads, made by {@link #createPublicationSql()} (default {@code taskengine_outbox}). */
    public OutboxConnectorSettings publication(String value) {
        this.publication = identifier(value, "publication");
        return this;
    }

    /**
     * Debezium's {@code topic.prefix} (default {@code taskengine}): names the connector's offsets and its own topics;
     * the router names the event topic ({@link #TOPIC}) without it.
     */
    public OutboxConnectorSettings topicPrefix(String value) {
        this.topicPrefix = Objects.requireNonNull(value, "topicPrefix");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a topic prefix is not blank");
        }
        return this;
    }

    /**
     * Whether the connector drops its slot when it stops (default false). Only for throwaway connectors (tests): a
     * dropped slot forgets where the connector was, and events committed while it is stopped are never read.
     */
    public OutboxConnectorSettings dropSlotOnStop(boolean value) {
        this.dropSlotOnStop = value;
        return this;
    }

    /** The outbox table as the connector names it: {@code schema.te_task_event}. */
    public String table() {
        return schema + "." + TABLE;
    }

    public String slot() {
        return slot;
    }

    public String publication() {
        return publication;
    }

    /**
     * The publication of the outbox's inserts, for the table's owner to run once. The connector is told not to make
     * one itself (it would need to own the table); deletes and updates are not published: the engine deletes rows it
     * relayed, and the router would only skip them.
     */
    public String createPublicationSql() {
        return "CREATE PUBLICATION " + publication + " FOR TABLE " + table() + " WITH (publish = 'insert')";
    }

    /** The connector's and the router's settings: the {@code config} of a Kafka Connect connector, in order. */
    public Map<String, String> connectorConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("plugin.name", "pgoutput");
        config.put("database.hostname", hostname);
        config.put("database.port", Integer.toString(port));
        config.put("database.dbname", database);
        config.put("database.user", user);
        config.put("database.password", password);
        config.put("topic.prefix", topicPrefix);
        config.put("slot.name", slot);
        config.put("slot.drop.on.stop", Boolean.toString(dropSlotOnStop));
        config.put("publication.name", publication);
        config.put("publication.autocreate.mode", "disabled");
        config.put("table.include.list", table());
        // The outbox holds only events not relayed yet: there is nothing to snapshot, only the log to stream.
        config.put("snapshot.mode", "no_data");
        config.put("tombstones.on.delete", "false");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("transforms", "outbox");
        config.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        config.put("transforms.outbox.route.by.field", "aggregatetype");
        config.put("transforms.outbox.route.topic.replacement", "outbox.event.${routedByValue}");
        config.put("transforms.outbox.table.field.event.id", "id");
        config.put("transforms.outbox.table.field.event.key", "aggregateid");
        config.put("transforms.outbox.table.field.event.payload", "payload");
        config.put("transforms.outbox.table.fields.additional.placement", "type:header:eventType,tenant:header:tenant");
        return config;
    }

    /**
     * The properties of Debezium's embedded engine named {@code name}: {@link #connectorConfig()} and where it keeps its
     * offsets, the file {@code offsets} (kept across restarts, so that it resumes where it stopped).
     */
    public Properties embeddedEngine(String name, Path offsets) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(offsets, "offsets");
        Properties properties = new Properties();
        properties.putAll(connectorConfig());
        properties.setProperty("name", name);
        properties.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        properties.setProperty("offset.storage.file.filename", offsets.toString());
        properties.setProperty("offset.flush.interval.ms", "1000");
        // For the formats that use JsonConverter (Json, for headers): each value bare, without its schema.
        properties.setProperty("converter.schemas.enable", "false");
        return properties;
    }

    private static String identifier(String value, String what) {
        Objects.requireNonNull(value, what);
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals(value) || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "a " + what + " name is a lower-case SQL identifier (a-z, 0-9, _; up to 63), not '" + value + "'");
        }
        return value;
    }
}
