package dev.taskengine.domain;

import java.util.Objects;

/**
 * What the sending limits count against: the email account an email goes from, or the sending identity an SMS goes
 * from (a phone number or a sender id). {@link #value()} is its stable key, {@code email:<id>} or {@code sms:<identity>},
 * the same in every store.
 */
public record SendingAccount(String value) {
    private static final String EMAIL = "email:";
    private static final String SMS = "sms:";
    /** The longest key every store keeps. */
    public static final int MAX_LENGTH = 200;

    public SendingAccount {
        Objects.requireNonNull(value, "value");
        if (!(value.startsWith(EMAIL) || value.startsWith(SMS)) || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a sending account is email:<id> or sms:<identity>, at most " + MAX_LENGTH + " characters");
        }
    }

    public static SendingAccount email(EmailAccountId account) {
        return new SendingAccount(
                EMAIL + Objects.requireNonNull(account, "account").value());
    }

    /** The SMS sending identity {@code identity} (a phone number or an alphanumeric sender id; not blank). */
    public static SendingAccount sms(String identity) {
        Objects.requireNonNull(identity, "identity");
        if (identity.isBlank()) {
            throw new IllegalArgumentException("an SMS sending identity is not blank");
        }
        return new SendingAccount(SMS + identity);
    }

    @Override
    public String toString() {
        return value;
    }
}
