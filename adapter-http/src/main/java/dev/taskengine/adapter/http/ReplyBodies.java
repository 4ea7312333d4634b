package dev.taskengine.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The request bodies of the Reply dialect, read by {@link JsonBodies} (camelCase, unknown fields refused). Every field is
 * optional at this level and null when absent, null or unusable; the routes and the engine say what is required.
 */
final class ReplyBodies {
    private ReplyBodies() {}

    record TemplateBody(String body, String subject, List<Long> attachmentIdList) {}

    record Create(
            TaskType taskType,
            Instant startAt,
            Instant dueTo,
            TemplateBody template,
            Long contactId,
            LinkedInTaskType linkedInTaskType,
            Long assignedUserId,
            Priority priority,
            Boolean isScheduled,
            Long sequenceId,
            Long sequenceStepId,
            String sequenceStepDisplayName,
            CreationSource creationSource,
            Instant remindAt) {}

    record Update(
            TaskType taskType,
            Instant startAt,
            Instant dueTo,
            TemplateBody template,
            Long contactId,
            LinkedInTaskType linkedInTaskType,
            Priority priority,
            Boolean isScheduled,
            Instant remindAt) {}

    record Reassign(Long userId) {}

    record ContentBody(String body, String subject) {}

    record Execute(ContentBody content, Long emailAccountId) {}

    record Complete(CallResolution callResolution, Boolean finishProspectInSequence, Disposition disposition) {}

    record Filter(
            Instant from,
            Instant to,
            Set<TaskType> taskType,
            Set<TaskStatus> status,
            List<Long> sequenceIds,
            List<Long> sequenceStepIds,
            Long contactId,
            Long assignedUserId,
            Boolean overdue,
            Boolean deferred,
            Boolean hidden) {}

    record BatchComplete(
            List<Long> ids, CallResolution callResolution, Boolean finishProspectInSequence, Disposition disposition) {}

    record BatchAssign(List<Long> ids, Long userId) {}

    record BulkDelete(List<Long> ids) {}

    // --- the rep's working day

    record Snooze(Instant until) {}

    /** The tasks a bulk call changes: {@code ids}, or the first {@code top} tasks of {@code filter}. */
    record BulkSnooze(List<Long> ids, Filter filter, Long top, Instant until) {}

    record BulkUnsnooze(List<Long> ids, Filter filter, Long top) {}

    /** One of {@code shiftBy} (an ISO-8601 duration, read by the route), {@code startAt} or {@code dueTo}. */
    record Reschedule(List<Long> ids, Filter filter, Long top, String shiftBy, Instant startAt, Instant dueTo) {}

    record Note(String text) {}

    record HandOver(List<Long> to, Long batchSize) {}

    record Pause(Instant until) {}

    // --- webhooks

    /**
     * A subscription to create; {@code eventTypes} is read by the route (an array of event type names), so that each
     * item that is not a string is named by its index.
     */
    record NewWebhook(String url, JsonNode eventTypes, String secret, Boolean enabled) {}

    /** What a change gives; an absent (or null) field is unchanged. */
    record WebhookChange(String url, JsonNode eventTypes, Boolean enabled) {}

    record RotateSecret(String secret) {}
}
