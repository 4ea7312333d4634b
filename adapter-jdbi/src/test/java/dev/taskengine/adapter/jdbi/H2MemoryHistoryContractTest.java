package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.HistoryContract;
import dev.taskengine.store.TaskStore;

class H2MemoryHistoryContractTest extends HistoryContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
