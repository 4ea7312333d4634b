package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An execution under way: recorded on the task before the message is handed to the sender, so that a crash between
 * sending and recording the outcome leaves a trace. Recovery resends exactly this message with the same idempotency
 * key, and a sender that honours keys delivers it once.
 *
 * @param idempotencyKey stable for this execution of this task
 * @param target         the email address or phone number the message goes to
 * @param emailAccount   the account an email is sent from; empty for SMS
 */
public record Execution(
        String idempotencyKey,
        Instant startedAt,
        Content content,
        String target,
        Optional<EmailAccountId> emailAccount) {
    public Execution {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        startedAt = TaskRules.micros(Objects.requireNonNull(startedAt, "startedAt"));
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(target, "target");
        emailAccount = emailAccount == null ? Optional.empty() : emailAccount;
    }
}
