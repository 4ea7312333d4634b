package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.WorkdayContract;
import dev.taskengine.store.TaskStore;

class H2MemoryWorkdayContractTest extends WorkdayContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
