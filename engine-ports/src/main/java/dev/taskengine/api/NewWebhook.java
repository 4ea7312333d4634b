package dev.taskengine.api;

import dev.taskengine.domain.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscription to create, as the caller gave it: {@code url} (https, unless the engine allows http), the event type
 * names wanted, in the caller's order, so that a problem names its item ({@code task.completed}: see {@link dev.taskengine.domain.TaskEventType#eventName()}; none for every
 * type), its secret (one is made when none is given) and whether it starts enabled. The engine validates every field
 * and names each problem.
 */
public record NewWebhook(
        TenantId tenant, String url, List<String> eventTypes, Optional<String> secret, boolean enabled) {
    public NewWebhook {
        Objects.requireNonNull(tenant, "tenant");
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        Objects.requireNonNull(secret, "secret");
    }

    /** A subscription of {@code tenant} to every event type at {@code url}, enabled, with a secret the engine makes. */
    public static NewWebhook of(TenantId tenant, String url) {
        return new NewWebhook(tenant, url, List.of(), Optional.empty(), true);
    }

    public NewWebhook eventTypes(String... names) {
        return new NewWebhook(tenant, url, List.of(names), secret, enabled);
    }

    public NewWebhook eventTypes(List<String> names) {
        return new NewWebhook(tenant, url, names, secret, enabled);
    }

    public NewWebhook secret(String value) {
        return new NewWebhook(tenant, url, eventTypes, Optional.of(value), enabled);
    }

    public NewWebhook disabled() {
        return new NewWebhook(tenant, url, eventTypes, secret, false);
    }
}
