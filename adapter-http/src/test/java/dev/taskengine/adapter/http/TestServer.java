package dev.taskengine.adapter.http;

import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemoryMessageSender;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.StaleRules;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The adapter as the wire tests start it: an engine in memory with three contacts in every tenant, a sender that keeps
 * what it sends, every user N with email account N (every sequence S with account S), a random port, and fixed keys
 * for several tenants.
 */
final class TestServer implements AutoCloseable {
    static final String ACME = "key-acme"; // tenant acme, user 7
    static final String GLOBEX = "key-globex"; // tenant globex, user 9
    static final String PAGES = "key-pages"; // tenant pages, user 3 (paging tests)
    static final String TOPO = "key-topo"; // tenant topo, user 5
    static final String TOPO_PAGES = "key-topo-pages"; // tenant topo-pages, user 5
    static final String BULK = "key-bulk"; // tenant bulk, user 4
    static final String WORKDAY = "key-workday"; // tenant workday, user 6
    static final String WORKDAY_8 = "key-workday-8"; // tenant workday, user 8
    static final String STALE = "key-stale"; // tenant stale, user 2: tasks overdue by more than 7 days are stale

    static final TenantId STALE_TENANT = TenantId.of("stale");

    static final List<Contact> CONTACTS = List.of(
            Contact.builder(1)
                    .firstName("Ada")
                    .lastName("Lovelace")
                    .email("ada@analytical.example")
                    .phone("+44 20 7946 0001")
                    .linkedInUrl("https://www.linkedin.com/in/ada")
                    .company("Analytical Engines")
                    .title("CTO")
                    .customField("meetingLink", "https://meet.example/ada")
                    .build(),
            Contact.builder(2)
                    .firstName("Grace")
                    .lastName("Hopper")
                    .phone("+1 202 555 0102")
                    .company("Compilers & Co")
                    .build(),
            Contact.builder(3)
                    .firstName("Alan")
                    .lastName("Turing")
                    .email("alan@bletchley.example")
                    .phone("+44 1908 640404")
                    .build());

    /** Every user N has account N, their default and the only one they may name; every sequence S sends from account S. */
    static final SenderAccounts EVERY_USER_HAS_ONE_ACCOUNT = new SenderAccounts() {
        @Override
        public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
            return Optional.of(EmailAccountId.of(user.value()));
        }

        @Override
        public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
            return Optional.of(EmailAccountId.of(sequence.value()));
        }

        @Override
        public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
            return account.value() == user.value();
        }
    };

    final HttpApi api;
    final Client client;
    private final InMemoryMessageSender sender;

    private TestServer(HttpApi api, InMemoryMessageSender sender) {
        this.api = api;
        this.client = new Client(api.port());
        this.sender = sender;
    }

    static TestServer start() {
        ApiKeys keys = ApiKeys.parse(List.of(
                ACME + "=acme:7",
                GLOBEX + "=globex:9",
                PAGES + "=pages:3",
                TOPO + "=topo:5",
                TOPO_PAGES + "=topo-pages:5",
                BULK + "=bulk:4",
                WORKDAY + "=workday:6",
                WORKDAY_8 + "=workday:8",
                STALE + "=stale:2"));
        InMemoryContactDirectory contacts = new InMemoryContactDirectory();
        keys.asMap().values().stream()
                .map(Principal::tenant)
                .distinct()
                .forEach(tenant -> CONTACTS.forEach(contact -> contacts.put(tenant, contact)));
        InMemoryMessageSender sender = new InMemoryMessageSender();
        TaskEngine engine = TaskEngine.builder()
                .store(new InMemoryTaskStore())
                .contacts(contacts)
                .sender(sender)
                .senderAccounts(EVERY_USER_HAS_ONE_ACCOUNT)
                .clock(Clock.systemUTC())
                .staleRules(StaleRules.builder()
                        .tenant(STALE_TENANT, StaleRule.skipAfter(Duration.ofDays(7)))
                        .build())
                .build();
        return new TestServer(
                HttpApi.create(engine, keys, HttpSettings.defaults()).start("127.0.0.1", 0), sender);
    }

    /** The message sent for task {@code id}, if one was. */
    Optional<OutgoingMessage> sentFor(long id) {
        return sender.sent().stream()
                .filter(message -> message.taskId().equals(TaskId.of(id)))
                .findFirst();
    }

    @Override
    public void close() {
        api.stop();
    }
}
