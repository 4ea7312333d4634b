package dev.taskengine.internal;

import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.StaleRules;
import dev.taskengine.api.WebhookListener;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingRules;
import dev.taskengine.spi.SequenceMembership;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What an engine is made of, as the builder collected it.
 *
 * @param outbox   whether writes keep their events in the store's outbox (published to {@code publisher} once committed)
 * @param webhooks how webhooks are kept and delivered, when the engine delivers them
 * @param observer where the engine reports what it does (metrics, traces)
 */
public record EngineParts(
        TaskStore store,
        ContactDirectory contacts,
        EventPublisher publisher,
        boolean outbox,
        Clock clock,
        TemplateEngine templates,
        MessageSender sender,
        SenderAccounts senderAccounts,
        SequenceMembership sequenceMembership,
        RetryPolicy retryPolicy,
        SendingRules sendingRules,
        RandomGenerator jitter,
        StaleRules staleRules,
        Duration historyRetention,
        byte[] cursorSecret,
        Optional<WebhookParts> webhooks,
        EngineObserver observer) {

    public EngineParts {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(contacts, "contacts");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(senderAccounts, "senderAccounts");
        Objects.requireNonNull(sequenceMembership, "sequenceMembership");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(sendingRules, "sendingRules");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(staleRules, "staleRules");
        Objects.requireNonNull(historyRetention, "historyRetention");
        cursorSecret = Objects.requireNonNull(cursorSecret, "cursorSecret").clone();
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(observer, "observer");
    }

    /** Where webhooks are kept, how they are delivered, and who is told when the engine disables one. */
    public record WebhookParts(WebhookStore store, WebhookOptions options, WebhookListener listener) {
        public WebhookParts {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(listener, "listener");
        }
    }
}
