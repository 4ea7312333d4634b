package dev.taskengine.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.TaskSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of the suite: the one the README's tests use (TASKENGINE_PG_URL, TASKENGINE_PG_USER,
 * TASKENGINE_PG_PASSWORD; defaults: the database {@code bash .ci/run} creates on 127.0.0.1:5432).
 *
 * <p>The suite works in a schema of its own, {@code te_rel_<random>}, created and migrated on first use and dropped when
 * the JVM ends: its schedulers claim due tasks across every tenant, so sharing the schema with other test runs would let
 * them execute each other's tasks. When no server answers, the PostgreSQL parts fail on CI ({@code CI=true}: they must
 * run there) and are skipped elsewhere, with one line saying how to run them.
 */
final class Postgres {
    static final String URL = env("TASKENGINE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/taskengine");
    static final String USER = env("TASKENGINE_PG_USER", "taskengine");
    static final String PASSWORD = env("TASKENGINE_PG_PASSWORD", "taskengine");

    private static Optional<String> unreachable;
    private static boolean told;
    private static HikariDataSource pool;
    private static String schema;

    private Postgres() {}

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why the server cannot be used, or empty when it can. Probed once per run. */
    static synchronized Optional<String> unavailable() {
        if (unreachable == null) {
            unreachable = probe(URL, USER, PASSWORD);
        }
        return unreachable.map(why -> "no PostgreSQL server at " + URL + " (" + why + ")");
    }

    /** The one line printed (once) when the PostgreSQL parts are skipped. */
    static synchronized String skipLine(String why) {
        String line = "PostgreSQL reliability tests skipped: " + why
                + ". To run them, set TASKENGINE_PG_URL, TASKENGINE_PG_USER"
                + " and TASKENGINE_PG_PASSWORD, or run `bash .ci/run`, which installs and starts PostgreSQL.";
        if (!told) {
            System.err.println(line);
            told = true;
        }
        return line;
    }

    /** A pool on the suite's own migrated schema; fails on CI and skips elsewhere when there is no server. */
    static synchronized HikariDataSource require() {
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            Skips.skipOrFail("PostgreSQL", why.get(), skipLine(why.get()));
        }
        if (pool == null) {
            schema = "te_rel_"
                    + Long.toHexString(System.nanoTime() ^ Double.doubleToLongBits(Math.random()))
                            .toLowerCase(Locale.ROOT);
            execute(simple(URL, USER, PASSWORD, null), "CREATE SCHEMA " + schema);
            pool = pool("reliability-pg", simple(URL, USER, PASSWORD, schema), 12);
            TaskSchema.migrate(pool);
            Runtime.getRuntime().addShutdownHook(new Thread(Postgres::dropSchema, "reliability-pg-cleanup"));
        }
        return pool;
    }

    /**
     * A schema of its own for a test whose schedulers must see no task but its own (not even the rest of the suite's),
     * created and migrated now and dropped when the JVM ends; fails on CI and skips elsewhere when there is no server.
     */
    static OwnSchema ownSchema(String prefix) {
        Optional<String> why = unavailable();
        if (why.isPresent()) {
            Skips.skipOrFail("PostgreSQL", why.get(), skipLine(why.get()));
        }
        String name = prefix + "_"
                + Long.toHexString(System.nanoTime() ^ Double.doubleToLongBits(Math.random()))
                        .toLowerCase(Locale.ROOT);
        execute(simple(URL, USER, PASSWORD, null), "CREATE SCHEMA " + name);
        OwnSchema schema = new OwnSchema(name);
        try (HikariDataSource migration = schema.pool(name + "-migration", 2)) {
            TaskSchema.migrate(migration);
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> execute(simple(URL, USER, PASSWORD, null), "DROP SCHEMA IF EXISTS " + name + " CASCADE"),
                        name + "-cleanup"));
        return schema;
    }

    /** A migrated schema of the suite's server, by name: each pool on it is a host of its own. */
    record OwnSchema(String name) {
        HikariDataSource pool(String poolName, int size) {
            return Postgres.pool(poolName, simple(URL, USER, PASSWORD, name), size);
        }
    }

    private static synchronized void dropSchema() {
        if (pool != null) {
            pool.close();
            try {
                execute(simple(URL, USER, PASSWORD, null), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (RuntimeException e) {
                System.err.println("could not drop schema " + schema + ": " + e.getMessage());
            }
        }
    }

    static HikariDataSource pool(String name, PGSimpleDataSource dataSource, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    static PGSimpleDataSource simple(String url, String user, String password, String currentSchema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setConnectTimeout(3);
        dataSource.setLoginTimeout(3);
        dataSource.setSocketTimeout(60);
        if (currentSchema != null) {
            dataSource.setCurrentSchema(currentSchema);
        }
        return dataSource;
    }

    static Optional<String> probe(String url, String user, String password) {
        try (Connection connection = simple(url, user, password, null).getConnection()) {
            return connection.isValid(3) ? Optional.empty() : Optional.of("the connection is not valid");
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    static void execute(PGSimpleDataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
