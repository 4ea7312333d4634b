package dev.taskengine.api;

import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.internal.EngineParts;
import dev.taskengine.internal.Engines;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingRules;
import dev.taskengine.spi.SequenceMembership;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Wires a {@link TaskEngine} from its adapters. Only the store is required. The one composition root of the library:
 * the only public type that reaches into its internals.
 */
public final class TaskEngineBuilder {
    /** The shortest cursor secret accepted, in bytes. */
    public static final int CURSOR_SECRET_MIN_BYTES = 16;
    /** How long the history of a deleted task is kept by default: 90 days. */
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(90);

    private TaskStore store;
    private ContactDirectory contacts = ContactDirectory.none();
    private EventPublisher publisher = EventPublisher.none();
    private boolean outbox;
    private Clock clock = Clock.systemUTC();
    private TemplateEngine templates;
    private MessageSender sender = MessageSender.none();
    private SenderAccounts senderAccounts = SenderAccounts.none();
    private SequenceMembership sequenceMembership = SequenceMembership.none();
    private RetryPolicy retryPolicy = RetryPolicy.standard();
    private SendingRules sendingRules = SendingRules.none();
    private RandomGenerator jitter = new SplittableRandom();
    private StaleRules staleRules = StaleRules.none();
    private Duration historyRetention = DEFAULT_HISTORY_RETENTION;
    private byte[] cursorSecret;
    private WebhookStore webhookStore;
    private WebhookOptions webhookOptions = WebhookOptions.defaults();
    private WebhookListener webhookListener = WebhookListener.logging();
    private EngineObserver observer = EngineObserver.none();

    TaskEngineBuilder() {}

    public TaskEngineBuilder store(TaskStore value) {
        this.store = Objects.requireNonNull(value, "store");
        return this;
    }

    /** Where contacts are looked up (default: a directory that knows none). */
    public TaskEngineBuilder contacts(ContactDirectory value) {
        this.contacts = Objects.requireNonNull(value, "contacts");
        return this;
    }

    /**
     * Keeps every write's lifecycle events in the store's outbox, in the write's transaction, and publishes them to
     * {@code value} once committed (at least once). By default no events are kept.
     */
    public TaskEngineBuilder events(EventPublisher value) {
        this.publisher = Objects.requireNonNull(value, "events");
        this.outbox = true;
        return this;
    }

    /**
     * Keeps every write's lifecycle events in the store's outbox, in the write's transaction, for a reader outside the
     * engine (a change-data-capture connector reading the outbox table); publishes them to nobody in this process. By
     * default no events are kept.
     */
    public TaskEngineBuilder eventsInOutboxOnly() {
        this.publisher = EventPublisher.none();
        this.outbox = true;
        return this;
    }

    /** The engine's only source of time (default: the system clock in UTC). */
    public TaskEngineBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /** The template engine and its cache (default: {@link TemplateEngine#create()}). */
    public TaskEngineBuilder templates(TemplateEngine value) {
        this.templates = Objects.requireNonNull(value, "templates");
        return this;
    }

    /** Sends executed emails and SMS (default: none; every execution fails permanently, saying so). */
    public TaskEngineBuilder sender(MessageSender value) {
        this.sender = Objects.requireNonNull(value, "sender");
        return this;
    }

    /** Which account emails are sent from (default: none known). */
    public TaskEngineBuilder senderAccounts(SenderAccounts value) {
        this.senderAccounts = Objects.requireNonNull(value, "senderAccounts");
        return this;
    }

    /** Told when a completed task finishes its prospect in the sequence (default: nobody). */
    public TaskEngineBuilder sequenceMembership(SequenceMembership value) {
        this.sequenceMembership = Objects.requireNonNull(value, "sequenceMembership");
        return this;
    }

    /** How failed executions of scheduled tasks are retried (default: {@link RetryPolicy#standard()}). */
    public TaskEngineBuilder retryPolicy(RetryPolicy value) {
        this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
        return this;
    }

