package dev.taskengine.api;

import dev.taskengine.domain.Content;
import dev.taskengine.domain.EmailAccountId;
import java.util.Objects;
import java.util.Optional;

/**
 * How an execution by hand is sent: by default the template rendered for the contact, from the assignee's default email
 * account. {@link #withContent} sends given content as it is instead; {@link #fromAccount} names the email account of a
 * user task (sequence tasks always send from the sequence's account).
 */
public final class ExecuteRequest {
    private static final ExecuteRequest RENDERED = new ExecuteRequest(null, null);

    private final Content content;
    private final EmailAccountId emailAccount;

    private ExecuteRequest(Content content, EmailAccountId emailAccount) {
        this.content = content;
        this.emailAccount = emailAccount;
    }

    /** The template rendered for the contact, from the default account. */
    public static ExecuteRequest rendered() {
        return RENDERED;
    }

    /** Sends {@code value} as it is (checked by the text rules), instead of the rendered template. */
    public ExecuteRequest withContent(Content value) {
        return new ExecuteRequest(Objects.requireNonNull(value, "content"), emailAccount);
    }

    /** Sends from {@code value}, which the assignee must be allowed to use (user email tasks only). */
    public ExecuteRequest fromAccount(EmailAccountId value) {
        return new ExecuteRequest(content, Objects.requireNonNull(value, "emailAccount"));
    }

    public Optional<Content> content() {
        return Optional.ofNullable(content);
    }

    public Optional<EmailAccountId> emailAccount() {
        return Optional.ofNullable(emailAccount);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecuteRequest that
                && Objects.equals(content, that.content)
                && Objects.equals(emailAccount, that.emailAccount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(content, emailAccount);
    }

    @Override
    public String toString() {
        return "ExecuteRequest[content=" + content + ", emailAccount=" + emailAccount + "]";
    }
}
