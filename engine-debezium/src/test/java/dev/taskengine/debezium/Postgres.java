package dev.taskengine.debezium;

import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.TaskSchema;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of these tests, from TASKENGINE_PG_URL, TASKENGINE_PG_USER and TASKENGINE_PG_PASSWORD
 * (defaults: the database {@code bash .ci/run} creates on 127.0.0.1:5432), as adapter-jdbi's tests read it. It must run
 * with {@code wal_level = logical}, and the user must have REPLICATION. When no server answers the tests fail on CI
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

    /** Fails on CI and skips elsewhere when the server cannot be reached. */
    static void require() {
        Optional<String> unreachable = probe();
        if (unreachable.isEmpty()) {
            return;
        }
        String why = "no PostgreSQL server at " + URL + " (" + unreachable.get() + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("PostgreSQL tests must run on CI, but there is " + why);
        }
        String line = "Debezium tests skipped: " + why + ". To run them, set TASKENGINE_PG_URL, TASKENGINE_PG_USER"
                + " and TASKENGINE_PG_PASSWORD, or run `bash .ci/run`, which installs and starts PostgreSQL.";
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
        try (Connection connection = dataSource(null).getConnection()) {
            return connection.isValid(5) ? Optional.empty() : Optional.of("the connection is not valid");
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
