package dev.taskengine.store;

import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookSubscription;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An attempt of the delivery at {@code position}, made under {@code lease}, and what follows from it. The delivery
 * becomes {@code state}: delivered, given up, or pending again until {@code nextAttemptAt}. Its subscription's failures
 * are counted: a delivered attempt clears them; a failed one adds one (and sets when they began). The subscription is
 * disabled with {@code disable} when it is given (a 410 Gone), or as failing when, with this attempt,
 * {@code disableAfterFailures} attempts in a row have failed for at least {@code disableAfterFailingFor}; a subscription
 * already disabled stays as it is.
 */
public record DeliveryAttempt(
        long position,
        Lease lease,
        WebhookDelivery.Attempt attempt,
        WebhookDelivery.State state,
        Optional<Instant> nextAttemptAt,
        Optional<WebhookSubscription.Disabled> disable,
        int disableAfterFailures,
        Duration disableAfterFailingFor) {
    public DeliveryAttempt {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(disable, "disable");
        Objects.requireNonNull(disableAfterFailingFor, "disableAfterFailingFor");
        if ((state == WebhookDelivery.State.PENDING) != nextAttemptAt.isPresent()) {
            throw new IllegalArgumentException("a pending delivery, and only one, has a next attempt: " + state);
        }
    }
}
