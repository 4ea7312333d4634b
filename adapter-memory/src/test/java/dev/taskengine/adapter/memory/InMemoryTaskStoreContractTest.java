package dev.taskengine.adapter.memory;

import dev.taskengine.contract.TaskStoreContract;
import dev.taskengine.store.TaskStore;

class InMemoryTaskStoreContractTest extends TaskStoreContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
