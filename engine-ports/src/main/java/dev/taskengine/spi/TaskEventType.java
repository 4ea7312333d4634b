package dev.taskengine.spi;

/** What happened to a task. */
public enum TaskEventType {
    CREATED,
    UPDATED,
    REASSIGNED,
    STARTED,
    EXECUTED,
    EXECUTION_FAILED,
    COMPLETED,
    SKIPPED,
    CANCELLED,
    DETACHED,
    REOPENED,
    ARCHIVED,
    DELETED
}
