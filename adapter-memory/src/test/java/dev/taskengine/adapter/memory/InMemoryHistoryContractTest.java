package dev.taskengine.adapter.memory;

import dev.taskengine.contract.HistoryContract;
import dev.taskengine.store.TaskStore;

class InMemoryHistoryContractTest extends HistoryContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
