package dev.taskengine.adapter.jdbi;

import java.nio.file.Path;

/**
 * The kill -9 test on an H2 file database with H2's default settings, as the example host opens it. The worker JVMs open
 * the file one after the other. H2 writes commits to the file in the background (WRITE_DELAY, 500 ms by default), so a
 * kill loses the last commits: tasks delivered and finished just before the kill come back as not yet executed, and are
 * executed again under the same key (tenant/task/version), which the sender acknowledges without delivering twice.
 */
class H2FileKilledWorkerTest extends KilledWorkerBehaviour {
    @Override
    protected WorkerDatabase createDatabase(Path folder) {
        // The files are in the run's folder, removed with it.
        String url = "jdbc:h2:file:" + folder.resolve("database").resolve("tasks");
        return new WorkerDatabase("H2 file", url, "sa", "", () -> {});
    }
}
