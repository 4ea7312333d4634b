package dev.taskengine.adapter.memory;

import dev.taskengine.contract.WorkdayContract;
import dev.taskengine.store.TaskStore;

class InMemoryWorkdayContractTest extends WorkdayContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
