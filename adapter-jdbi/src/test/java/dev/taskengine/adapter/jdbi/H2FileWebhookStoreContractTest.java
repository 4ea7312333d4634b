package dev.taskengine.adapter.jdbi;

import dev.taskengine.contract.WebhookStoreContract;
import dev.taskengine.store.WebhookStore;

class H2FileWebhookStoreContractTest extends WebhookStoreContract {
    @Override
    protected WebhookStore store() {
        return TestDatabase.H2_FILE.webhookStore();
    }
}
