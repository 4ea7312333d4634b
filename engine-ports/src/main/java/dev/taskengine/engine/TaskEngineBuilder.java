package dev.taskengine.engine;

import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.ports.ContactDirectory;
import dev.taskengine.ports.EventPublisher;
import dev.taskengine.ports.TaskStore;
import java.time.Clock;
import java.util.Objects;

/** Wires a {@link TaskEngine} from its driven adapters. Only the store is required. */
public final class TaskEngineBuilder {
    private TaskStore store;
    private ContactDirectory contacts = ContactDirectory.none();
    private EventPublisher events = EventPublisher.none();
    private Clock clock = Clock.systemUTC();
    private TemplateEngine templates;

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

    /** Where lifecycle events go (default: nowhere). */
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

    public TaskEngine build() {
        if (store == null) {
            throw new IllegalStateException("a task engine needs a store");
        }
        return new DefaultTaskEngine(store, contacts, events, clock, templates == null ? TemplateEngine.create() : templates);
    }
}
