package dev.taskengine.api;

import dev.taskengine.domain.Task;
import java.util.List;

/** The outcome of a reassign: the task that was asked about, and every task that changed (one, or the sequence's). */
public record Reassignment(Task task, List<Task> reassigned) {
    public Reassignment {
        reassigned = List.copyOf(reassigned);
    }
}
