package dev.taskengine.spring.boot;

import dev.taskengine.adapter.jdbi.TaskSchema;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;

/** Applies the engine's migrations ({@link TaskSchema#migrate}) to the application's DataSource at start-up. */
public final class TaskSchemaInitializer implements InitializingBean {
    private static final System.Logger LOG = System.getLogger(TaskSchemaInitializer.class.getName());

    private final DataSource dataSource;
    private volatile TaskSchema.Migration migration;

    public TaskSchemaInitializer(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() {
        migration = TaskSchema.migrate(dataSource);
        LOG.log(
                System.Logger.Level.INFO,
                "taskengine: schema at version {0} ({1} migrations applied now)",
                migration.schemaVersion(),
                migration.migrationsApplied());
    }

    /** What the migration at start-up did. */
    public TaskSchema.Migration migration() {
        return migration;
    }
}
