package dev.taskengine.spi;

import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link SendingRules} as configuration held in memory: defaults for every tenant, a tenant's own defaults, and overrides
 * per sending account (limits) and per sequence (windows). The most specific setting wins: account over tenant over
 * the defaults for limits, sequence over tenant over the defaults for windows, tenant over the defaults for holidays.
 * Unset, the defaults are no limit, always open and no holiday. Immutable once built.
 */
public final class SendingSettings implements SendingRules {
    private record AccountKey(TenantId tenant, SendingAccount account) {}

    private record SequenceKey(TenantId tenant, SequenceId sequence) {}

    private final SendingLimits defaultLimits;
    private final SendingWindows defaultWindows;
    private final Holidays defaultHolidays;
    private final Map<TenantId, SendingLimits> tenantLimits;
    private final Map<AccountKey, SendingLimits> accountLimits;
    private final Map<TenantId, SendingWindows> tenantWindows;
    private final Map<SequenceKey, SendingWindows> sequenceWindows;
    private final Map<TenantId, Holidays> tenantHolidays;

    private SendingSettings(Builder builder) {
        this.defaultLimits = builder.defaultLimits;
        this.defaultWindows = builder.defaultWindows;
        this.defaultHolidays = builder.defaultHolidays;
        this.tenantLimits = Map.copyOf(builder.tenantLimits);
        this.accountLimits = Map.copyOf(builder.accountLimits);
        this.tenantWindows = Map.copyOf(builder.tenantWindows);
        this.sequenceWindows = Map.copyOf(builder.sequenceWindows);
        this.tenantHolidays = Map.copyOf(builder.tenantHolidays);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SendingLimits limits(TenantId tenant, SendingAccount account) {
        SendingLimits own = accountLimits.get(new AccountKey(tenant, account));
        if (own != null) {
            return own;
        }
        return tenantLimits.getOrDefault(tenant, defaultLimits);
    }

    @Override
    public SendingWindows windows(TenantId tenant, Optional<SequenceId> sequence) {
        if (sequence.isPresent()) {
            SendingWindows own = sequenceWindows.get(new SequenceKey(tenant, sequence.get()));
            if (own != null) {
                return own;
            }
        }
        return tenantWindows.getOrDefault(tenant, defaultWindows);
    }

    @Override
    public Holidays holidays(TenantId tenant) {
        return tenantHolidays.getOrDefault(tenant, defaultHolidays);
    }

    /** Collects the settings; a later setting of the same scope replaces an earlier one. */
    public static final class Builder {
        private SendingLimits defaultLimits = SendingLimits.none();
        private SendingWindows defaultWindows = SendingWindows.always();
        private Holidays defaultHolidays = Holidays.none();
        private final Map<TenantId, SendingLimits> tenantLimits = new HashMap<>();
        private final Map<AccountKey, SendingLimits> accountLimits = new HashMap<>();
        private final Map<TenantId, SendingWindows> tenantWindows = new HashMap<>();
        private final Map<SequenceKey, SendingWindows> sequenceWindows = new HashMap<>();
        private final Map<TenantId, Holidays> tenantHolidays = new HashMap<>();

        private Builder() {}

        /** The limits of every account of a tenant without limits of its own. */
        public Builder defaultLimits(SendingLimits value) {
            this.defaultLimits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** The windows of every tenant without windows of its own. */
        public Builder defaultWindows(SendingWindows value) {
            this.defaultWindows = Objects.requireNonNull(value, "windows");
            return this;
        }

        /** The holidays of every tenant without holidays of its own. */
        public Builder defaultHolidays(Holidays value) {
            this.defaultHolidays = Objects.requireNonNull(value, "holidays");
            return this;
        }

        /** The limits of every account of {@code tenant} without limits of its own. */
        public Builder tenantLimits(TenantId tenant, SendingLimits value) {
            tenantLimits.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(value, "limits"));
            return this;
        }

        /** The limits of one account ({@link SendingLimits#none()}: this account has none, whatever its tenant's). */
        public Builder accountLimits(TenantId tenant, SendingAccount account, SendingLimits value) {
            accountLimits.put(
                    new AccountKey(
                            Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(account, "account")),
                    Objects.requireNonNull(value, "limits"));
            return this;
        }

        /** The windows of {@code tenant}'s scheduled sends without a sequence override. */
        public Builder tenantWindows(TenantId tenant, SendingWindows value) {
            tenantWindows.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(value, "windows"));
            return this;
        }

        /** The windows of the scheduled sends of one sequence. */
        public Builder sequenceWindows(TenantId tenant, SequenceId sequence, SendingWindows value) {
            sequenceWindows.put(
                    new SequenceKey(
                            Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(sequence, "sequence")),
                    Objects.requireNonNull(value, "windows"));
            return this;
        }

        /** The holidays of {@code tenant}. */
        public Builder tenantHolidays(TenantId tenant, Holidays value) {
            tenantHolidays.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(value, "holidays"));
            return this;
        }

        public SendingSettings build() {
            return new SendingSettings(this);
        }
    }
}
