package dev.taskengine.domain;

import java.util.Objects;
import java.util.Optional;

/** Rendered content: the template with every variable resolved, ready to read or send. */
public record Content(Optional<String> subject, String body) {
    public Content {
        subject = subject == null ? Optional.empty() : subject;
        Objects.requireNonNull(body, "body");
    }

    public static Content of(String subject, String body) {
        return new Content(Optional.ofNullable(subject), body);
    }
}
