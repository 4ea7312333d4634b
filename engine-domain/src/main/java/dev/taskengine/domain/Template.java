package dev.taskengine.domain;

import java.util.List;
import java.util.Optional;

/**
 * A task's template: an optional subject, a body (required) and attachment ids. While a task is active, subject and body
 * may hold {@code {{variables}}}. A literal template is text that is never rendered: once a task is executed (or
 * completed by hand) its template holds the final content that was sent or done, as literal text, so that a contact's
 * value that looks like a variable is never rendered a second time.
 */
public record Template(Optional<String> subject, String body, List<Long> attachmentIds, boolean literal) {
    public Template {
        subject = subject == null ? Optional.empty() : subject;
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    public static Template of(String body) {
        return of(null, body, List.of());
    }

    public static Template of(String subject, String body) {
        return of(subject, body, List.of());
    }

    /** A template to render (not literal); {@code subject} may be null. */
    public static Template of(String subject, String body, List<Long> attachmentIds) {
        return new Template(Optional.ofNullable(subject), body, attachmentIds, false);
    }

    /** Text that is sent and shown exactly as written, never rendered. */
    public static Template literal(String subject, String body) {
        return new Template(Optional.ofNullable(subject), body, List.of(), true);
    }

    public Template withAttachments(List<Long> ids) {
        return new Template(subject, body, ids, literal);
    }

    /** The final content of a finished task, kept as literal text (the raw template is gone). */
    public static Template finalContent(Content content, List<Long> attachmentIds) {
        return new Template(content.subject(), content.body(), attachmentIds, true);
    }
}
