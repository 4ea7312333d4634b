package dev.taskengine.api;

import dev.taskengine.domain.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A subscription to create, as the caller gave it: {@code url} (https, unless the engine allows http), the event type
 * names wanted ({@code task.completed}: see {@link dev.taskengine.domain.TaskEventType#eventName()}; none for every
 * type), its secret (one is made when none is given) and whether it starts enabled. The engine validates every field
 * and names each problem.
 */
public record NewWebhook(
        TenantId tenant, String url, Set<String> eventTypes, Optional<String> secret, boolean enabled) {
    public NewWebhook {
        Objects.requireNonNull(tenant, "tenant");
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        Objects.requireNonNull(secret, "secret");
    }

    /** A subscription of {@code tenant} to every event type at {@code url}, enabled, with a secret the engine makes. */
    public static NewWebhook of(TenantId tenant, String url) {
        return new NewWebhook(tenant, url, Set.of(), Optional.empty(), true);
    }

    public NewWebhook eventTypes(String... names) {
        return new NewWebhook(tenant, url, Set.of(names), secret, enabled);
    }

    public NewWebhook eventTypes(Set<String> names) {
        return new NewWebhook(tenant, url, names, secret, enabled);
    }

    public NewWebhook secret(String value) {
        return new NewWebhook(tenant, url, eventTypes, Optional.of(value), enabled);
    }

    public NewWebhook disabled() {
        return new NewWebhook(tenant, url, eventTypes, secret, false);
    }
}
