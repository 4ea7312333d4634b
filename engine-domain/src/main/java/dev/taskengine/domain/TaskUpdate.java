package dev.taskengine.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A full replacement of a task's editable fields (Reply's {@code PUT /v3/tasks/{id}}). Sequence tasks keep their type
 * and contact. Fields may be null: every problem is reported at once.
 */
public record TaskUpdate(
        TaskType type,
        Optional<LinkedInTaskType> linkedInTaskType,
        Optional<ContactId> contactId,
        Priority priority,
        Instant startAt,
        Instant dueTo,
        boolean scheduled,
        Template template) {

    public TaskUpdate {
        linkedInTaskType = linkedInTaskType == null ? Optional.empty() : linkedInTaskType;
        contactId = contactId == null ? Optional.empty() : contactId;
    }

    /** An update that starts from a task's current values, to change one or two of them. */
    public static TaskUpdate from(Task task) {
        return new TaskUpdate(task.type(), task.linkedInTaskType(), task.contactId(), task.priority(), task.startAt(),
                task.dueTo(), task.scheduled(), task.template());
    }

    public TaskUpdate withType(TaskType value) {
        return new TaskUpdate(value, linkedInTaskType, contactId, priority, startAt, dueTo, scheduled, template);
    }

    public TaskUpdate withLinkedInTaskType(LinkedInTaskType value) {
        return new TaskUpdate(type, Optional.ofNullable(value), contactId, priority, startAt, dueTo, scheduled, template);
    }

    public TaskUpdate withContact(ContactId value) {
        return new TaskUpdate(type, linkedInTaskType, Optional.ofNullable(value), priority, startAt, dueTo, scheduled, template);
    }

    public TaskUpdate withPriority(Priority value) {
        return new TaskUpdate(type, linkedInTaskType, contactId, value, startAt, dueTo, scheduled, template);
    }

    public TaskUpdate withTimes(Instant newStartAt, Instant newDueTo) {
        return new TaskUpdate(type, linkedInTaskType, contactId, priority, newStartAt, newDueTo, scheduled, template);
    }

    public TaskUpdate withScheduled(boolean value) {
        return new TaskUpdate(type, linkedInTaskType, contactId, priority, startAt, dueTo, value, template);
    }

    public TaskUpdate withTemplate(Template value) {
        return new TaskUpdate(type, linkedInTaskType, contactId, priority, startAt, dueTo, scheduled, value);
    }
}
