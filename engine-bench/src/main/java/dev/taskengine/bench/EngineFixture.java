package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.TaskStore;

/**
 * The engine as a host embeds it: a store (memory, or adapter-jdbi on a pooled H2 or PostgreSQL data source migrated
 * with {@link TaskSchema#migrate}), the host's contact directory, the system clock, no event publisher.
 */
public final class EngineFixture implements AutoCloseable {
    public final TenantId tenant;
    public final InMemoryContactDirectory contacts;
    public final TaskStore store;
    public final TaskEngine engine;
    public final HikariDataSource dataSource;

    private EngineFixture(TenantId tenant, TaskStore store, HikariDataSource dataSource) {
        this.tenant = tenant;
        this.contacts = Fixtures.contacts(tenant);
        this.store = store;
        this.dataSource = dataSource;
        this.engine = TaskEngine.builder().store(store).contacts(contacts).build();
    }

    public static EngineFixture memory(String tenantPrefix) {
        return new EngineFixture(Fixtures.tenant(tenantPrefix), new InMemoryTaskStore(), null);
    }

    /** On {@code dataSource}, which is migrated first; the fixture closes it. */
    public static EngineFixture jdbi(String tenantPrefix, HikariDataSource dataSource) {
        TaskSchema.migrate(dataSource);
        return new EngineFixture(Fixtures.tenant(tenantPrefix), new JdbiTaskStore(dataSource), dataSource);
    }

    /** {@code memory}, {@code h2} (a fresh database in memory) or {@code postgresql} (a fresh schema named {@code schema}). */
    public static EngineFixture on(String store, String schema) {
        return switch (store) {
            case "memory" -> memory(schema);
            case "h2" -> jdbi(schema, Databases.h2Memory(schema));
            case "postgresql" -> jdbi(schema, Databases.postgres(schema, true));
            default -> throw new IllegalArgumentException("no store " + store);
        };
    }

    @Override
    public void close() {
        Databases.close(dataSource);
    }
}
