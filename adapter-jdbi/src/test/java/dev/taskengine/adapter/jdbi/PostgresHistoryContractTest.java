package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.HistoryContract;
import dev.taskengine.store.TaskStore;

class PostgresHistoryContractTest extends HistoryContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
