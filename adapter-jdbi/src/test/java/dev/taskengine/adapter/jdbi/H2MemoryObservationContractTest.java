package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.ObservationContract;
import dev.taskengine.store.TaskStore;

class H2MemoryObservationContractTest extends ObservationContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
