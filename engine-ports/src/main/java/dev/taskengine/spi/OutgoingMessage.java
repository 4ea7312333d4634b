package dev.taskengine.spi;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message for the sender. {@code idempotencyKey} is the same for every attempt of one execution of one task
 * (including a resend after a crash): a sender that honours it delivers the message once.
 *
 * @param emailAccount the account an email is sent from (the task's sequence's, the one the caller chose, or the
 *                     assignee's default); empty for SMS
 * @param smsSender    the sending identity an SMS goes from, when the host names one ({@link SenderAccounts#smsSender});
 *                     empty for email
 */
public record OutgoingMessage(
        String idempotencyKey,
        TenantId tenant,
        TaskId taskId,
        Channel channel,
        Optional<EmailAccountId> emailAccount,
        String to,
        Optional<String> subject,
        String body,
        List<Long> attachmentIds,
        Optional<String> smsSender) {

    public OutgoingMessage {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        emailAccount = emailAccount == null ? Optional.empty() : emailAccount;
        subject = subject == null ? Optional.empty() : subject;
        attachmentIds = attachmentIds == null ? List.of() : List.copyOf(attachmentIds);
        smsSender = smsSender == null ? Optional.empty() : smsSender;
    }
}
