package dev.taskengine.server;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.SenderAccounts;
import java.util.Optional;

/**
 * The server's email accounts, with no set-up: every user N has one email account, number N, which is their default and
 * the only one they may name in an execute; every sequence S sends from account S. The account number travels with
 * each message into the sent-messages file.
 */
public final class EveryUserSenderAccounts implements SenderAccounts {

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
}
