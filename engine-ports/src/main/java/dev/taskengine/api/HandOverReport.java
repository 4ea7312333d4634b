package dev.taskengine.api;

import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.UserId;
import java.util.List;
import java.util.Map;

/**
 * What a {@link HandOver} did: each task moved and to whom, in the order moved; each task that could not move (an
 * execution under way, a concurrent change) with its reason, still assigned to the user handing over; and how many
 * batches were committed.
 */
public record HandOverReport(List<Move> moved, Map<TaskId, TaskError> notMoved, int batches) {
    public HandOverReport {
        moved = List.copyOf(moved);
        notMoved = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notMoved));
    }

    /** A task moved to {@code to}; {@code version} is its version after the move. */
    public record Move(TaskId taskId, UserId to, long version) {}

    public boolean complete() {
        return notMoved.isEmpty();
    }
}
