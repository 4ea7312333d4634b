package dev.taskengine.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of webhook deliveries as Standard Webhooks (https://www.standardwebhooks.com) defines them: the
 * {@code webhook-signature} header holds, for each of the subscription's secrets, {@code v1,} and the base64 of the
 * HMAC-SHA256 of {@code <webhook-id>.<webhook-timestamp>.<body>} under the secret's key. More than one secret is how a
 * secret is rotated: the subscriber accepts a delivery that any one of them signed.
 */
final class WebhookSignatures {
    static final String SECRET_PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;
    private static final int NEW_KEY_BYTES = 32;
    private static final String HMAC_SHA256 = "HmacSHA256";

    private WebhookSignatures() {}

    /**
     * The {@code webhook-signature} header value of one delivery.
     *
     * @throws IllegalArgumentException when there is no secret or one has a {@link #secretProblem problem}
     */
    static String sign(String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("A delivery is signed with at least one secret.");
        }
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            secretProblem(secret).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            header.add("v1," + Base64.getEncoder().encodeToString(hmac(key(secret), prefix, body)));
        }
        return header.toString();
    }

    static String newSecret(SecureRandom random) {
        byte[] key = new byte[NEW_KEY_BYTES];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Why {@code secret} cannot sign deliveries; empty when it can. The sentence never repeats the secret. */
    static Optional<String> secretProblem(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return Optional.of("A webhook secret starts with " + SECRET_PREFIX + ".");
        }
        byte[] key;
        try {
            key = key(secret);
        } catch (IllegalArgumentException notBase64) {
            return Optional.of("A webhook secret is " + SECRET_PREFIX + " followed by standard base64.");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            return Optional.of("A webhook secret's key is " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " bytes; this one is " + key.length + ".");
        }
        return Optional.empty();
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException everyJdkHasHmacSha256) {
            throw new IllegalStateException(everyJdkHasHmacSha256);
        }
    }
}
