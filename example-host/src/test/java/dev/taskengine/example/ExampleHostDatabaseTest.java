package dev.taskengine.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The example host keeps its tasks in an H2 file: a second run finds the first run's tasks. */
class ExampleHostDatabaseTest {

    private static String runOn(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            TaskSchema.migrate(pool);
            return ExampleHost.transcript(Clock.systemUTC(), new JdbiTaskStore(pool));
        }
    }

    @Test
    void aSecondRunFindsTheTasksOfTheFirstAfterTheDatabaseWasClosed() throws Exception {
        Path folder = Files.createTempDirectory(Path.of("target"), "example-host-db");
        String url = "jdbc:h2:file:" + folder.toAbsolutePath().resolve("tasks");

        String first = runOn(url);
        String second = runOn(url);

        assertThat(first).contains("run #1; a fresh database", "this run works in tenant acme-run-1");
        assertThat(second)
                .contains(
                        "run #2; the 16 tasks of the 1 earlier run(s) are still stored",
                        "this run works in tenant acme-run-2");
        assertThat(second).contains("sequence 501: 6 active tasks moved to Lee in one step");
    }
}