    /**
     * The sending policy: limits per sending account, windows and holidays (default: {@link SendingRules#none()}, every
     * due task sent at once). Limits apply to sends by hand too.
     */
    public TaskEngineBuilder sendingRules(SendingRules value) {
        this.sendingRules = Objects.requireNonNull(value, "sendingRules");
        return this;
    }

    /**
     * Where the random extra wait after a minimum gap ({@link dev.taskengine.domain.SendingLimits#jitter()}) is drawn
     * from (default: a {@link SplittableRandom}); a host's tests give a seeded one.
     */
    public TaskEngineBuilder jitter(RandomGenerator value) {
        this.jitter = Objects.requireNonNull(value, "jitter");
        return this;
    }

    /**
     * The stale-task rules of each tenant, applied by the scheduler (default: {@link StaleRules#none()}, no task is
     * ever taken for stale).
     */
    public TaskEngineBuilder staleRules(StaleRules value) {
        this.staleRules = Objects.requireNonNull(value, "staleRules");
        return this;
    }

    /**
     * How long the history of a deleted task is kept after its deletion (default {@link #DEFAULT_HISTORY_RETENTION});
     * a running scheduler removes older history once an hour. The history of a stored task is kept as long as the task.
     */
    public TaskEngineBuilder historyRetention(Duration value) {
        Objects.requireNonNull(value, "historyRetention");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("a history retention is a positive time, not " + value);
        }
        this.historyRetention = value;
        return this;
    }

    /**
     * The secret that signs page cursors (HMAC-SHA256), so that an edited cursor is refused; at least
     * {@value #CURSOR_SECRET_MIN_BYTES} bytes. Give every engine instance behind one API the same secret, so that a cursor
     * from one instance pages on another and across restarts. Default: a random secret of this engine alone.
     */
    public TaskEngineBuilder cursorSecret(byte[] value) {
        Objects.requireNonNull(value, "cursorSecret");
        if (value.length < CURSOR_SECRET_MIN_BYTES) {
            throw new IllegalArgumentException(
                    "a cursor secret has at least " + CURSOR_SECRET_MIN_BYTES + " bytes, not " + value.length);
        }
        this.cursorSecret = value.clone();
        return this;
    }

    /**
     * Delivers task events by webhook to the subscriptions kept in {@code store} ({@link TaskEngine#webhooks()}), as
     * {@code options} say. Events are kept in the outbox (as {@link #events} does; an in-process publisher set there is
     * kept too), and the relay of every running scheduler publishes them and enqueues their deliveries; every engine
     * whose scheduler runs delivers.
     */
    public TaskEngineBuilder webhooks(WebhookStore store, WebhookOptions options) {
        this.webhookStore = Objects.requireNonNull(store, "store");
        this.webhookOptions = Objects.requireNonNull(options, "options");
        this.outbox = true;
        return this;
    }

    /** Who is told when the engine disables a subscription by itself (default: a warning in the log). */
    public TaskEngineBuilder webhookListener(WebhookListener value) {
        this.webhookListener = Objects.requireNonNull(value, "webhookListener");
        return this;
    }

    /**
     * Where the engine reports what it does: driving calls, executions, claims, lateness, deferrals, published events,
     * and the trace context kept with scheduled tasks (default: nowhere). Module {@code engine-micrometer} has one on
     * Micrometer's Observation API.
     */
    public TaskEngineBuilder observer(EngineObserver value) {
        this.observer = Objects.requireNonNull(value, "observer");
        return this;
    }

    public TaskEngine build() {
        if (store == null) {
            throw new IllegalStateException("a task engine needs a store");
        }
        byte[] secret = cursorSecret;
        if (secret == null) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        return Engines.create(new EngineParts(
                store,
                contacts,
                publisher,
                outbox,
                clock,
                templates == null ? TemplateEngine.create() : templates,
                sender,
                senderAccounts,
                sequenceMembership,
                retryPolicy,
                sendingRules,
                jitter,
                staleRules,
                historyRetention,
                secret,
                Optional.ofNullable(webhookStore)
                        .map(kept -> new EngineParts.WebhookParts(kept, webhookOptions, webhookListener)),
                observer));
    }
}
