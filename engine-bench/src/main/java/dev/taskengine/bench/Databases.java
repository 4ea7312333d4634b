package dev.taskengine.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases the benchmarks run on, each behind a HikariCP pool as a host would have it: H2 in memory (a fresh
 * database per benchmark), H2 in a file (for the large scaling datasets, kept between runs), and PostgreSQL, where each
 * benchmark gets a schema of its own on the server named by TASKENGINE_PG_URL / _USER / _PASSWORD (defaults: the
 * database {@code bash .ci/run} creates on 127.0.0.1:5432).
 */
public final class Databases {
    public static final String PG_URL = env("TASKENGINE_PG_URL", "jdbc:postgresql://127.0.0.1:5432/taskengine");
    public static final String PG_USER = env("TASKENGINE_PG_USER", "taskengine");
    public static final String PG_PASSWORD = env("TASKENGINE_PG_PASSWORD", "taskengine");

    private static final int POOL_SIZE = 4;
    private static Optional<String> pgUnreachable;

    private Databases() {}

    /** A fresh, empty H2 database in memory, kept open until {@link #close} (which drops it). */
    public static HikariDataSource h2Memory(String name) {
        return h2Memory(name, POOL_SIZE);
    }

    /** The same with a pool of {@code poolSize} connections. */
    public static HikariDataSource h2Memory(String name, int poolSize) {
        return pool("h2-" + name, "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", poolSize);
    }

    /** An H2 database in a file under {@code folder}; created if absent. */
    public static HikariDataSource h2File(Path folder, String name) {
        return pool(
                "h2-" + name,
                "jdbc:h2:file:" + folder.resolve(name).toAbsolutePath() + ";DB_CLOSE_DELAY=-1;TRACE_LEVEL_FILE=0");
    }

    /**
     * A pool on the PostgreSQL schema {@code schema}, which is created if absent; with {@code fresh}, dropped first (with
     * everything in it), except in a smoke run, which keeps schemas to save their set-up time.
     */
    public static HikariDataSource postgres(String schema, boolean fresh) {
        return postgres(schema, fresh, POOL_SIZE);
    }

    /** The same with a pool of {@code poolSize} connections. */
    public static HikariDataSource postgres(String schema, boolean fresh, int poolSize) {
        requirePostgres();
        try (Connection connection = pgDataSource(null).getConnection();
                Statement statement = connection.createStatement()) {
            if (fresh && !smoke()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL schema " + schema + ": " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("pg-" + schema);
        config.setDataSource(pgDataSource(schema));
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /** Whether this is a smoke run ({@link BenchMain#smoke}): everything once, as fast as possible, timings meaningless. */
    public static boolean smoke() {
        return Boolean.getBoolean(SMOKE);
    }

    static final String SMOKE = "taskengine.bench.smoke";

    /** Closes the pool; an H2 database in memory is shut down first, so that its memory is freed. */
    public static void close(HikariDataSource pool) {
        if (pool == null || pool.isClosed()) {
            return;
        }
        if (pool.getJdbcUrl() != null && pool.getJdbcUrl().startsWith("jdbc:h2:")) {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // already closed
            }
        }
        pool.close();
    }

    /** Whether the PostgreSQL server answers; the reason when it does not. */
    public static synchronized Optional<String> postgresUnreachable() {
        if (pgUnreachable == null) {
            try (Connection connection = pgDataSource(null).getConnection()) {
                pgUnreachable = connection.isValid(5) ? Optional.empty() : Optional.of("the connection is not valid");
            } catch (SQLException e) {
                pgUnreachable = Optional.of(e.getMessage());
            }
        }
        return pgUnreachable;
    }

    public static void requirePostgres() {
        postgresUnreachable().ifPresent(why -> {
            throw new IllegalStateException(
                    "no PostgreSQL server at " + PG_URL + " (" + why + "): set TASKENGINE_PG_URL,"
                            + " TASKENGINE_PG_USER and TASKENGINE_PG_PASSWORD, or run `bash .ci/run` once, which installs and starts it");
        });
    }

    /** The server's version string, for the report. */
    public static String postgresVersion() {
        try (Connection connection = pgDataSource(null).getConnection()) {
            return connection.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "unreachable";
        }
    }

    static PGSimpleDataSource pgDataSource(String schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(PG_URL);
        dataSource.setUser(PG_USER);
        dataSource.setPassword(PG_PASSWORD);
        dataSource.setConnectTimeout(5);
        dataSource.setLoginTimeout(5);
        if (schema != null) {
            dataSource.setCurrentSchema(schema);
        }
        return dataSource;
    }

    private static HikariDataSource pool(String name, String url) {
        return pool(name, url, POOL_SIZE);
    }

    private static HikariDataSource pool(String name, String url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
