package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.ExecutionContract;
import dev.taskengine.store.TaskStore;

class H2FileExecutionContractTest extends ExecutionContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_FILE.store();
    }
}
