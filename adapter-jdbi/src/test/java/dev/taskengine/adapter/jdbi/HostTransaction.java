package dev.taskengine.adapter.jdbi;

import org.jdbi.v3.core.Handle;

/**
 * A host's open transaction on a shared test database, for running a whole contract test inside it through
 * {@link JdbiTaskStore#inTransaction}: begun when the test asks for its store, committed after the test.
 */
final class HostTransaction {
    private final TestDatabase database;
    private Handle handle;

    HostTransaction(TestDatabase database) {
        this.database = database;
    }

    JdbiTaskStore begin() {
        if (handle == null) {
            handle = database.jdbi().open();
            handle.begin();
        }
        return JdbiTaskStore.inTransaction(handle);
    }

    void commit() {
        if (handle != null) {
            try {
                handle.commit();
            } finally {
                handle.close();
                handle = null;
            }
        }
    }
}
