package dev.taskengine.adapter.http;

import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemorySenderAccounts;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.store.TaskStore;
import java.util.List;

/** The HTTP adapter alone, on an engine in memory with one contact and a sender of the test's choice. */
final class MemoryApi implements AutoCloseable {
    static final String KEY = "key-memory"; // tenant mem, user 7

    final HttpApi api;
    final Client client;

    private MemoryApi(HttpApi api) {
        this.api = api;
        this.client = new Client(api.port(), true);
    }

    static MemoryApi start(HttpSettings settings, MessageSender sender) {
        return start(settings, sender, new InMemoryTaskStore());
    }

    static MemoryApi start(HttpSettings settings, MessageSender sender, TaskStore store) {
        return new MemoryApi(HttpApi.create(engine(store, sender), ApiKeys.parse(List.of(KEY + "=mem:7")), settings)
                .start("127.0.0.1", 0));
    }

    /** The engine of tenant mem: {@code store}, one contact (1, Ada), user 7 with email account 70, and {@code sender}. */
    static TaskEngine engine(TaskStore store, MessageSender sender) {
        TenantId tenant = TenantId.of("mem");
        return TaskEngine.builder()
                .store(store)
                .contacts(new InMemoryContactDirectory()
                        .put(
                                tenant,
                                Contact.builder(1)
                                        .firstName("Ada")
                                        .email("ada@analytical.example")
                                        .phone("+44 20 7946 0001")
                                        .build()))
                .senderAccounts(new InMemorySenderAccounts().userAccount(tenant, UserId.of(7), EmailAccountId.of(70)))
                .sender(sender)
                .build();
    }

    long createEmail() {
        Client.Answer created = client.send("POST", "/v3/tasks", KEY, ReplyApiTest.EMAIL_TO_ADA);
        if (created.status() != 201) {
            throw new IllegalStateException(created.body());
        }
        return created.json().get("id").asLong();
    }

    @Override
    public void close() {
        api.stop();
    }
}
