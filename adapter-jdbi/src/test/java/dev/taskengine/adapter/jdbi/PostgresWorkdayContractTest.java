package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.WorkdayContract;
import dev.taskengine.store.TaskStore;

class PostgresWorkdayContractTest extends WorkdayContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
