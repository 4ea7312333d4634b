package dev.taskengine.adapter.memory;

import dev.taskengine.contract.WebhookContract;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;

class InMemoryWebhookContractTest extends WebhookContract {
    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final InMemoryWebhookStore webhooks = new InMemoryWebhookStore();

    @Override
    protected TaskStore store() {
        return store;
    }

    @Override
    protected WebhookStore webhookStore() {
        return webhooks;
    }
}
