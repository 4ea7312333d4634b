package dev.taskengine.spi;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.util.Optional;

/** Which email account an email task is sent from. */
public interface SenderAccounts {

    /** The user's default email account. */
    Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user);

    /** The account a sequence is configured to send from. */
    Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence);

    /** Whether {@code account} exists in the tenant and may be used by {@code user}. */
    boolean usable(TenantId tenant, UserId user, EmailAccountId account);

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
