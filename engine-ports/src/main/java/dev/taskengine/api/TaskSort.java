package dev.taskengine.api;

import dev.taskengine.domain.Task;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;

/** A stable order for queries: by one time, then by id, both in the same direction. */
public enum TaskSort {
    START_AT_ASC("start_at", true, Task::startAt),
    START_AT_DESC("start_at", false, Task::startAt),
    DUE_TO_ASC("due_to", true, Task::dueTo),
    DUE_TO_DESC("due_to", false, Task::dueTo),
    CREATED_AT_ASC("created_at", true, Task::createdAt),
    CREATED_AT_DESC("created_at", false, Task::createdAt),
    UPDATED_AT_ASC("updated_at", true, Task::updatedAt),
    UPDATED_AT_DESC("updated_at", false, Task::updatedAt);

    private final String column;
    private final boolean ascending;
    private final Function<Task, Instant> key;
    private final Comparator<Task> comparator;

    TaskSort(String column, boolean ascending, Function<Task, Instant> key) {
        this.column = column;
        this.ascending = ascending;
        this.key = key;
        Comparator<Task> natural = Comparator.comparing(key).thenComparing(Task::id);
        this.comparator = ascending ? natural : natural.reversed();
    }

    /** The column name a SQL adapter sorts by. */
    public String column() {
        return column;
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
