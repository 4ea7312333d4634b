package dev.taskengine.spring.boot;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.TaskEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;

/** What the tests share: databases, host beans that record what they were given, tasks. */
final class Fixtures {
    static final Actor REP = Actor.user(7);

    private Fixtures() {}

    static String[] h2() {
        return new String[] {
            "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "spring.datasource.username=sa",
            "spring.datasource.password="
        };
    }

    /**
     * The PostgreSQL of TASKENGINE_PG_URL/_USER/_PASSWORD. Without it, or when it cannot be reached, the test is
     * skipped; with CI=true it fails instead.
     */
    static String[] postgresql() {
        String url = System.getenv("TASKENGINE_PG_URL");
        String user = System.getenv().getOrDefault("TASKENGINE_PG_USER", "taskengine");
        String password = System.getenv().getOrDefault("TASKENGINE_PG_PASSWORD", "taskengine");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (url == null) {
            if (ci) {
                throw new IllegalStateException("CI=true but TASKENGINE_PG_URL is not set");
            }
            Assumptions.abort("TASKENGINE_PG_URL is not set");
        }
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.isValid(5);
        } catch (SQLException e) {
            if (ci) {
                throw new IllegalStateException("CI=true but PostgreSQL at " + url + " cannot be reached", e);
            }
            Assumptions.abort("PostgreSQL at " + url + " cannot be reached: " + e.getMessage());
        }
        return new String[] {
            "spring.datasource.url=" + url,
            "spring.datasource.username=" + user,
            "spring.datasource.password=" + password
        };
    }

    static TenantId tenant() {
        return TenantId.of("t" + UUID.randomUUID().toString().substring(0, 8));
    }

    static NewTask todo(TenantId tenant) {
        Instant now = Instant.now();
        return NewTask.builder()
                .tenant(tenant)
                .type(TaskType.TO_DO)
                .assignee(UserId.of(7))
                .startAt(now)
                .dueTo(now.plus(Duration.ofDays(1)))
                .template(Template.of("Call back about the deal"))
                .build();
    }

    static NewTask scheduledEmail(TenantId tenant) {
        Instant now = Instant.now();
        return NewTask.builder()
                .tenant(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .assignee(UserId.of(7))
                .startAt(now)
                .dueTo(now.plus(Duration.ofHours(1)))
                .template(Template.of("Hello {{firstName}}", "Hi {{firstName}}, here is the deck."))
                .scheduled(true)
                .build();
    }

    /** Knows contact 1 of every tenant: Ada. */
    static ContactDirectory contacts() {
        return (tenant, id) -> id.equals(ContactId.of(1))
                ? Optional.of(Contact.builder(1)
                        .firstName("Ada")
                        .email("ada@example.com")
                        .build())
                : Optional.empty();
    }

    /** Every user sends from account 12. */
    static SenderAccounts accounts() {
        return new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
                return Optional.of(EmailAccountId.of(12));
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
                return Optional.of(EmailAccountId.of(12));
            }

            @Override
            public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
                return true;
            }
        };
    }

    static final class RecordingSender implements MessageSender {
        final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public Delivery send(OutgoingMessage message) {
            sent.add(message);
            return Delivery.delivered("m-" + sent.size());
        }
    }

    static final class RecordingPublisher implements EventPublisher {
        final List<TaskEvent> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(TaskEvent event) {
            published.add(event);
        }
    }
}
