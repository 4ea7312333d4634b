package dev.taskengine.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * The editable fields of a task: what a host sets when it creates a task ({@link NewTask}), replaces when it updates one
 * ({@link TaskUpdate}) and what {@link TaskRules} checks in both cases. Fields may be null in a command: every problem is
 * reported at once. A task holds them as {@link Task#fields()}.
 *
 * @param remindAt when the engine reminds the assignee of the task, once: a {@link TaskEventType#REMINDED} event (and
 *                 the field is cleared); a task closed before then is not reminded
 */
public record TaskFields(
        TaskType type,
        Optional<LinkedInTaskType> linkedInTaskType,
        Optional<ContactId> contactId,
        Priority priority,
        Schedule schedule,
        Template template,
        Optional<Instant> remindAt) {

    public TaskFields {
        linkedInTaskType = linkedInTaskType == null ? Optional.empty() : linkedInTaskType;
        contactId = contactId == null ? Optional.empty() : contactId;
        schedule = schedule == null ? new Schedule(null, null, false) : schedule;
        remindAt = remindAt == null ? Optional.empty() : remindAt;
    }

    public TaskFields withType(TaskType value) {
        return new TaskFields(value, linkedInTaskType, contactId, priority, schedule, template, remindAt);
    }

    public TaskFields withLinkedInTaskType(LinkedInTaskType value) {
        return new TaskFields(type, Optional.ofNullable(value), contactId, priority, schedule, template, remindAt);
    }

    public TaskFields withContact(ContactId value) {
        return new TaskFields(
                type, linkedInTaskType, Optional.ofNullable(value), priority, schedule, template, remindAt);
    }

    public TaskFields withPriority(Priority value) {
        return new TaskFields(type, linkedInTaskType, contactId, value, schedule, template, remindAt);
    }

    public TaskFields withSchedule(Schedule value) {
        return new TaskFields(type, linkedInTaskType, contactId, priority, value, template, remindAt);
    }

    public TaskFields withTemplate(Template value) {
        return new TaskFields(type, linkedInTaskType, contactId, priority, schedule, value, remindAt);
    }

    public TaskFields withRemindAt(Instant value) {
        return new TaskFields(
                type, linkedInTaskType, contactId, priority, schedule, template, Optional.ofNullable(value));
    }

    /** The same fields at the precision every store keeps. */
    TaskFields micros() {
        return new TaskFields(
                type,
                linkedInTaskType,
                contactId,
                priority,
                schedule.micros(),
                template,
                remindAt.map(TaskRules::micros));
    }
}
