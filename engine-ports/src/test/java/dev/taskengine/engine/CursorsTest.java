package dev.taskengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.TaskId;
import dev.taskengine.ports.Keyset;
import dev.taskengine.ports.TaskSort;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTest {
    private final Keyset position = new Keyset(Instant.parse("2026-03-02T09:30:00.123456Z"), TaskId.of(42));

    @Test
    void aCursorDecodesToThePositionItEncodes() {
        String cursor = Cursors.encode(TaskSort.DUE_TO_DESC, position);
        assertThat(Cursors.decode(TaskSort.DUE_TO_DESC, cursor).get()).isEqualTo(position);
    }

    @Test
    void aCursorIsOpaqueAndUrlSafe() {
        assertThat(Cursors.encode(TaskSort.START_AT_ASC, position)).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aCursorOfAnotherSortIsRefused() {
        String cursor = Cursors.encode(TaskSort.START_AT_ASC, position);
        assertThat(Cursors.decode(TaskSort.DUE_TO_ASC, cursor).getLeft().code()).isEqualTo("query.cursor.invalid");
    }

    @Test
    void garbageIsRefusedNotThrown() {
        for (String garbage : new String[] {"", "!!!", "not-a-cursor", encode("c1:START_AT_ASC:x:0:1"), encode("c2:START_AT_ASC:1:0:1"),
                encode("c1:START_AT_ASC:1:0"), encode("c1:START_AT_ASC:99999999999999999:0:1")}) {
            assertThat(Cursors.decode(TaskSort.START_AT_ASC, garbage).getLeft().pointer()).isEqualTo("/cursor");
        }
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
