package dev.taskengine.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.store.TaskStore;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The three adapters every part of the suite runs on. H2 is an in-memory database of this run; PostgreSQL a schema of
 * this run on the README's server (see {@link Postgres}). Tests work in fresh tenants, so the databases are shared.
 */
enum Adapter {
    MEMORY("memory") {
        @Override
        TaskStore store() {
            return new InMemoryTaskStore();
        }
    },
    H2("H2") {
        @Override
        TaskStore store() {
            return h2Store();
        }
    },
    POSTGRESQL("PostgreSQL") {
        @Override
        TaskStore store() {
            return postgresStore();
        }
    };

    private static HikariDataSource h2;
    private static JdbiTaskStore h2Store;
    private static JdbiTaskStore postgresStore;

    private final String label;

    Adapter(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * A store of this adapter: a new empty one for memory, the run's shared one for the databases. Skips (fails on CI)
     * when PostgreSQL is not there.
     */
    abstract TaskStore store();

    private static synchronized JdbiTaskStore h2Store() {
        if (h2Store == null) {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:reliability-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            dataSource.setUser("sa");
            HikariConfig config = new HikariConfig();
            config.setPoolName("reliability-h2");
            config.setDataSource(dataSource);
            config.setMaximumPoolSize(12);
            h2 = new HikariDataSource(config);
            TaskSchema.migrate(h2);
            h2Store = new JdbiTaskStore(h2);
        }
        return h2Store;
    }

    private static synchronized JdbiTaskStore postgresStore() {
        if (postgresStore == null) {
            postgresStore = new JdbiTaskStore(Postgres.require());
        }
        return postgresStore;
    }

    @Override
    public String toString() {
        return label;
    }
}
