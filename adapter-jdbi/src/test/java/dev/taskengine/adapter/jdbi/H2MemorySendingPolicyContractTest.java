package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.SendingPolicyContract;
import dev.taskengine.store.TaskStore;

class H2MemorySendingPolicyContractTest extends SendingPolicyContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }
}
