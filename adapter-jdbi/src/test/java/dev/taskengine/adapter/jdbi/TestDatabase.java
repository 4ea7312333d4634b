package dev.taskengine.adapter.jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The databases the adapter is tested on. Each shared database is migrated once per test run and then shared by every
 * test class (tests work in fresh tenants, so they need no cleanup); {@link #isolated()} gives an empty database of the
 * same kind for tests of the schema itself.
 */
enum TestDatabase {
    H2_MEMORY {
        @Override
        DataSource connect() {
            return h2("jdbc:h2:mem:taskengine;DB_CLOSE_DELAY=-1");
        }

        @Override
        Isolated isolated() {
            JdbcDataSource dataSource = h2("jdbc:h2:mem:isolated-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            return new Isolated(dataSource, () -> shutdown(dataSource));
        }
    },

    /** A file under target/, recreated at every run; kept open for the run, as a host with a pool would. */
    H2_FILE {
        @Override
        DataSource connect() {
            Path folder = Path.of("target", "h2-file-db").toAbsolutePath();
            deleteRecursively(folder);
            return h2("jdbc:h2:file:" + folder.resolve("taskengine") + ";DB_CLOSE_DELAY=-1");
        }

        @Override
        Isolated isolated() {
            Path folder = Path.of("target", "h2-isolated", UUID.randomUUID().toString())
                    .toAbsolutePath();
            JdbcDataSource dataSource = h2("jdbc:h2:file:" + folder.resolve("db"));
            return new Isolated(dataSource, () -> deleteRecursively(folder));
        }
    },

    POSTGRESQL {
        @Override
        DataSource connect() {
            return PostgresServer.require();
        }

        @Override
        Isolated isolated() {
            return PostgresServer.isolatedSchema();
        }
    };

    private DataSource dataSource;
    private JdbiTaskStore store;
    private JdbiWebhookStore webhookStore;

    /** The shared database of this kind, migrated. */
    synchronized DataSource dataSource() {
        if (dataSource == null) {
            DataSource connected = connect();
            TaskSchema.migrate(connected);
            dataSource = connected;
        }
        return dataSource;
    }

    /** A store on the shared database; one for the whole run, as a host would keep it. */
    synchronized JdbiTaskStore store() {
        if (store == null) {
            store = new JdbiTaskStore(dataSource());
        }
        return store;
    }

    /** A webhook store on the shared database; one for the whole run. */
    synchronized JdbiWebhookStore webhookStore() {
        if (webhookStore == null) {
            webhookStore = new JdbiWebhookStore(dataSource());
        }
        return webhookStore;
    }

    Jdbi jdbi() {
        return Jdbi.create(dataSource());
    }

    abstract DataSource connect();

    /** An empty database (or schema) of this kind, not migrated; closing it removes it. */
    abstract Isolated isolated();

    /** An empty database that is dropped on close. */
    record Isolated(DataSource dataSource, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }

    /** Shuts an H2 database down: an in-memory one is dropped, a file one closed. */
    static void shutdown(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop a test database", e);
        }
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        return dataSource;
    }

    static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
