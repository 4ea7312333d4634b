package dev.taskengine.ports;

import dev.taskengine.domain.TaskId;
import java.time.Instant;
import java.util.Objects;

/** A position in a sorted query: the sort key and id of the last task of the previous page. */
public record Keyset(Instant sortKey, TaskId id) {
    public Keyset {
        Objects.requireNonNull(sortKey, "sortKey");
        Objects.requireNonNull(id, "id");
    }
}
