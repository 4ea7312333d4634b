package dev.taskengine.domain;

/**
 * What happened to a task: the type of a write's history entry and of the event that agrees with it. Every write of a
 * task records exactly one of these.
 */
public enum TaskEventType {
    CREATED,
    UPDATED,
    REASSIGNED,
    STARTED,
    /** The execution was recorded, before its message goes to the sender (or taken over after its engine died). */
    EXECUTION_STARTED,
    /** The sending policy deferred the scheduled send; the reason says why. */
    DEFERRED,
    EXECUTED,
    EXECUTION_FAILED,
    COMPLETED,
    SKIPPED,
    CANCELLED,
    DETACHED,
    REOPENED,
    ARCHIVED,
    DELETED,
    SNOOZED,
    UNSNOOZED,
    RESCHEDULED,
    /** The task's contact was paused; the task is held until the pause ends. */
    PAUSED,
    /** The task's contact was resumed before its pause ended. */
    RESUMED,
    /** A note was added; the task itself did not change. */
    NOTE_ADDED,
    /** The task's reminder time came: the reminder is emitted once, and the reminder time cleared. */
    REMINDED
}
