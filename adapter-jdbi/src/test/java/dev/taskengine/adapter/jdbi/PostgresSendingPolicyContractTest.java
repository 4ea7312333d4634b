package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.SendingPolicyContract;
import dev.taskengine.store.TaskStore;

class PostgresSendingPolicyContractTest extends SendingPolicyContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
