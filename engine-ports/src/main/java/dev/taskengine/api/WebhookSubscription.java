package dev.taskengine.api;

import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where a tenant's task events are delivered by webhook: {@code url}, for the event types in {@code eventTypes} (every
 * type when empty), signed with each of {@code secrets} (two while a secret is being rotated: the previous one until
 * it expires). A subscription {@link #disabled() disabled} receives nothing until it is enabled again; its pending
 * deliveries wait.
 *
 * @param consecutiveFailures failed attempts since the last delivered one, across its deliveries
 * @param failingSince        when the first of those failed; empty when the last attempt was delivered
 * @param version             how many times the store has changed it since it was made: every write of the store to
 *                            the subscription (a change of the host, or an attempt that changed its failures or disabled
 *                            it) makes it one more, so that a change made from what was read at one version is kept only
 *                            while the subscription is still at that version (see
 *                            {@link dev.taskengine.store.WebhookStore#updateWebhook})
 */
public record WebhookSubscription(
        UUID id,
        TenantId tenant,
        URI url,
        Set<TaskEventType> eventTypes,
        List<Secret> secrets,
        Optional<Disabled> disabled,
        int consecutiveFailures,
        Optional<Instant> failingSince,
        Instant createdAt,
        Instant updatedAt,
        long version) {
    public WebhookSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(url, "url");
        eventTypes = Set.copyOf(eventTypes);
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a subscription has at least one secret");
        }
        Objects.requireNonNull(disabled, "disabled");
        Objects.requireNonNull(failingSince, "failingSince");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 0) {
            throw new IllegalArgumentException("a version is not negative: " + version);
        }
    }

    /** This subscription at {@code value}. */
    public WebhookSubscription withVersion(long value) {
        return new WebhookSubscription(
                id,
                tenant,
                url,
                eventTypes,
                secrets,
                disabled,
                consecutiveFailures,
                failingSince,
                createdAt,
                updatedAt,
                value);
    }

    public boolean enabled() {
        return disabled.isEmpty();
    }

    /** Whether events of {@code type} are delivered to it (it may be disabled). */
    public boolean wants(TaskEventType type) {
        return eventTypes.isEmpty() || eventTypes.contains(type);
    }

    /** The secrets that sign an attempt at {@code at}: those not expired, newest first. */
    public List<String> signingSecrets(Instant at) {
        return secrets.stream()
                .filter(s -> s.expiresAt().map(at::isBefore).orElse(true))
                .map(Secret::value)
                .toList();
    }

    /** The newest secret: the one a receiver should verify with. */
    public String secret() {
        return secrets.get(0).value();
    }

    /**
     * A signing secret ({@code whsec_} and base64 of its key); {@code expiresAt} is set on the previous secret when a new
     * one replaced it.
     */
    public record Secret(String value, Instant createdAt, Optional<Instant> expiresAt) {
        public Secret {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Secret[created " + createdAt
                    + expiresAt.map(e -> ", expires " + e).orElse("") + "]";
        }
    }

    /** Why and since when a subscription receives nothing; {@code detail} says what the engine saw. */
    public record Disabled(Reason reason, Instant at, String detail) {
        public Disabled {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public enum Reason {
        /** Disabled by a change of the host. */
        BY_REQUEST,
        /** The receiver answered 410 Gone: it wants no more. */
        GONE,
        /** Attempts failed one after another for longer than the engine allows (see {@link WebhookOptions}). */
        FAILING
    }
}
