package dev.taskengine.adapter.memory;

import dev.taskengine.contract.SendingPolicyContract;
import dev.taskengine.store.TaskStore;

class InMemorySendingPolicyContractTest extends SendingPolicyContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();

    @Override
    protected TaskStore store() {
        return store;
    }
}
