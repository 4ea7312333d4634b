package dev.taskengine.domain;

import java.util.List;
import java.util.Optional;

/**
 * A task's template: an optional subject, a body (required) and attachment ids. While a task is active, subject and body
 * may hold {@code {{variables}}}; once it is executed they hold the final content that was sent.
 */
public record Template(Optional<String> subject, String body, List<Long> attachmentIds) {
    public Template {
        subject = subject == null ? Optional.empty() : subject;
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
    }

    public static Template of(String body) {
        return new Template(Optional.empty(), body, List.of());
    }

    public static Template of(String subject, String body) {
        return new Template(Optional.ofNullable(subject), body, List.of());
    }

    public Template withAttachments(List<Long> ids) {
        return new Template(subject, body, ids);
    }

    /** The template as final content (the raw template is gone once a task is executed). */
    public static Template finalContent(Content content, List<Long> attachmentIds) {
        return new Template(content.subject(), content.body(), attachmentIds);
    }
}
