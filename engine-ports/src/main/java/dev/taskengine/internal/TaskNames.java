package dev.taskengine.internal;

import dev.taskengine.domain.Task;
import java.util.Collection;
import java.util.stream.Collectors;

/** How log lines name tasks: each by its id and tenant, so that a line can be traced to the tasks it is about. */
final class TaskNames {
    /** How many tasks a line names at most; the others are counted. */
    static final int MAX = 20;

    private TaskNames() {}

    /** {@code task 12 (tenant acme)}. */
    static String of(Task task) {
        return "task " + task.id() + " (tenant " + task.tenant() + ")";
    }

    /** {@code tasks 12 (tenant acme), 13 (tenant acme) and 3 more}; {@code no task} when empty. */
    static String of(Collection<Task> tasks) {
        if (tasks.isEmpty()) {
            return "no task";
        }
        String named = tasks.stream()
                .limit(MAX)
                .map(task -> task.id() + " (tenant " + task.tenant() + ")")
                .collect(Collectors.joining(", "));
        return (tasks.size() == 1 ? "task " : "tasks ")
                + named
                + (tasks.size() > MAX ? " and " + (tasks.size() - MAX) + " more" : "");
    }
}
