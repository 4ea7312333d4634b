package dev.taskengine.api;

/**
 * Told when the engine disabled a subscription by itself: its receiver answered 410 Gone, or its attempts kept
 * failing. Called once per disabling, by the engine that disabled it, after the change was stored; an exception is
 * logged and ignored.
 */
@FunctionalInterface
public interface WebhookListener {

    void disabled(WebhookSubscription subscription);

    /** A listener that only logs (the default). */
    static WebhookListener logging() {
        return subscription -> System.getLogger(WebhookListener.class.getName())
                .log(
                        System.Logger.Level.WARNING,
                        "webhook subscription " + subscription.id() + " of tenant "
                                + subscription.tenant().value()
                                + " to " + subscription.url() + " was disabled: "
                                + subscription
                                        .disabled()
                                        .map(d -> d.reason() + " (" + d.detail() + ")")
                                        .orElse("?"));
    }
}
