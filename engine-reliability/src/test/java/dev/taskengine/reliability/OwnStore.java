package dev.taskengine.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A store of an adapter that only one test's engines use, for tests that run schedulers (they claim due tasks and
 * reminders across every tenant): a new in-memory store, a new H2 database, or a new PostgreSQL schema. Each
 * {@link #host()} is a store of its own over the same data (its own pool), as a second host of the engine would have;
 * the memory adapter has one store, shared by every host. Closing it closes the pools.
 */
final class OwnStore implements AutoCloseable {
    private final Adapter adapter;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final InMemoryTaskStore memory;
    private final String h2Url;
    private final Postgres.OwnSchema schema;

    OwnStore(Adapter adapter, String name) {
        this.adapter = adapter;
        this.memory = adapter == Adapter.MEMORY ? new InMemoryTaskStore() : null;
        this.h2Url =
                adapter == Adapter.H2 ? "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" : null;
        this.schema = adapter == Adapter.POSTGRESQL ? Postgres.ownSchema(name) : null;
        if (h2Url != null) {
            TaskSchema.migrate(h2Pool(name + "-migration"));
        }
    }

    /** A store over this test's data, as one host of the engine has it. */
    TaskStore host() {
        return switch (adapter) {
            case MEMORY -> memory;
            case H2 -> new JdbiTaskStore(h2Pool("own-h2-" + pools.size()));
            case POSTGRESQL -> new JdbiTaskStore(keep(schema.pool(schema.name() + "-" + pools.size(), 8)));
        };
    }

    private HikariDataSource h2Pool(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(h2Url);
        dataSource.setUser("sa");
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(8);
        return keep(new HikariDataSource(config));
    }

    private HikariDataSource keep(HikariDataSource pool) {
        pools.add(pool);
        return pool;
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}
