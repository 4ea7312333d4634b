package dev.taskengine.adapter.jdbi;

class PostgresJdbiWebhookStoreTest extends JdbiWebhookStoreBehaviour {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
