package dev.taskengine.adapter.memory;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.SenderAccounts;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Email accounts the host registers: users' default accounts and sequences' accounts. Thread-safe. */
public final class InMemorySenderAccounts implements SenderAccounts {
    private record UserKey(TenantId tenant, UserId user) {}

    private record SequenceKey(TenantId tenant, SequenceId sequence) {}

    private record AccountKey(TenantId tenant, UserId user, EmailAccountId account) {}

    private final ConcurrentHashMap<UserKey, EmailAccountId> defaults = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SequenceKey, EmailAccountId> sequences = new ConcurrentHashMap<>();
    private final Set<AccountKey> usable = ConcurrentHashMap.newKeySet();

    /** Registers an account {@code user} may send from; the first one registered for a user is the default. */
    public InMemorySenderAccounts userAccount(TenantId tenant, UserId user, EmailAccountId account) {
        usable.add(new AccountKey(tenant, user, account));
        defaults.putIfAbsent(new UserKey(tenant, user), account);
        return this;
    }

    public InMemorySenderAccounts sequenceAccount(TenantId tenant, SequenceId sequence, EmailAccountId account) {
        sequences.put(new SequenceKey(tenant, sequence), account);
        return this;
    }

    @Override
    public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
        return Optional.ofNullable(defaults.get(new UserKey(tenant, user)));
    }

    @Override
    public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
        return Optional.ofNullable(sequences.get(new SequenceKey(tenant, sequence)));
    }

    @Override
    public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
        return usable.contains(new AccountKey(tenant, user, account));
    }
}
