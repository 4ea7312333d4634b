package dev.taskengine.store;

import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import java.time.Instant;
import java.util.Objects;

/** A position in a sorted query: the sort key and id of the last task of the previous page. */
public record Keyset(Instant sortKey, TaskId id) {
    public Keyset {
        Objects.requireNonNull(sortKey, "sortKey");
        Objects.requireNonNull(id, "id");
    }

    /** The position of {@code task} in {@code sort}. */
    public static Keyset of(Task task, TaskSort sort) {
        return new Keyset(sort.keyOf(task), task.id());
    }

    /** Whether {@code task} comes strictly after this position in {@code sort}. */
    public boolean precedes(Task task, TaskSort sort) {
        int byKey = sort.keyOf(task).compareTo(sortKey);
        int byId = byKey != 0 ? byKey : task.id().compareTo(id);
        return sort.ascending() ? byId > 0 : byId < 0;
    }
}
