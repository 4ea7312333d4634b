package dev.taskengine.api;

import dev.taskengine.domain.Task;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;

/** A stable order for queries: by one time, then by id, both in the same direction. */
public enum TaskSort {
    START_AT_ASC(true, t -> t.schedule().startAt()),
    START_AT_DESC(false, t -> t.schedule().startAt()),
    DUE_TO_ASC(true, t -> t.schedule().dueTo()),
    DUE_TO_DESC(false, t -> t.schedule().dueTo()),
    CREATED_AT_ASC(true, t -> t.times().createdAt()),
    CREATED_AT_DESC(false, t -> t.times().createdAt()),
    UPDATED_AT_ASC(true, t -> t.times().updatedAt()),
    UPDATED_AT_DESC(false, t -> t.times().updatedAt());

    private final boolean ascending;
    private final Function<Task, Instant> key;
    private final Comparator<Task> comparator;

    TaskSort(boolean ascending, Function<Task, Instant> key) {
        this.ascending = ascending;
        this.key = key;
        Comparator<Task> natural = Comparator.comparing(key).thenComparing(Task::id);
        this.comparator = ascending ? natural : natural.reversed();
    }

    public boolean ascending() {
        return ascending;
    }

    /** The time this order sorts by. */
    public Instant keyOf(Task task) {
        return key.apply(task);
    }

    public Comparator<Task> comparator() {
        return comparator;
    }
}
