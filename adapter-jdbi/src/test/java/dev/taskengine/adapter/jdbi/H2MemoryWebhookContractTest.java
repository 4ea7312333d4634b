package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.WebhookContract;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;

class H2MemoryWebhookContractTest extends WebhookContract {
    @Override
    protected TaskStore store() {
        return TestDatabase.H2_MEMORY.store();
    }

    @Override
    protected WebhookStore webhookStore() {
        return TestDatabase.H2_MEMORY.webhookStore();
    }
}
