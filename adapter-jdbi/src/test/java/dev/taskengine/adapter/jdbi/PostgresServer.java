package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the tests run on, from TASKENGINE_PG_URL, TASKENGINE_PG_USER and TASKENGINE_PG_PASSWORD
 * (defaults: the database {@code bash .ci/run} creates on 127.0.0.1:5432). When it cannot be reached the PostgreSQL
 * tests fail on CI ({@code CI=true}: they must run there) and are skipped elsewhere, with one line saying how to run them.
 */
final class PostgresServer {
    static final String URL = env("TASKENGINE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/taskengine");
    static final String USER = env("TASKENGINE_PG_USER", "taskengine");
    static final String PASSWORD = env("TASKENGINE_PG_PASSWORD", "taskengine");

    private static Optional<String> unreachable;
    private static boolean told;
    private static DataSource shared;

    private PostgresServer() {}

    /** The shared pool on the server, or the test is skipped (failed, on CI) when there is none. */
    static synchronized DataSource require() {
        if (unreachable == null) {
            unreachable = probe();
        }
        if (unreachable.isPresent()) {
            String why = "no PostgreSQL server at " + URL + " (" + unreachable.get() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL tests must run on CI, but there is " + why);
            }
            String line =
                    "PostgreSQL tests skipped: " + why + ". To run them, set TASKENGINE_PG_URL, TASKENGINE_PG_USER"
                            + " and TASKENGINE_PG_PASSWORD, or run `bash .ci/run`, which installs and starts PostgreSQL.";
            if (!told) {
                System.err.println(line);
                told = true;
            }
            Assumptions.abort(line);
        }
        if (shared == null) {
            shared = pool("taskengine-tests");
        }
        return shared;
    }

    /** A new connection pool of its own on the server, as one engine instance of a host would have. */
    static HikariDataSource pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource(null));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** A fresh schema on the server, the one its connections use; dropped on close. */
    static TestDatabase.Isolated isolatedSchema() {
        require();
        String schema = "te_test_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        Jdbi admin = Jdbi.create(require());
        admin.useHandle(h -> h.execute("CREATE SCHEMA " + schema));
        return new TestDatabase.Isolated(
                dataSource(schema), () -> admin.useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE")));
    }

    /** A new data source without a pool (one connection per call), optionally on {@code schema}. */
    static PGSimpleDataSource dataSource(String schema) {
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
