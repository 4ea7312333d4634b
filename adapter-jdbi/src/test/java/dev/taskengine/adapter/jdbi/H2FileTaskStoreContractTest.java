package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskStoreContract;
import dev.taskengine.store.TaskStore;

class H2FileTaskStoreContractTest extends TaskStoreContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_FILE.store();
    }
}
