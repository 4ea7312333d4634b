package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.WebhookStoreContract;
import dev.taskengine.store.WebhookStore;

class PostgresWebhookStoreContractTest extends WebhookStoreContract {
    @Override
    protected WebhookStore store() {
        return TestDatabase.POSTGRESQL.webhookStore();
    }
}
