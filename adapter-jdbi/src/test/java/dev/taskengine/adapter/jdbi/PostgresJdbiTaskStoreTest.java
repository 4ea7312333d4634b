package dev.taskengine.adapter.jdbi;

class PostgresJdbiTaskStoreTest extends JdbiTaskStoreBehaviour {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
