package dev.taskengine.engine;

import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.ports.ContactDirectory;
import dev.taskengine.ports.EventPublisher;
import dev.taskengine.ports.MessageSender;
import dev.taskengine.ports.SenderAccounts;
import dev.taskengine.ports.SequenceMembership;
import dev.taskengine.ports.TaskStore;
import java.time.Clock;
import java.util.Objects;

/** Wires a {@link TaskEngine} from its driven adapters. Only the store is required. */
public final class TaskEngineBuilder {
    TaskStore store;
    ContactDirectory contacts = ContactDirectory.none();
    EventPublisher events = EventPublisher.none();
    Clock clock = Clock.systemUTC();
    TemplateEngine templates;
    MessageSender sender = MessageSender.none();
    SenderAccounts senderAccounts = SenderAccounts.none();
    SequenceMembership sequenceMembership = SequenceMembership.none();
    RetryPolicy retryPolicy = RetryPolicy.standard();

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

    /** Where lifecycle events go (default: nowhere, and then none are stored). */
    public TaskEngineBuilder events(EventPublisher value) {
        this.events = Objects.requireNonNull(value, "events");
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

    public TaskEngine build() {
        if (store == null) {
            throw new IllegalStateException("a task engine needs a store");
        }
        return new DefaultTaskEngine(this);
    }
}
