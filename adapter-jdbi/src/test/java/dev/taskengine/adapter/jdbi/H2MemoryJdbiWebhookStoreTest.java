package dev.taskengine.adapter.jdbi;

class H2MemoryJdbiWebhookStoreTest extends JdbiWebhookStoreBehaviour {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2_MEMORY;
    }
}
