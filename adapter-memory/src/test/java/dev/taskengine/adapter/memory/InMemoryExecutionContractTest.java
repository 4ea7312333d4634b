package dev.taskengine.adapter.memory;

import dev.taskengine.contract.ExecutionContract;
import dev.taskengine.store.TaskStore;

class InMemoryExecutionContractTest extends ExecutionContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
