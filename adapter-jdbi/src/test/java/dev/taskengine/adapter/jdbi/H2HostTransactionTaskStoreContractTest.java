package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.TaskStoreContract;
import dev.taskengine.store.TaskStore;
import org.junit.jupiter.api.AfterEach;

/** The contract kit with every store call inside one open host transaction, committed after each test. */
class H2HostTransactionTaskStoreContractTest extends TaskStoreContract {
    private final HostTransaction transaction = new HostTransaction(TestDatabase.H2_MEMORY);

    @Override
    protected TaskStore store() {
        return transaction.begin();
    }

    @AfterEach
    void commit() {
        transaction.commit();
    }
}
