package dev.taskengine.store;

import dev.taskengine.api.WebhookSubscription;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one rule every {@link WebhookStore} counts a subscription's failures by (see {@link DeliveryAttempt}), so that
 * the stores cannot disagree on when a subscription is disabled.
 */
public final class WebhookFailures {
    private WebhookFailures() {}

    /**
     * {@code subscription} with the failures of {@code attempt} counted: a delivered attempt clears them; a failed one
     * adds one and sets when they began (if not set), and disables it with the attempt's {@code disable} when given, or
     * as {@link WebhookSubscription.Reason#FAILING} when, with this attempt, {@code disableAfterFailures} attempts in a
     * row have failed for at least {@code disableAfterFailingFor}. A subscription already disabled stays as it is.
     * When anything changed its version is one more; else it is {@code subscription} itself.
     */
    public static WebhookSubscription counted(WebhookSubscription subscription, DeliveryAttempt attempt) {
        Instant at = attempt.attempt().at();
        if (attempt.attempt().delivered()) {
            return with(subscription, subscription.disabled(), 0, Optional.empty());
        }
        int failures = subscription.consecutiveFailures() + 1;
        Instant since = subscription.failingSince().orElse(at);
        return with(subscription, disabled(subscription, attempt, failures, since), failures, Optional.of(since));
    }

    /**
     * How the subscription stands once an attempt made its failures {@code failures} in a row since {@code since}: as it
     * was when already disabled or when the attempt was delivered, else disabled as {@link #counted} says.
     */
    public static Optional<WebhookSubscription.Disabled> disabled(
            WebhookSubscription subscription, DeliveryAttempt attempt, int failures, Instant since) {
        Optional<WebhookSubscription.Disabled> disabled = subscription.disabled();
        if (disabled.isPresent() || attempt.attempt().delivered()) {
            return disabled;
        }
        Instant at = attempt.attempt().at();
        if (attempt.disable().isPresent()) {
            return attempt.disable();
        }
        if (failures >= attempt.disableAfterFailures()
                && Duration.between(since, at).compareTo(attempt.disableAfterFailingFor()) >= 0) {
            return Optional.of(new WebhookSubscription.Disabled(
                    WebhookSubscription.Reason.FAILING, at, failures + " attempts in a row failed since " + since));
        }
        return Optional.empty();
    }

    private static WebhookSubscription with(
            WebhookSubscription s,
            Optional<WebhookSubscription.Disabled> disabled,
            int failures,
            Optional<Instant> failingSince) {
        WebhookSubscription changed = new WebhookSubscription(
                s.id(),
                s.tenant(),
                s.url(),
                s.eventTypes(),
                s.secrets(),
                disabled,
                failures,
                failingSince,
                s.createdAt(),
                s.updatedAt(),
                s.version());
        return changed.equals(s) ? s : changed.withVersion(s.version() + 1);
    }
}
