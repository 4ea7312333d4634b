package dev.taskengine.reliability;

import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.SenderAccounts;
import java.util.Map;
import java.util.Optional;

/**
 * The host around the engine in the property and concurrency runs: the same two contacts and the same email accounts
 * in every tenant, so that a reference model can say what the engine must answer.
 *
 * <ul>
 *   <li>contact 1, Ada: email, phone, company and title, with HTML-special characters in the company and title;</li>
 *   <li>contact 2, Grace: a first name and a phone number only;</li>
 *   <li>contact 999: unknown.</li>
 *   <li>users 7 and 8 have default accounts 501 and 502; user 9 has none. Sequence 1 sends from account 900;
 *       sequence 2 has no account.</li>
 * </ul>
 */
final class World {
    static final Contact ADA = Contact.builder(1)
            .firstName("Ada")
            .lastName("Lovelace")
            .email("ada@example.com")
            .phone("+44 20 7946 0000")
            .company("Analytical <Engines>")
            .title("Countess & \"Analyst\"")
            .build();
    static final Contact GRACE =
            Contact.builder(2).firstName("Grace").phone("+1 202 555 0102").build();
    static final Map<ContactId, Contact> CONTACTS = Map.of(ADA.id(), ADA, GRACE.id(), GRACE);
    static final ContactId UNKNOWN_CONTACT = ContactId.of(999);

    static final Map<UserId, EmailAccountId> DEFAULT_ACCOUNTS =
            Map.of(UserId.of(7), EmailAccountId.of(501), UserId.of(8), EmailAccountId.of(502));
    static final Map<SequenceId, EmailAccountId> SEQUENCE_ACCOUNTS = Map.of(SequenceId.of(1), EmailAccountId.of(900));

    /** One template engine for the whole run, as a host would share it: its cache is part of what is attacked. */
    static final TemplateEngine TEMPLATES = TemplateEngine.create();

    private World() {}

    static ContactDirectory contacts() {
        return (tenant, id) -> Optional.ofNullable(CONTACTS.get(id));
    }

    /** A directory that knows the two contacts in {@code tenant} only. */
    static ContactDirectory contactsOf(TenantId owner) {
        return (tenant, id) -> tenant.equals(owner) ? Optional.ofNullable(CONTACTS.get(id)) : Optional.empty();
    }

    static SenderAccounts accounts() {
        return new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
                return Optional.ofNullable(DEFAULT_ACCOUNTS.get(user));
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
                return Optional.ofNullable(SEQUENCE_ACCOUNTS.get(sequence));
            }

            @Override
            public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
                return account.equals(DEFAULT_ACCOUNTS.get(user));
            }
        };
    }
}
