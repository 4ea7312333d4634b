package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskStoreContract;
import dev.taskengine.store.TaskStore;

class PostgresTaskStoreContractTest extends TaskStoreContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
