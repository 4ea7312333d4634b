package dev.taskengine.adapter.memory;

import dev.taskengine.contract.ObservationContract;
import dev.taskengine.store.TaskStore;

class InMemoryObservationContractTest extends ObservationContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
