package dev.taskengine.example.boot;

import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.SenderAccounts;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The host's side of the engine, as beans the starter picks up: who the contacts are, which account a rep sends from,
 * and where task events go. The message sender is {@link LoggingSender}.
 */
@Configuration(proxyBeanMethods = false)
class HostAdapters {
    private static final Logger LOG = LoggerFactory.getLogger("dev.taskengine.example.boot.events");

    /** One contact, in every tenant: Ada. */
    @Bean
    ContactDirectory contacts() {
        return (tenant, id) -> id.equals(ContactId.of(1))
                ? Optional.of(Contact.builder(1)
                        .firstName("Ada")
                        .email("ada@example.com")
                        .build())
                : Optional.empty();
    }

    /** Every rep sends from account 12. */
    @Bean
    SenderAccounts senderAccounts() {
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

    /** Task events, published once their transaction committed. */
    @Bean
    EventPublisher events(EventLog log) {
        return event -> {
            log.add(event);
            LOG.info("event {} of task {} (tenant {})", event.type(), event.taskId(), event.tenant());
        };
    }

    @Bean
    EventLog eventLog() {
        return new EventLog();
    }
}
