package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.ObservationContract;
import dev.taskengine.store.TaskStore;

class PostgresObservationContractTest extends ObservationContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }
}
