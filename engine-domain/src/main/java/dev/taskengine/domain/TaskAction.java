package dev.taskengine.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything that can happen to a stored task, with the states it may happen in. This is the lifecycle table of the
 * README; {@link #allowedFrom()} is the single place it lives in code.
 */
public enum TaskAction {
    START(EnumSet.of(TaskStatus.NEW)),
    UPDATE(active()),
    REASSIGN(active()),
    EXECUTE(active()),
    COMPLETE(active()),
    SKIP(active()),
    CANCEL(active()),
    DETACH(active()),
    REOPEN(EnumSet.of(TaskStatus.FINISHED, TaskStatus.SKIPPED)),
    ARCHIVE(EnumSet.of(TaskStatus.FINISHED, TaskStatus.SKIPPED, TaskStatus.CANCELLED, TaskStatus.SEQUENCE_DETACHED)),
    DELETE(EnumSet.allOf(TaskStatus.class)),
    /** Hide until a time: not in "my tasks now", not executed before then. */
    SNOOZE(active()),
    UNSNOOZE(active()),
    /** Move start and due times (one of many in a bulk reschedule). */
    RESCHEDULE(active()),
    /** Hold the task while its contact is paused. */
    PAUSE(active()),
    /** End the hold of a paused contact early. */
    RESUME(active()),
    /** The reminder time came: remind once. */
    REMIND(active()),
    /** The stale-task rule skips (or archives) a task overdue by more than it allows. */
    CLOSE_STALE(active()),
    /** Notes are kept on a task in every state: they change nothing of it. */
    ADD_NOTE(EnumSet.allOf(TaskStatus.class));

    private final Set<TaskStatus> allowedFrom;

    TaskAction(Set<TaskStatus> allowedFrom) {
        this.allowedFrom = Set.copyOf(allowedFrom);
    }

    public Set<TaskStatus> allowedFrom() {
        return allowedFrom;
    }

    public boolean allowedFrom(TaskStatus status) {
        return allowedFrom.contains(status);
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static EnumSet<TaskStatus> active() {
        return EnumSet.of(TaskStatus.NEW, TaskStatus.IN_PROGRESS);
    }
}
