package dev.taskengine.domain;

import java.util.Optional;

/**
 * Where a task is in its lifecycle. Codes 0 to 5 are Reply's; {@link #IN_PROGRESS} and {@link #SKIPPED} come from Topo
 * and take codes 6 and 7, which Reply does not use.
 *
 * <p>Topo's statuses map onto ours: {@code PENDING} ↔ {@link #NEW}, {@code IN_PROGRESS} ↔ {@link #IN_PROGRESS},
 * {@code COMPLETED} ↔ {@link #FINISHED}, {@code SKIPPED} ↔ {@link #SKIPPED}. Cancelled, archived and detached tasks
 * have no Topo status.
 */
public enum TaskStatus implements WireEnum {
    NEW(0, "PENDING"),
    FINISHED(1, "COMPLETED"),
    CANCELLED(3, null),
    ARCHIVED(4, null),
    SEQUENCE_DETACHED(5, null),
    IN_PROGRESS(6, "IN_PROGRESS"),
    SKIPPED(7, "SKIPPED");

    private final int code;
    private final String topoName;

    TaskStatus(int code, String topoName) {
        this.code = code;
        this.topoName = topoName;
    }

    @Override
    public int code() {
        return code;
    }

    public Optional<String> topoName() {
        return Optional.ofNullable(topoName);
    }

    public static Optional<TaskStatus> fromTopo(String topoName) {
        for (TaskStatus status : values()) {
            if (status.topoName != null && status.topoName.equals(topoName)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
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
