package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskStoreContract;
import dev.taskengine.store.TaskStore;

class H2MemoryTaskStoreContractTest extends TaskStoreContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
