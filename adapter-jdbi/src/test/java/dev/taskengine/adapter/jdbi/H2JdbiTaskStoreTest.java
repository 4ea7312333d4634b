package dev.taskengine.adapter.jdbi;

class H2JdbiTaskStoreTest extends JdbiTaskStoreBehaviour {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2_MEMORY;
    }
}
