package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.ExecutionContract;
import dev.taskengine.store.TaskStore;

class PostgresExecutionContractTest extends ExecutionContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
