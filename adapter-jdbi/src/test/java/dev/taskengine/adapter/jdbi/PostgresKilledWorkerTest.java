package dev.taskengine.adapter.jdbi;

import java.nio.file.Path;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The kill -9 test on PostgreSQL, in a schema of its own (so that the workers claim only this run's tasks). Skipped
 * without a server, failed on CI, as every PostgreSQL test ({@link PostgresServer}).
 */
class PostgresKilledWorkerTest extends KilledWorkerBehaviour {
    @Override
    protected WorkerDatabase createDatabase(Path folder) {
        TestDatabase.Isolated schema = PostgresServer.isolatedSchema();
        String name = ((PGSimpleDataSource) schema.dataSource()).getCurrentSchema();
        String url = PostgresServer.URL + (PostgresServer.URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new WorkerDatabase("PostgreSQL", url, PostgresServer.USER, PostgresServer.PASSWORD, schema::close);
    }
}
