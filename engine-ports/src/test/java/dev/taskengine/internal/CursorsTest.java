package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.TaskId;
import dev.taskengine.store.Keyset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTest {
    private static final byte[] SECRET = "a secret of thirty-two bytes!!!!".getBytes(StandardCharsets.UTF_8);
    private final Cursors cursors = new Cursors(SECRET);
    private final Keyset position = new Keyset(Instant.parse("2026-03-02T09:30:00.123456Z"), TaskId.of(42));

    @Test
    void aCursorDecodesToThePositionItEncodes() {
        String cursor = cursors.encode(TaskSort.DUE_TO_DESC, position);
        assertThat(cursors.decode(TaskSort.DUE_TO_DESC, cursor).get()).isEqualTo(position);
    }

    @Test
    void aCursorIsOpaqueAndUrlSafe() {
        assertThat(cursors.encode(TaskSort.START_AT_ASC, position)).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void aCursorOfAnotherSortIsRefused() {
        String cursor = cursors.encode(TaskSort.START_AT_ASC, position);
        assertThat(cursors.decode(TaskSort.DUE_TO_ASC, cursor).getLeft().code()).isEqualTo("query.cursor.invalid");
    }

    @Test
    void anEditedWellFormedCursorIsRefused() {
        String cursor = cursors.encode(TaskSort.START_AT_ASC, position);
        String tag = cursor.substring(cursor.indexOf('.'));
        String forged = encode("c2:START_AT_ASC:" + position.sortKey().getEpochSecond() + ":0:7") + tag;
        assertThat(cursors.decode(TaskSort.START_AT_ASC, forged).getLeft().code())
                .isEqualTo("query.cursor.invalid");
    }

    @Test
    void aCursorSignedUnderAnotherSecretIsRefused() {
        byte[] other = Arrays.copyOf(SECRET, SECRET.length);
        other[0] ^= 1;
        String cursor = new Cursors(other).encode(TaskSort.START_AT_ASC, position);
        assertThat(cursors.decode(TaskSort.START_AT_ASC, cursor).getLeft().message())
                .contains("not issued by this engine");
    }

    @Test
    void aCursorWithoutItsSignatureIsRefused() {
        String cursor = cursors.encode(TaskSort.START_AT_ASC, position);
        assertThat(cursors.decode(TaskSort.START_AT_ASC, cursor.substring(0, cursor.indexOf('.')))
                        .getLeft()
                        .code())
                .isEqualTo("query.cursor.invalid");
    }

    @Test
    void garbageIsRefusedNotThrown() {
        for (String garbage : new String[] {
            "",
            "!!!",
            "not-a-cursor",
            ".",
            "a.b",
            "!!!.!!!",
            encode("c2:START_AT_ASC:x:0:1"),
            encode("c2:START_AT_ASC:1:0"),
            encode("c2:START_AT_ASC:99999999999999999:0:1")
        }) {
            assertThat(cursors.decode(TaskSort.START_AT_ASC, garbage).getLeft().pointer())
                    .isEqualTo("/cursor");
        }
    }

    @Test
    void garbageCorrectlySignedIsRefusedNotThrown() {
        for (String raw : new String[] {
            "c2:START_AT_ASC:x:0:1",
            "c2:START_AT_ASC:1:0",
            "c1:START_AT_ASC:1:0:1",
            "c2:START_AT_ASC:99999999999999999:0:1"
        }) {
            String signed = signed(raw);
            assertThat(cursors.decode(TaskSort.START_AT_ASC, signed).getLeft().pointer())
                    .isEqualTo("/cursor");
        }
    }

    private String signed(String raw) {
        // A cursor's tag covers its payload, so any payload re-signed with the engine's secret passes the tag check.
        String genuine = cursors.encode(TaskSort.START_AT_ASC, position);
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
            byte[] tag = Arrays.copyOf(mac.doFinal(raw.getBytes(StandardCharsets.UTF_8)), 16);
            assertThat(genuine).contains(".");
            return encode(raw) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
