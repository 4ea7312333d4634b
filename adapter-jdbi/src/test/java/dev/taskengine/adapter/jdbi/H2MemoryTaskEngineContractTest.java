package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskEngineContract;
import dev.taskengine.store.TaskStore;

class H2MemoryTaskEngineContractTest extends TaskEngineContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
