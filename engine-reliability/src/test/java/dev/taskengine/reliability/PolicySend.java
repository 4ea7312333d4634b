package dev.taskengine.reliability;

import dev.taskengine.spi.OutgoingMessage;
import java.time.Instant;
import java.time.ZoneId;

/**
 * One delivery as the sender recorded it: the idempotency key, the task, the account it went from, the recipient and
 * their zone, and the clock's instant at the call. One line of a sender's log: tab-separated, in that order.
 */
record PolicySend(String key, long taskId, long account, long contact, ZoneId zone, Instant at) {

    /** The delivery of {@code message} at {@code at}; the recipient's zone is the one {@link PolicyWeek} gives them. */
    static PolicySend of(OutgoingMessage message, Instant at) {
        long contact = PolicyWeek.contactOf(message.to());
        return new PolicySend(
                message.idempotencyKey(),
                message.taskId().value(),
                message.emailAccount()
                        .orElseThrow(() -> new IllegalStateException("an email without an account: " + message))
                        .value(),
                contact,
                PolicyWeek.zoneOf(contact),
                at);
    }

    String line() {
        return key + "\t" + taskId + "\t" + account + "\t" + contact + "\t" + zone.getId() + "\t" + at + "\n";
    }

    static PolicySend parse(String line) {
        String[] parts = line.split("\t");
        if (parts.length != 6) {
            throw new IllegalStateException("not a delivery: '" + line + "'");
        }
        return new PolicySend(
                parts[0],
                Long.parseLong(parts[1]),
                Long.parseLong(parts[2]),
                Long.parseLong(parts[3]),
                ZoneId.of(parts[4]),
                Instant.parse(parts[5]));
    }
}
