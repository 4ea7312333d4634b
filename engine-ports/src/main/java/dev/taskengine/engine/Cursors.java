package dev.taskengine.engine;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.Violation;
import dev.taskengine.ports.Keyset;
import dev.taskengine.ports.TaskSort;
import io.vavr.control.Either;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Opaque page cursors: the keyset of the last task of a page and the sort it belongs to, base64url-encoded. A cursor
 * from another sort, or one that was tampered with, is refused as invalid input.
 */
final class Cursors {
    private static final String VERSION = "c1";

    private Cursors() {}

    static String encode(TaskSort sort, Keyset position) {
        String raw = VERSION + ":" + sort.name() + ":" + position.sortKey().getEpochSecond() + ":"
                + position.sortKey().getNano() + ":" + position.id().value();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Either<Violation, Keyset> decode(TaskSort sort, String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", -1);
            if (parts.length != 5 || !parts[0].equals(VERSION)) {
                return Either.left(invalid("it is not a cursor of this engine"));
            }
            if (!parts[1].equals(sort.name())) {
                return Either.left(invalid("it belongs to sort " + parts[1] + ", not " + sort.name()));
            }
            Instant key = Instant.ofEpochSecond(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
            return Either.right(new Keyset(key, TaskId.of(Long.parseLong(parts[4]))));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            return Either.left(invalid("it cannot be read"));
        }
    }

    private static Violation invalid(String why) {
        return Violation.of("query.cursor.invalid", "/cursor", "the cursor is invalid: " + why
                + "; pass the nextCursor of the previous page with the same sort");
    }
}
