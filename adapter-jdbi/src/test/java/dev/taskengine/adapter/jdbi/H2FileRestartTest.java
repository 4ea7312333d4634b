package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TenantId;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded default keeps its tasks across a restart of the database (and of the host that embeds it). */
class H2FileRestartTest {
    private final Path folder =
            Path.of("target", "h2-restart", UUID.randomUUID().toString()).toAbsolutePath();

    @AfterEach
    void removeTheFiles() {
        TestDatabase.deleteRecursively(folder);
    }

    @Test
    void tasksSurviveARestart() {
        TenantId tenant = freshTenant();
        JdbcDataSource before = file();
        TaskSchema.migrate(before);
        JdbiTaskStore store = new JdbiTaskStore(before);
        Task task = task(tenant, store.nextId()).build();
        store.insert(task, HistoryEntry.created(UUID.randomUUID(), task, Actor.user(7)), List.of());
        TestDatabase.shutdown(before);

        JdbcDataSource after = file();
        assertThat(TaskSchema.migrate(after).migrationsApplied()).isZero();
        JdbiTaskStore reopened = new JdbiTaskStore(after);
        assertThat(reopened.find(tenant, task.id())).contains(task);
        assertThat(reopened.nextId()).isGreaterThan(task.id());
    }

    private JdbcDataSource file() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + folder.resolve("tasks"));
        dataSource.setUser("sa");
        return dataSource;
    }
}
