package dev.taskengine.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.taskengine.domain.WireEnum;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer bodies of the Reply dialect, written by Jackson in their components' order (camelCase, as named). A
 * component that may be null is written as {@code null}, never left out, except where noted.
 */
final class ReplyAnswers {
    private ReplyAnswers() {}

    /** Reply's "full task detail": the list item, then the rendered content and the contact's delivery info. */
    record TaskView(
            @JsonUnwrapped TaskItem task,
            ContentView content,
            DeliveryInfoView deliveryInfo,
            List<HistoryEntryView> notes) {}

    /**
     * A task in a filter answer: the task detail without content and delivery info (which need the contact). Beyond
     * Reply's fields, {@code deferredUntil} and {@code deferralReason}: when and why the sending policy put off the
     * task's scheduled send (both null when it did not); {@code remindAt}, {@code snoozedUntil} and {@code pausedUntil}:
     * when the assignee is reminded, until when the task is snoozed, and until when it is held for its paused contact
     * (each null when there is none).
     */
    record TaskItem(
            long id,
            Long contactId,
            WireValue taskType,
            WireValue status,
            WireValue linkedInTaskType,
            Long sequenceId,
            Long sequenceStepId,
            String sequenceStepDisplayName,
            long assignedUserId,
            WireValue creationSource,
            Instant createdAt,
            Instant startAt,
            Instant dueTo,
            Instant finishedAt,
            boolean isFailed,
            boolean isScheduled,
            TemplateView template,
            Instant deferredUntil,
            String deferralReason,
            Instant remindAt,
            Instant snoozedUntil,
            Instant pausedUntil) {}

    record TemplateView(String body, String subject, List<Long> attachmentIdList) {}

    record ContentView(String body, String subject) {}

    record DeliveryInfoView(String email, String phoneNumber, String linkedInUrl) {}

    /** A page of a filter answer. */
    record FilterPage(List<TaskItem> items, boolean hasMore) {}

    /**
     * A task a batch could not act on, keyed by its id in the answer; {@code errors} (the problem items of
     * {@link Errors#violations}) is left out when the failure has none.
     */
    record BatchFailure(
            int status,
            String code,
            String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> errors) {}

    /** Tasks without paging (the stale-rule preview). */
    record TaskList(List<TaskItem> items) {}

    /**
     * One entry of a task's history; a note is one too ({@code type} noteAdded, its text in {@code note}). {@code type}
     * is the entry type in lower camel case ({@code snoozed}, {@code noteAdded}, {@code executionStarted}).
     */
    record HistoryEntryView(
            String id,
            long taskId,
            long version,
            Instant at,
            String actor,
            String type,
            WireValue statusBefore,
            WireValue statusAfter,
            List<ChangeView> changes,
            String reason,
            String note) {}

    /** A field a write changed, its values as text (null when it had or has none). */
    record ChangeView(String field, String before, String after) {}

    /** A page of history, newest first; {@code nextCursor} is null on the last page. */
    record HistoryPageView(List<HistoryEntryView> items, String nextCursor) {}

    /** A task's notes, newest first. */
    record NoteList(List<HistoryEntryView> items) {}

    record HandOverView(List<MoveView> moved, List<NotMovedView> notMoved, int batches) {}

    record MoveView(long taskId, long to, long version) {}

    record NotMovedView(long taskId, BatchFailure error) {}

    record PauseView(Instant pausedUntil) {}

    // --- webhooks

    /**
     * A webhook subscription, without its secret: {@code eventTypes} by name ({@code task.completed}; empty for every
     * type), sorted; {@code disabledReason} ({@code byRequest}, {@code gone} or {@code failing}), {@code disabledAt} and
     * {@code disabledDetail} null while it is enabled; {@code secretCount} how many secrets sign its deliveries now (2
     * while a rotated secret overlaps), {@code previousSecretExpiresAt} until when the previous one still signs (null
     * when none does).
     */
    record WebhookView(
            String id,
            String url,
            List<String> eventTypes,
            boolean enabled,
            String disabledReason,
            Instant disabledAt,
            String disabledDetail,
            int consecutiveFailures,
            Instant failingSince,
            int secretCount,
            Instant previousSecretExpiresAt,
            Instant createdAt,
            Instant updatedAt) {}

    /** A subscription as a create or a rotation answers it: with the secret its receiver verifies with. */
    record WebhookWithSecretView(@JsonUnwrapped WebhookView subscription, String secret) {}

    record WebhookList(List<WebhookView> items) {}

    /**
     * One delivery of a subscription's log: {@code state} {@code pending}, {@code delivered} or {@code failed};
     * {@code nextAttemptAt} null once delivered or given up, {@code finishedAt} null until then; attempts oldest first.
     */
    record WebhookDeliveryView(
            String eventId,
            String eventType,
            long taskId,
            String state,
            Instant createdAt,
            Instant nextAttemptAt,
            Instant finishedAt,
            List<WebhookAttemptView> attempts) {}

    /** An attempt: {@code statusCode} 0 when no answer came, {@code error} null when it was delivered. */
    record WebhookAttemptView(Instant at, String engine, int statusCode, long latencyMs, String error) {}

    /** A page of a delivery log, newest first; {@code nextCursor} is null on the last page. */
    record WebhookDeliveryPageView(List<WebhookDeliveryView> items, String nextCursor) {}

    /** An enum written in the configured {@link HttpSettings.EnumStyle}: its integer code or its camelCase name. */
    record WireValue(WireEnum value, HttpSettings.EnumStyle style) {
        @JsonValue
        Object json() {
            return style == HttpSettings.EnumStyle.CODES ? (Object) value.code() : value.wireName();
        }
    }
}
