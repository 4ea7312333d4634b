package dev.taskengine.adapter.memory;

import dev.taskengine.contract.WebhookStoreContract;
import dev.taskengine.store.WebhookStore;

class InMemoryWebhookStoreContractTest extends WebhookStoreContract {
    private final InMemoryWebhookStore store = new InMemoryWebhookStore();

    @Override
    protected WebhookStore store() {
        return store;
    }
}
