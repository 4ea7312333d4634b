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
 * @param smsSender      the sending identity an SMS is sent from (a phone number or sender id), when the host names one;
 *                       empty for email
 */
public record Execution(
        String idempotencyKey,
        Instant startedAt,
        Content content,
        String target,
        Optional<EmailAccountId> emailAccount,
        Optional<String> smsSender) {
    public Execution {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        startedAt = TaskRules.micros(Objects.requireNonNull(startedAt, "startedAt"));
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(target, "target");
        emailAccount = emailAccount == null ? Optional.empty() : emailAccount;
        smsSender = smsSender == null ? Optional.empty() : smsSender;
        if (emailAccount.isPresent() && smsSender.isPresent()) {
            throw new IllegalArgumentException("an execution goes from an email account or an SMS sender, not both");
        }
    }

    /** An execution from an email account, or of an SMS without a named sender. */
    public Execution(
            String idempotencyKey,
            Instant startedAt,
            Content content,
            String target,
            Optional<EmailAccountId> emailAccount) {
        this(idempotencyKey, startedAt, content, target, emailAccount, Optional.empty());
    }

    /** The account the sending limits count this execution against; empty for an SMS without a named sender. */
    public Optional<SendingAccount> sendingAccount() {
        return emailAccount.map(SendingAccount::email).or(() -> smsSender.map(SendingAccount::sms));
    }
}
