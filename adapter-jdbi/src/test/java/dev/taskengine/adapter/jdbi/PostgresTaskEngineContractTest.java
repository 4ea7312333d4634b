package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskEngineContract;
import dev.taskengine.store.TaskStore;

class PostgresTaskEngineContractTest extends TaskEngineContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
