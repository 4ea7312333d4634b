package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskStoreContract;
import dev.taskengine.store.TaskStore;
import org.jdbi.v3.core.Jdbi;

/** The contract on a store made from the host's {@link Jdbi} (a handle per call) rather than its data source. */
class H2MemoryJdbiHandleTaskStoreContractTest extends TaskStoreContract {
    private static final JdbiTaskStore STORE = new JdbiTaskStore(Jdbi.create(TestDatabase.H2_MEMORY.dataSource()));

    @Override
    protected TaskStore store() {
        return STORE;
    }
}
