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
import dev.taskengine.spi.SendingRules;
import dev.taskengine.store.TaskStore;
import java.time.Clock;
import java.util.List;

/** The HTTP adapter alone, on an engine in memory with one contact and a sender of the test's choice. */
final class MemoryApi implements AutoCloseable {
    static final String KEY = "key-memory"; // tenant mem, user 7

    static final TenantId TENANT = TenantId.of("mem");
    static final EmailAccountId ACCOUNT = EmailAccountId.of(70);

    final HttpApi api;
    final Client client;
    final TaskEngine engine;

    private MemoryApi(HttpApi api, TaskEngine engine) {
        this.api = api;
        this.client = new Client(api.port(), true);
        this.engine = engine;
    }

    static MemoryApi start(HttpSettings settings, MessageSender sender) {
        return start(settings, sender, new InMemoryTaskStore());
    }

    static MemoryApi start(HttpSettings settings, MessageSender sender, TaskStore store) {
        TaskEngine engine = engine(store, sender);
        return new MemoryApi(
                HttpApi.create(engine, ApiKeys.parse(List.of(KEY + "=mem:7")), settings)
                        .start("127.0.0.1", 0),
                engine);
    }

    /** The adapter on an engine that reads the time from {@code clock} and sends under {@code rules}. */
    static MemoryApi start(MessageSender sender, Clock clock, SendingRules rules) {
        TaskEngine engine = engine(new InMemoryTaskStore(), sender, clock, rules);
        return new MemoryApi(
                HttpApi.builder(engine)
                        .authenticator(ApiKeys.parse(List.of(KEY + "=mem:7")))
                        .clock(clock)
                        .build()
                        .start("127.0.0.1", 0),
                engine);
    }

    /** The engine of tenant mem: {@code store}, one contact (1, Ada), user 7 with email account 70, and {@code sender}. */
    static TaskEngine engine(TaskStore store, MessageSender sender) {
        return engine(store, sender, Clock.systemUTC(), SendingRules.none());
    }

    private static TaskEngine engine(TaskStore store, MessageSender sender, Clock clock, SendingRules rules) {
        TenantId tenant = TENANT;
        return TaskEngine.builder()
                .store(store)
                .clock(clock)
                .sendingRules(rules)
                .contacts(new InMemoryContactDirectory()
                        .put(
                                tenant,
                                Contact.builder(1)
                                        .firstName("Ada")
                                        .email("ada@analytical.example")
                                        .phone("+44 20 7946 0001")
                                        .build()))
                .senderAccounts(new InMemorySenderAccounts().userAccount(tenant, UserId.of(7), ACCOUNT))
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
