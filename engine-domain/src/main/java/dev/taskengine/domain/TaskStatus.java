package dev.taskengine.domain;

/**
 * Where a task is in its lifecycle. Codes 0 to 5 are Reply's; {@link #IN_PROGRESS} and {@link #SKIPPED} are ours and take
 * codes 6 and 7, which Reply does not use.
 */
public enum TaskStatus implements WireEnum {
    NEW(0),
    FINISHED(1),
    CANCELLED(3),
    ARCHIVED(4),
    SEQUENCE_DETACHED(5),
    IN_PROGRESS(6),
    SKIPPED(7);

    private final int code;

    TaskStatus(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    /** New and in-progress tasks are active: they can be changed, done, skipped or cancelled. */
    public boolean active() {
        return this == NEW || this == IN_PROGRESS;
    }

    /** Finished, skipped, cancelled and detached tasks are closed: they can only be reopened (some) or archived. */
    public boolean closed() {
        return this == FINISHED || this == SKIPPED || this == CANCELLED || this == SEQUENCE_DETACHED;
    }
}
