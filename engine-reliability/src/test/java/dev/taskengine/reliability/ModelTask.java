package dev.taskengine.reliability;

import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.TraceContext;
import dev.taskengine.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** The reference model's record of one task: plain mutable fields, copied before a change and kept if it succeeds. */
final class ModelTask {
    TaskId id;
    TenantId tenant;
    long version;
    TaskType type;
    Optional<LinkedInTaskType> linkedIn = Optional.empty();
    TaskStatus status;
    Priority priority;
    Optional<ContactId> contact = Optional.empty();
    UserId assignee;
    Optional<SequenceRef> sequence = Optional.empty();
    Instant createdAt;
    Instant updatedAt;
    Instant startAt;
    Instant dueTo;
    Optional<Instant> finishedAt = Optional.empty();
    Optional<Instant> skippedAt = Optional.empty();
    Optional<Instant> reopenedAt = Optional.empty();
    Optional<ReopenReason> reopenReason = Optional.empty();
    Optional<Disposition> disposition = Optional.empty();
    Optional<CallResolution> callResolution = Optional.empty();
    boolean failed;
    Optional<String> failureReason = Optional.empty();
    int failedAttempts;
    Optional<Instant> retryAt = Optional.empty();
    Optional<String> retryKey = Optional.empty();
    boolean scheduled;
    Template template;
    Optional<Instant> snoozedUntil = Optional.empty();
    Optional<Instant> pausedUntil = Optional.empty();
    /** The engines of the model report no trace (their observer is none): every task keeps none. */
    TraceContext trace = TraceContext.NONE;

    ModelTask copy() {
        ModelTask c = new ModelTask();
        c.id = id;
        c.tenant = tenant;
        c.version = version;
        c.type = type;
        c.linkedIn = linkedIn;
        c.status = status;
        c.priority = priority;
        c.contact = contact;
        c.assignee = assignee;
        c.sequence = sequence;
        c.createdAt = createdAt;
        c.updatedAt = updatedAt;
        c.startAt = startAt;
        c.dueTo = dueTo;
        c.finishedAt = finishedAt;
        c.skippedAt = skippedAt;
        c.reopenedAt = reopenedAt;
        c.reopenReason = reopenReason;
        c.disposition = disposition;
        c.callResolution = callResolution;
        c.failed = failed;
        c.failureReason = failureReason;
        c.failedAttempts = failedAttempts;
        c.retryAt = retryAt;
        c.retryKey = retryKey;
        c.scheduled = scheduled;
        c.template = template;
        c.snoozedUntil = snoozedUntil;
        c.pausedUntil = pausedUntil;
        c.trace = trace;
        return c;
    }

    boolean active() {
        return status == TaskStatus.NEW || status == TaskStatus.IN_PROGRESS;
    }

    /** Snoozed, or held for its paused contact, until after {@code now}. */
    boolean hiddenAt(Instant now) {
        return snoozedUntil.filter(until -> until.isAfter(now)).isPresent()
                || pausedUntil.filter(until -> until.isAfter(now)).isPresent();
    }

    boolean executable() {
        return type == TaskType.MANUAL_EMAIL || type == TaskType.SMS;
    }

    /** The task the engine must hold for this record. */
    Task toTask() {
        return Task.stored()
                .id(id)
                .tenant(tenant)
                .version(version)
                .status(status)
                .type(type)
                .linkedInTaskType(linkedIn.orElse(null))
                .contactId(contact.orElse(null))
                .priority(priority)
                .startAt(startAt)
                .dueTo(dueTo)
                .scheduled(scheduled)
                .template(template)
                .assignedUserId(assignee)
                .creationSource(sequence.isPresent() ? CreationSource.SEQUENCE : CreationSource.USER)
                .sequence(sequence.orElse(null))
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .finishedAt(finishedAt.orElse(null))
                .skippedAt(skippedAt.orElse(null))
                .reopenedAt(reopenedAt.orElse(null))
                .reopenReason(reopenReason.orElse(null))
                .disposition(disposition.orElse(null))
                .callResolution(callResolution.orElse(null))
                .failed(failed)
                .failureReason(failureReason.orElse(null))
                .failedAttempts(failedAttempts)
                .retryAt(retryAt.orElse(null))
                .retryKey(retryKey.orElse(null))
                .snoozedUntil(snoozedUntil.orElse(null))
                .pausedUntil(pausedUntil.orElse(null))
                .trace(trace)
                .build();
    }
}
