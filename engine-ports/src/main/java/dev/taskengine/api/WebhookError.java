package dev.taskengine.api;

import dev.taskengine.domain.Violation;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/** Why a webhook call was refused; nothing was stored. */
public sealed interface WebhookError {

    /** Stable machine-readable code, such as {@code webhook.notFound}. */
    String code();

    /** Human-readable explanation. */
    String message();

    /** The input broke one or more rules; every violation is listed. */
    record Invalid(List<Violation> violations) implements WebhookError {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid input has at least one violation");
            }
        }

        @Override
        public String code() {
            return "webhook.invalid";
        }

        @Override
        public String message() {
            return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        }
    }

    /** No subscription {@code id} in the tenant. */
    record NotFound(UUID id) implements WebhookError {
        public NotFound {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String code() {
            return "webhook.notFound";
        }

        @Override
        public String message() {
            return "no webhook subscription " + id + " in this tenant";
        }
    }

    /**
     * The subscription {@code id} was changed by other writers (another change of the host, or attempts on other
     * engines counting failures or disabling it) each time this change was made again from what was read, {@code tries}
     * times; nothing of this change was kept. Trying again later may succeed.
     */
    record Conflict(UUID id, int tries) implements WebhookError {
        public Conflict {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String code() {
            return "webhook.conflict";
        }

        @Override
        public String message() {
            return "webhook subscription " + id + " was changed concurrently " + tries
                    + " times while this change was made; nothing was kept; try again";
        }
    }
}
