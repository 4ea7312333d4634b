package dev.taskengine.domain;

import java.util.Optional;

/**
 * The editable fields of a task: what a host sets when it creates a task ({@link NewTask}), replaces when it updates one
 * ({@link TaskUpdate}) and what {@link TaskRules} checks in both cases. Fields may be null in a command: every problem is
 * reported at once. A task holds them as {@link Task#fields()}.
 */
public record TaskFields(
        TaskType type,
        Optional<LinkedInTaskType> linkedInTaskType,
        Optional<ContactId> contactId,
        Priority priority,
        Schedule schedule,
        Template template) {

    public TaskFields {
        linkedInTaskType = linkedInTaskType == null ? Optional.empty() : linkedInTaskType;
        contactId = contactId == null ? Optional.empty() : contactId;
        schedule = schedule == null ? new Schedule(null, null, false) : schedule;
    }

    public TaskFields withType(TaskType value) {
        return new TaskFields(value, linkedInTaskType, contactId, priority, schedule, template);
    }

    public TaskFields withLinkedInTaskType(LinkedInTaskType value) {
        return new TaskFields(type, Optional.ofNullable(value), contactId, priority, schedule, template);
    }

    public TaskFields withContact(ContactId value) {
        return new TaskFields(type, linkedInTaskType, Optional.ofNullable(value), priority, schedule, template);
    }

    public TaskFields withPriority(Priority value) {
        return new TaskFields(type, linkedInTaskType, contactId, value, schedule, template);
    }

    public TaskFields withSchedule(Schedule value) {
        return new TaskFields(type, linkedInTaskType, contactId, priority, value, template);
    }

    public TaskFields withTemplate(Template value) {
        return new TaskFields(type, linkedInTaskType, contactId, priority, schedule, value);
    }

    /** The same fields at the precision every store keeps. */
    TaskFields micros() {
        return withSchedule(schedule.micros());
    }
}
