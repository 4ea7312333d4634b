package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A full replacement of a task's editable fields (Reply's {@code PUT /v3/tasks/{id}}). Sequence tasks keep their type
 * and contact. Fields may be null: every problem is reported at once.
 */
public record TaskUpdate(TaskFields fields) {
    public TaskUpdate {
        Objects.requireNonNull(fields, "fields");
    }

    /** An update that starts from a task's current values, to change one or two of them. */
    public static TaskUpdate from(Task task) {
        return new TaskUpdate(task.fields());
    }

    public TaskUpdate withType(TaskType value) {
        return new TaskUpdate(fields.withType(value));
    }

    public TaskUpdate withLinkedInTaskType(LinkedInTaskType value) {
        return new TaskUpdate(fields.withLinkedInTaskType(value));
    }

    public TaskUpdate withContact(ContactId value) {
        return new TaskUpdate(fields.withContact(value));
    }

    public TaskUpdate withPriority(Priority value) {
        return new TaskUpdate(fields.withPriority(value));
    }

    public TaskUpdate withTimes(Instant newStartAt, Instant newDueTo) {
        return new TaskUpdate(fields.withSchedule(fields.schedule().withTimes(newStartAt, newDueTo)));
    }

    public TaskUpdate withScheduled(boolean value) {
        return new TaskUpdate(fields.withSchedule(fields.schedule().withScheduled(value)));
    }

    public TaskUpdate withRemindAt(Instant value) {
        return new TaskUpdate(fields.withRemindAt(value));
    }

    public TaskUpdate withTemplate(Template value) {
        return new TaskUpdate(fields.withTemplate(value));
    }
}
