package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.StoreUnavailableException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The task store's schema: versioned migrations shipped in this jar, one folder per database, applied on request.
 *
 * <h2>Letting the engine migrate</h2>
 * {@link #migrate(DataSource)} runs Flyway on the given data source with the engine's own history table,
 * {@value #HISTORY_TABLE}, in the schema the connections use. It therefore coexists with a host that migrates its own
 * tables with Flyway (whose history table is another one) in the same schema: the two histories never meet; a schema
 * that already holds the host's tables is baselined at version 0, so that V1 still runs. It is safe to call at every
 * start-up and from several instances at once: Flyway serializes them with a database lock, and instances that race to
 * create its history table on a first start try again, and then wait for the lock. Flyway is given the shipped files
 * by name ({@link #MIGRATIONS}, through its public {@link ResourceProvider}), so it scans no classpath for them, and
 * looks for no Java migrations and no SQL callbacks. Everything else (validation against the checksums it recorded,
 * a failed or unknown migration, the history itself) is Flyway's own. The H2 migrations of one JVM run one at a time.
 *
 * <h2>Running the SQL yourself</h2>
 * A host that runs its migrations with its own tool (Liquibase, its own Flyway, a DBA) takes the files from
 * {@link #H2_LOCATION} or {@link #POSTGRESQL_LOCATION} in this jar — {@code V1__task_schema.sql}, then each later
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
            "V1__task_schema.sql",
            "V2__sending_policy.sql",
            "V3__workday.sql",
            "V4__outbox_for_debezium.sql",
            "V5__webhooks.sql",
            "V6__trace_context.sql",
            "V7__primary_key_first_choice.sql",
            "V8__open_tasks_by_assignee.sql",
            "V9__send_counts_per_hour.sql");

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
        // Every engine on an in-memory or embedded H2 database runs in this JVM: one at a time here.
        synchronized (H2_MIGRATIONS) {
            return migrateWith(dataSource, location);
        }
    }

    /** Serializes the H2 migrations of this JVM. */
    private static final Object H2_MIGRATIONS = new Object();

    private static Migration migrateWith(DataSource dataSource, String location) {
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
        // Flyway serializes migrations with a lock that needs its history table: instances that find none race to
        // create
        // it, and the losers fail. Such a first start is tried again, and then finds the table and waits for the lock.
        int attempts = historyExists(dataSource) ? 1 : 3;
        for (int attempt = 1; ; attempt++) {
            try {
                MigrateResult result = flyway.migrate();
                String version =
                        result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
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
                ResultSet tables =
                        connection.getMetaData().getTables(null, connection.getSchema(), HISTORY_TABLE, null)) {
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

    private static String folder(String location) {
        return location.substring("classpath:".length());
    }

    /** The shipped migrations of one folder, for Flyway, by name: Flyway's public resource API, read from this jar. */
    private static final class Shipped implements ResourceProvider {
        private final List<LoadableResource> resources = new ArrayList<>();

        Shipped(String location) {
            for (String script : MIGRATIONS) {
                resources.add(new ShippedFile(folder(location) + "/" + script, script));
            }
        }

        @Override
        public LoadableResource getResource(String name) {
            for (LoadableResource resource : resources) {
                if (resource.getRelativePath().equals(name)
                        || resource.getAbsolutePath().equals(name)) {
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

    /** One shipped SQL file, a class-path resource of this jar, read as UTF-8. */
    private static final class ShippedFile extends LoadableResource {
        private final String path;
        private final String name;

        ShippedFile(String path, String name) {
            this.path = path;
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = TaskSchema.class.getClassLoader().getResourceAsStream(path);
            if (in == null) {
                throw new IllegalStateException("the migration " + path + " is not in this jar");
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return path;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            java.net.URL url = TaskSchema.class.getClassLoader().getResource(path);
            return url == null ? path : url.getPath();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
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
