package dev.taskengine.adapter.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * The answer bodies of the Topo dialect, written by Jackson in their components' order with snake_case names (as
 * {@link JsonBodies#topo()} reads the requests). A component that may be null is written as {@code null}, never left
 * out.
 */
final class TopoAnswers {
    private TopoAnswers() {}

    /**
     * A task: ids as {@link TopoIds} UUIDs, enums under {@link TopoNames}' names. Beyond Topo's fields,
     * {@code deferred_until} and {@code deferral_reason}: when and why the sending policy put off the task's scheduled
     * send (both null when it did not); {@code remind_at}, {@code snoozed_until} and {@code paused_until}: when the
     * assignee is reminded, until when the task is snoozed, and until when it is held for its paused contact (each null
     * when there is none).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TaskView(
            String id,
            String organizationId,
            String type,
            String priority,
            String status,
            String sequenceId,
            String assigneeUserId,
            String disposition,
            Instant reopenedAt,
            String reopenReason,
            Instant skippedAt,
            Instant completedAt,
            Instant createdAt,
            Instant updatedAt,
            Instant deferredUntil,
            String deferralReason,
            Instant remindAt,
            Instant snoozedUntil,
            Instant pausedUntil) {}

    /** A page of the task list. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TaskPage(List<TaskView> items, long totalCount, long totalPages, boolean hasMore) {}
}
