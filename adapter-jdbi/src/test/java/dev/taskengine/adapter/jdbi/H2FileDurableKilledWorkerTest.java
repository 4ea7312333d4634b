package dev.taskengine.adapter.jdbi;

import java.nio.file.Path;

/**
 * The kill -9 test on an H2 file database that writes every commit to the file before answering
 * ({@code WRITE_DELAY=0}): no commit is lost, so the executions under way at the kill are found recorded and resent
 * under their recorded key, as on PostgreSQL.
 */
class H2FileDurableKilledWorkerTest extends KilledWorkerBehaviour {
    @Override
    protected WorkerDatabase createDatabase(Path folder) {
        // The files are in the run's folder, removed with it.
        String url = "jdbc:h2:file:" + folder.resolve("database").resolve("tasks") + ";WRITE_DELAY=0";
        return new WorkerDatabase("H2 file (WRITE_DELAY=0)", url, "sa", "", () -> {});
    }
}
