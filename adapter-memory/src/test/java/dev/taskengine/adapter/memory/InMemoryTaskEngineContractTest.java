package dev.taskengine.adapter.memory;

import dev.taskengine.contract.TaskEngineContract;
import dev.taskengine.store.TaskStore;

class InMemoryTaskEngineContractTest extends TaskEngineContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
