package dev.taskengine.debezium;

import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.TaskSchema;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of these tests, from TASKENGINE_PG_URL, TASKENGINE_PG_USER and TASKENGINE_PG_PASSWORD
 * (defaults: the database {@code bash .ci/run} creates on 127.0.0.1:5432), as adapter-jdbi's tests read it. It must run
 * with {@code wal_level = logical}, and the user must have REPLICATION. When it cannot be used the tests fail on CI
 * ({@code CI=true}) and are skipped elsewhere, with one line saying how to run them.
 */
final class Postgres {
    static final String URL = env("TASKENGINE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/taskengine");
    static final String USER = env("TASKENGINE_PG_USER", "taskengine");
    static final String PASSWORD = env("TASKENGINE_PG_PASSWORD", "taskengine");

    private Postgres() {}

    /** The server's address as the connector needs it, read from {@link #URL}. */
    static OutboxConnectorSettings connectorSettings() {
        URI uri = URI.create(URL.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        return OutboxConnectorSettings.on(
                uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, USER, PASSWORD);
    }

    /**
     * Fails on CI and skips elsewhere when the server cannot be reached, or cannot be read by logical decoding
     * ({@code wal_level} not {@code logical}, or the user without REPLICATION).
     */
    static void require() {
        Optional<String> unusable = probe();
        if (unusable.isEmpty()) {
            return;
        }
        String why = "the PostgreSQL server at " + URL + " cannot be used: " + unusable.get();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("Debezium tests must run on CI, but " + why);
        }
        String line = "Debezium tests skipped: " + why + ". To run them, set TASKENGINE_PG_URL, TASKENGINE_PG_USER"
                + " and TASKENGINE_PG_PASSWORD to a server with wal_level = logical and a user with REPLICATION,"
                + " or run `bash .ci/run`, which installs and starts one.";
        System.err.println(line);
        Assumptions.abort(line);
    }

    /** A fresh schema, migrated, with a pool whose connections use it; dropped on close. */
    static Schema isolatedSchema() {
        require();
        String name = "te_deb_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        admin().useHandle(h -> h.execute("CREATE SCHEMA " + name));
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource(name));
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        TaskSchema.migrate(pool);
        return new Schema(name, pool);
    }

    /** A migrated schema of its own and a pool on it. */
    record Schema(String name, HikariDataSource pool) implements AutoCloseable {
        Jdbi jdbi() {
            return Jdbi.create(pool);
        }

        @Override
        public void close() {
            pool.close();
            admin().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE"));
        }
    }

    /** Statements outside any test schema: publications, replication slots, schemas. */
    static Jdbi admin() {
        return Jdbi.create(dataSource(null));
    }

    private static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(URL);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        dataSource.setConnectTimeout(5);
        dataSource.setLoginTimeout(5);
        dataSource.setSocketTimeout(120);
        if (schema != null) {
            dataSource.setCurrentSchema(schema);
        }
        return dataSource;
    }

    private static Optional<String> probe() {
        try (Connection connection = dataSource(null).getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet level = statement.executeQuery("SHOW wal_level")) {
                level.next();
                if (!"logical".equals(level.getString(1))) {
                    return Optional.of("wal_level is " + level.getString(1) + ", not logical");
                }
            }
            try (ResultSet role =
                    statement.executeQuery("SELECT rolreplication FROM pg_roles WHERE rolname = current_user")) {
                if (!role.next() || !role.getBoolean(1)) {
                    return Optional.of("user " + USER + " has no REPLICATION");
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("no connection (" + e.getMessage() + ")");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
