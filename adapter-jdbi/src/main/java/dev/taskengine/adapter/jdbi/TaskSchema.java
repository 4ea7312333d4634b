package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.StoreUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * The task store's schema: versioned migrations shipped in this jar, one folder per database, applied on request.
 *
 * <h2>Letting the engine migrate</h2>
 * {@link #migrate(DataSource)} runs Flyway on the given data source with the engine's own history table,
 * {@value #HISTORY_TABLE}, in the schema the connections use. It therefore coexists with a host that migrates its own
 * tables with Flyway (whose history table is another one) in the same schema: the two histories never meet. It is safe
 * to call at every start-up and from several instances at once (Flyway serializes them with a database lock; instances
 * that race to create its history table on a first start try again, and then wait for the lock). A start
 * on a database that is already current reads the history table once and leaves Flyway out: every shipped migration
 * recorded as applied, successfully, with the checksum Flyway computes for the shipped file (besides them, only Flyway's
 * own markers: the history table's creation, the schema's, the baseline). Anything else (a missing,
 * failed, edited or unknown migration, no history table) is Flyway's to apply or refuse, as before. Flyway is given the
 * shipped files by name ({@link #MIGRATIONS}), so it scans no classpath for them. One exception: a first start on an H2
 * database (regular mode) whose schema is empty applies the shipped files over JDBC and writes the history Flyway would
 * have written, without loading Flyway; a later Flyway run, the engine's or the host's, finds that history current and
 * applies only what is newer. The H2 migrations of one JVM run one at a time. PostgreSQL always goes through Flyway.
 *
 * <h2>Running the SQL yourself</h2>
 * A host that runs its migrations with its own tool (Liquibase, its own Flyway, a DBA) takes the files from
 * {@link #H2_LOCATION} or {@link #POSTGRESQL_LOCATION} in this jar — {@code V1__create_task_table.sql}, then each later
 * {@code V<n>__*.sql} in order. They are plain SQL, without placeholders, and create objects named {@code te_*} only.
 * Such a host may exclude the Flyway dependency.
 */
public final class TaskSchema {
    /** The engine's Flyway history table, apart from the host's. */
    public static final String HISTORY_TABLE = "te_schema_history";

    /** Where the H2 migrations are, as a Flyway location. */
    public static final String H2_LOCATION = "classpath:dev/taskengine/adapter/jdbi/migration/h2";

    /** Where the PostgreSQL migrations are, as a Flyway location. */
    public static final String POSTGRESQL_LOCATION = "classpath:dev/taskengine/adapter/jdbi/migration/postgresql";

    /** The shipped migrations, in order; the same file names in both folders. */
    static final List<String> MIGRATIONS = List.of(
            "V1__create_task_table.sql", "V2__execution_claims_and_outbox.sql", "V3__retry_key_and_literal_templates.sql");

    private TaskSchema() {}

    /** What a migration run did. */
    public record Migration(int migrationsApplied, String schemaVersion) {}

    /**
     * Applies the migrations this database has not had yet.
     *
     * @throws StoreUnavailableException when the database cannot be reached or refuses the migration
     * @throws IllegalStateException when the database is neither H2 nor PostgreSQL, or when the applied migrations do not
     *     match the shipped ones (for example one was edited after it ran)
     */
    public static Migration migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Dialect dialect = dialectOf(dataSource);
        String location = dialect == Dialect.H2 ? H2_LOCATION : POSTGRESQL_LOCATION;
        if (dialect != Dialect.H2) {
            return migrateWith(dataSource, location);
        }
        // Every engine on an in-memory or embedded H2 database runs in this JVM: one at a time here, Flyway or not.
        synchronized (H2_MIGRATIONS) {
            Migration fresh = freshH2(dataSource, location);
            return fresh != null ? fresh : migrateWith(dataSource, location);
        }
    }

    /** Serializes the H2 migrations of this JVM. */
    private static final Object H2_MIGRATIONS = new Object();

    private static Migration migrateWith(DataSource dataSource, String location) {
        if (current(dataSource, location)) {
            return new Migration(0, String.valueOf(MIGRATIONS.size()));
        }
        Flyway flyway = Flyway.configure(TaskSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(location)
                .table(HISTORY_TABLE)
                // The schema may already hold the host's tables: start our history at 0 so that V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholderReplacement(false)
                .failOnMissingLocations(true)
                // The shipped files by name: no classpath scanning, no Java migrations, no SQL callbacks to look for.
                .resourceProvider(new Shipped(location))
                .javaMigrationClassProvider(List::of)
                .skipDefaultCallbacks(true)
                .load();
        // Flyway serializes migrations with a lock that needs its history table: instances that find none race to create
        // it, and the losers fail. Such a first start is tried again, and then finds the table and waits for the lock.
        int attempts = historyExists(dataSource) ? 1 : 3;
        for (int attempt = 1; ; attempt++) {
            try {
                MigrateResult result = flyway.migrate();
                String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
                return new Migration(result.migrationsExecuted, version);
            } catch (FlywayException e) {
                if (attempt < attempts) {
                    pause(100L * attempt);
                    continue;
                }
                if (causedBySql(e)) {
                    throw new StoreUnavailableException("migrating the task schema failed: " + e.getMessage(), e);
                }
                throw new IllegalStateException("migrating the task schema failed: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the engine's history table exists in the connection's schema; an unreachable database says no. */
    private static boolean historyExists(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), HISTORY_TABLE, null)) {
            return tables.next();
        } catch (SQLException e) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * On an H2 database (in its regular mode) whose schema is empty, without even the history table: applies the shipped
     * files over JDBC and writes the history Flyway 13 would have written (the same table, index, marker row and one row
     * per migration with Flyway's checksum), so that Flyway, run later by the engine or the host, finds it current.
     * Returns null, having changed nothing, when the database is not such a one: Flyway then migrates it.
     *
     * <p>Like Flyway on H2, each migration is recorded after its statements ran; H2 commits each DDL statement, so a
     * start interrupted half-way leaves the migrations recorded so far, and the next start has Flyway apply the rest.
     * The history table is created first and without {@code IF NOT EXISTS}: of two starts, only the one that created it
     * goes on.
     */
    static Migration freshH2(DataSource dataSource, String location) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            String schema = connection.getSchema();
            if (schema == null || !regularModeAndEmpty(connection, schema)) {
                return null;
            }
            String installedBy;
            try (ResultSet user = statement.executeQuery("SELECT USER()")) {
                user.next();
                installedBy = user.getString(1);
            }
            String table = quoted(schema) + "." + quoted(HISTORY_TABLE);
            try {
                statement.execute(h2HistoryTable(schema, installedBy));
            } catch (SQLException created) {
                return null; // another start created it first: Flyway sorts it out
            }
            statement.execute("CREATE INDEX " + quoted(schema) + "." + quoted(HISTORY_TABLE + "_s_idx") + " ON " + table
                    + " (\"success\")");
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + table
                    + " (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"execution_time\", \"success\") VALUES (?, ?, ?, 'SQL', ?, ?, ?, ?, TRUE)")) {
                for (int i = 0; i < MIGRATIONS.size(); i++) {
                    String script = MIGRATIONS.get(i);
                    String resource = folder(location) + "/" + script;
                    long started = System.nanoTime();
                    // H2 runs a script of several statements given at once, parsing its comments itself.
                    statement.execute(read(resource));
                    int millis = (int) ((System.nanoTime() - started) / 1_000_000);
                    record.setInt(1, i + 1);
                    record.setString(2, String.valueOf(i + 1));
                    record.setString(3, description(script));
                    record.setString(4, script);
                    record.setInt(5, checksum(resource));
                    record.setString(6, installedBy);
                    record.setInt(7, millis);
                    record.executeUpdate();
                }
            }
            return new Migration(MIGRATIONS.size(), String.valueOf(MIGRATIONS.size()));
        } catch (SQLException e) {
            throw StoreFailures.translate("migrating the task schema", e);
        }
    }

    /** Flyway 13's history table on H2 (regular mode), with its first row; {@code H2Database.getRawCreateScript}. */
    static String h2HistoryTable(String schema, String installedBy) {
        return "CREATE TABLE " + quoted(schema) + "." + quoted(HISTORY_TABLE) + " (\n"
                + "    \"installed_rank\" INT NOT NULL,\n"
                + "    \"version\" VARCHAR(50),\n"
                + "    \"description\" VARCHAR(200) NOT NULL,\n"
                + "    \"type\" VARCHAR(20) NOT NULL,\n"
                + "    \"script\" VARCHAR(1000) NOT NULL,\n"
                + "    \"checksum\" INT,\n"
                + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
                + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                + "    \"execution_time\" INT NOT NULL,\n"
                + "    \"success\" BOOLEAN NOT NULL,\n"
                + "    CONSTRAINT " + quoted(HISTORY_TABLE + "_pk") + " PRIMARY KEY (\"installed_rank\")\n"
                + ") AS SELECT -1, NULL, '<< Flyway Schema History table created >>', 'TABLE', '', NULL, "
                + literal(installedBy) + ", CURRENT_TIMESTAMP, 0, TRUE";
    }

    /** Whether H2 runs in its regular mode and the schema holds nothing Flyway would count (so no baseline either). */
    private static boolean regularModeAndEmpty(Connection connection, String schema) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT"
                + " (SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'),"
                + " (SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ?)"
                + " + (SELECT COUNT(*) FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = ?)"
                + " + (SELECT COUNT(*) FROM INFORMATION_SCHEMA.DOMAINS WHERE DOMAIN_SCHEMA = ?)"
                + " + (SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA = ?)"
                + " + (SELECT COUNT(*) FROM INFORMATION_SCHEMA.CONSTANTS WHERE CONSTANT_SCHEMA = ?)")) {
            for (int i = 1; i <= 5; i++) {
                query.setString(i, schema);
            }
            try (ResultSet row = query.executeQuery()) {
                return row.next() && "REGULAR".equals(row.getString(1)) && row.getLong(2) == 0;
            }
        }
    }

    /** Flyway's description of a versioned migration: the part after {@code __}, underscores as spaces. */
    static String description(String script) {
        String name = script.substring(script.indexOf("__") + 2, script.length() - ".sql".length());
        return name.replace('_', ' ');
    }

    private static String literal(String text) {
        return text == null ? "NULL" : "'" + text.replace("'", "''") + "'";
    }

    private static String read(String resource) {
        try (InputStream in = TaskSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the migration " + resource + " is not in this jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the history table records exactly the shipped migrations, each applied successfully with the checksum of
     * the shipped file (and besides them only Flyway's baseline or schema marker). A database that cannot answer
     * (no history table yet, an outage) is not current: Flyway then decides, and reports.
     */
    static boolean current(DataSource dataSource, String location) {
        Map<String, String> applied = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // Flyway keeps its history in the connection's current schema: read that one, never another on the path.
            String schema = connection.getSchema();
            if (schema == null) {
                return false;
            }
            ResultSet rows = statement.executeQuery("SELECT \"version\", \"type\", \"script\", \"checksum\", \"success\" FROM "
                    + quoted(schema) + "." + quoted(HISTORY_TABLE));
            while (rows.next()) {
                String version = rows.getString(1);
                String type = rows.getString(2);
                int checksum = rows.getInt(4);
                boolean noChecksum = rows.wasNull();
                if (!rows.getBoolean(5)) {
                    return false;
                }
                if (version == null && ("TABLE".equals(type) || "SCHEMA".equals(type)) || "BASELINE".equals(type)) {
                    continue;
                }
                if (!"SQL".equals(type) || version == null || noChecksum
                        || applied.put(version, rows.getString(3) + "#" + checksum) != null) {
                    return false;
                }
            }
        } catch (SQLException e) {
            return false;
        }
        if (applied.size() != MIGRATIONS.size()) {
            return false;
        }
        for (int i = 0; i < MIGRATIONS.size(); i++) {
            String script = MIGRATIONS.get(i);
            if (!(script + "#" + checksum(folder(location) + "/" + script)).equals(applied.get(String.valueOf(i + 1)))) {
                return false;
            }
        }
        return true;
    }

    /** Flyway's checksum of a SQL migration: CRC-32 over its lines in UTF-8, without line breaks and byte-order mark. */
    static int checksum(String resource) {
        CRC32 crc = new CRC32();
        try (InputStream in = TaskSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the migration " + resource + " is not in this jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = reader.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String folder(String location) {
        return location.substring("classpath:".length());
    }

    /** The shipped migrations of one folder, for Flyway, by name. */
    private static final class Shipped implements ResourceProvider {
        private final List<LoadableResource> resources = new ArrayList<>();

        Shipped(String location) {
            Location at = new Location(location);
            for (String script : MIGRATIONS) {
                resources.add(new ClassPathResource(at, folder(location) + "/" + script, TaskSchema.class.getClassLoader(),
                        StandardCharsets.UTF_8));
            }
        }

        @Override
        public LoadableResource getResource(String name) {
            for (LoadableResource resource : resources) {
                if (resource.getRelativePath().equals(name) || resource.getAbsolutePath().equals(name)) {
                    return resource;
                }
            }
            return null;
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            List<LoadableResource> found = new ArrayList<>();
            for (LoadableResource resource : resources) {
                String name = resource.getFilename();
                if (name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith)) {
                    found.add(resource);
                }
            }
            return found;
        }
    }

    private static Dialect dialectOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return Dialect.of(connection.getMetaData());
        } catch (SQLException e) {
            throw StoreFailures.translate("migrating the task schema", e);
        }
    }

    private static boolean causedBySql(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}
