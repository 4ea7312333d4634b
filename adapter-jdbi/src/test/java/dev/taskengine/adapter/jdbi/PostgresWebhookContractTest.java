package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.WebhookContract;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;

class PostgresWebhookContractTest extends WebhookContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.POSTGRESQL.store();
    }

    @Override
    protected WebhookStore webhookStore() {
        return TestDatabase.POSTGRESQL.webhookStore();
    }
}
