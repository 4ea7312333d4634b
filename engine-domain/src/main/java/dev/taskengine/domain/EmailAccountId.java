package dev.taskengine.domain;

/** An email account of the host application that emails are sent from. */
public record EmailAccountId(long value) {
    public static EmailAccountId of(long value) {
        return new EmailAccountId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
