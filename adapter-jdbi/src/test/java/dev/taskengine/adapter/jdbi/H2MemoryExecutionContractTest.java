package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.ExecutionContract;
import dev.taskengine.store.TaskStore;

class H2MemoryExecutionContractTest extends ExecutionContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
