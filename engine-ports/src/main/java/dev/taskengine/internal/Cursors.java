package dev.taskengine.internal;

import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.Violation;
import dev.taskengine.store.Keyset;
import io.vavr.control.Either;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque page cursors: the keyset of the last task of a page and the sort it belongs to, base64url-encoded and signed
 * with HMAC-SHA256 under the engine's cursor secret. A cursor from another sort, one that was edited (even into another
 * well-formed position) or one signed under another secret is refused as invalid input.
 */
final class Cursors {
    private static final String VERSION = "c2";
    private static final String HISTORY_VERSION = "h1";
    private static final String ALGORITHM = "HmacSHA256";
    /** Bytes of the MAC kept in a cursor: 128 bits. */
    private static final int TAG_BYTES = 16;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    Cursors(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    String encode(TaskSort sort, Keyset position) {
        String raw = VERSION + ":" + sort.name() + ":" + position.sortKey().getEpochSecond() + ":"
                + position.sortKey().getNano() + ":" + position.id().value();
        byte[] payload = raw.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(tag(payload));
    }

    Either<Violation, Keyset> decode(TaskSort sort, String cursor) {
        try {
            int dot = cursor.indexOf('.');
            if (dot < 0) {
                return Either.left(invalid("it is not a cursor of this engine"));
            }
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] tag = DECODER.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(tag, tag(payload))) {
                return Either.left(invalid("it was not issued by this engine, or it was changed"));
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 5 || !parts[0].equals(VERSION)) {
                return Either.left(invalid("it is not a cursor of this engine"));
            }
            if (!parts[1].equals(sort.name())) {
                return Either.left(invalid("it belongs to sort " + parts[1] + ", not " + sort.name()));
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
            return Either.right(new Keyset(at, TaskId.of(Long.parseLong(parts[4]))));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            return Either.left(invalid("it cannot be read"));
        }
    }

    /** A cursor of a history page: the position of its last entry, signed like a task page's cursor. */
    String encodeHistory(long position) {
        byte[] payload = (HISTORY_VERSION + ":" + position).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(tag(payload));
    }

    Either<Violation, Long> decodeHistory(String cursor) {
        try {
            int dot = cursor.indexOf('.');
            if (dot < 0) {
                return Either.left(invalidHistory("it is not a history cursor of this engine"));
            }
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] tag = DECODER.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(tag, tag(payload))) {
                return Either.left(invalidHistory("it was not issued by this engine, or it was changed"));
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 2 || !parts[0].equals(HISTORY_VERSION)) {
                return Either.left(invalidHistory("it is not a history cursor of this engine"));
            }
            return Either.right(Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            return Either.left(invalidHistory("it cannot be read"));
        }
    }

    private static Violation invalidHistory(String why) {
        return Violation.of(
                "history.cursor.invalid",
                "/cursor",
                "the cursor is invalid: " + why + "; pass the nextCursor of the previous history page");
    }

    private byte[] tag(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(payload), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static Violation invalid(String why) {
        return Violation.of(
                "query.cursor.invalid",
                "/cursor",
                "the cursor is invalid: " + why + "; pass the nextCursor of the previous page with the same sort");
    }
}
