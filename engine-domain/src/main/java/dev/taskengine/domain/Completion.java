package dev.taskengine.domain;

import java.util.Optional;

/** How a task was done: Call tasks may carry a disposition (answered, voicemail left, no answer). */
public record Completion(Optional<Disposition> disposition) {
    public Completion {
        disposition = disposition == null ? Optional.empty() : disposition;
    }

    public static Completion done() {
        return new Completion(Optional.empty());
    }

    public static Completion withDisposition(Disposition disposition) {
        return new Completion(Optional.ofNullable(disposition));
    }
}
