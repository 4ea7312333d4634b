package dev.taskengine.domain;

import java.util.List;

/** The outcome of rendering a template against a contact's variables. */
public sealed interface Rendering {

    /** Every variable had a value. */
    record Rendered(Content content) implements Rendering {}

    /**
     * Some variables had no value (absent or blank). Nothing is rendered half-way: the engine never shows or sends
     * "Hi ,". Every missing name is listed, sorted; {@code {{default name "fallback"}}} avoids the refusal.
     */
    record MissingVariables(List<String> names) implements Rendering {
        public MissingVariables {
            names = List.copyOf(names);
        }
    }
}
