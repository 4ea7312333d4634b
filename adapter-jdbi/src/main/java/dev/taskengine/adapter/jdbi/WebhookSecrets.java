package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.WebhookSubscription;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A subscription's secrets as one text column ({@code te_webhook.secrets}), and back, exactly, in the encoding of
 * {@link HistoryChanges}: each secret is three values in a row (value, created at, expires at, the times as ISO-8601
 * instants); a value is its length in UTF-16 units, a colon and the text itself, an absent value a single dash.
 */
final class WebhookSecrets {
    private static final char ABSENT = '-';
    private static final char LENGTH_END = ':';

    private WebhookSecrets() {}

    static String encode(List<WebhookSubscription.Secret> secrets) {
        StringBuilder text = new StringBuilder();
        for (WebhookSubscription.Secret secret : secrets) {
            value(text, secret.value());
            value(text, secret.createdAt().toString());
            value(text, secret.expiresAt().map(Instant::toString).orElse(null));
        }
        return text.toString();
    }

    private static void value(StringBuilder text, String value) {
        if (value == null) {
            text.append(ABSENT);
        } else {
            text.append(value.length()).append(LENGTH_END).append(value);
        }
    }

    /**
     * The secrets {@code text} holds.
     *
     * @throws IllegalArgumentException when {@code text} is not what {@link #encode} writes
     */
    static List<WebhookSubscription.Secret> decode(String text) {
        List<WebhookSubscription.Secret> secrets = new ArrayList<>();
        int[] at = {0};
        while (at[0] < text.length()) {
            String value = next(text, at).orElseThrow(() -> corrupt(at[0], "a secret has a value"));
            Instant createdAt =
                    instant(next(text, at).orElseThrow(() -> corrupt(at[0], "a secret has a creation time")));
            Optional<Instant> expiresAt = next(text, at).map(WebhookSecrets::instant);
            secrets.add(new WebhookSubscription.Secret(value, createdAt, expiresAt));
        }
        return List.copyOf(secrets);
    }

    private static Optional<String> next(String text, int[] at) {
        int start = at[0];
        if (start >= text.length()) {
            throw corrupt(start, "a value is missing");
        }
        if (text.charAt(start) == ABSENT) {
            at[0] = start + 1;
            return Optional.empty();
        }
        int colon = start;
        while (colon < text.length() && text.charAt(colon) >= '0' && text.charAt(colon) <= '9' && colon - start < 10) {
            colon++;
        }
        if (colon == start || colon == text.length() || text.charAt(colon) != LENGTH_END) {
            throw corrupt(start, "a value starts with its length and a colon");
        }
        long end = colon + 1 + Long.parseLong(text.substring(start, colon));
        if (end > text.length()) {
            throw corrupt(start, "a value is longer than the text left");
        }
        at[0] = (int) end;
        return Optional.of(text.substring(colon + 1, (int) end));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a secret's time: " + text, e);
        }
    }

    private static IllegalArgumentException corrupt(int at, String why) {
        return new IllegalArgumentException("not a subscription's secrets at position " + at + ": " + why);
    }
}
