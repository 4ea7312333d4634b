package dev.taskengine.spi;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.util.Optional;

/**
 * Which account a message is sent from: the email account of an email, the sending identity of an SMS. The sending
 * limits count against that account.
 */
public interface SenderAccounts {

    /** The user's default email account. */
    Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user);

    /** The account a sequence is configured to send from. */
    Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence);

    /** Whether {@code account} exists in the tenant and may be used by {@code user}. */
    boolean usable(TenantId tenant, UserId user, EmailAccountId account);

    /**
     * The sending identity (a phone number or an alphanumeric sender id) the user's SMS go from, when the host names one:
     * the sending limits count SMS against it. Empty by default: an SMS without a named sender counts against no limit
     * (windows and holidays still apply).
     */
    default Optional<String> smsSender(TenantId tenant, UserId user) {
        return Optional.empty();
    }

    /** Knows no account: email tasks cannot be executed. */
    static SenderAccounts none() {
        return new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
                return Optional.empty();
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
                return Optional.empty();
            }

            @Override
            public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
                return false;
            }
        };
    }
}
