package dev.taskengine.api;

import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a batch call (Reply's batch complete, batch assign and bulk delete): not atomic, each id on its own.
 * {@code failures} holds only the ids that failed, each with its reason, in request order.
 */
public record BatchResult(List<TaskId> succeeded, Map<TaskId, TaskError> failures) {
    public BatchResult {
        succeeded = List.copyOf(succeeded);
        failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
    }

    public boolean allSucceeded() {
        return failures.isEmpty();
    }
}
