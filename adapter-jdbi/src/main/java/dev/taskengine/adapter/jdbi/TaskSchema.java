package dev.taskengine.adapter.jdbi;

import dev.taskengine.ports.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The task store's schema: versioned migrations shipped in this jar, one folder per database, applied on request.
 *
 * <h2>Letting the engine migrate</h2>
 * {@link #migrate(DataSource)} runs Flyway on the given data source with the engine's own history table,
 * {@value #HISTORY_TABLE}, in the schema the connections use. It therefore coexists with a host that migrates its own
 * tables with Flyway (whose history table is another one) in the same schema: the two histories never meet. It is safe
 * to call at every start-up and from several instances at once (Flyway serializes them with a database lock).
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
        Flyway flyway = Flyway.configure(TaskSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect == Dialect.H2 ? H2_LOCATION : POSTGRESQL_LOCATION)
                .table(HISTORY_TABLE)
                // The schema may already hold the host's tables: start our history at 0 so that V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholderReplacement(false)
                .failOnMissingLocations(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            return new Migration(result.migrationsExecuted, version);
        } catch (FlywayException e) {
            if (causedBySql(e)) {
                throw new StoreUnavailableException("migrating the task schema failed: " + e.getMessage(), e);
            }
            throw new IllegalStateException("migrating the task schema failed: " + e.getMessage(), e);
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
