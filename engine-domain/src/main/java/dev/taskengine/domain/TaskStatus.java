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
    NEW(0, "new", "PENDING"),
    FINISHED(1, "finished", "COMPLETED"),
    CANCELLED(3, "cancelled", null),
    ARCHIVED(4, "archived", null),
    SEQUENCE_DETACHED(5, "sequenceDetached", null),
    IN_PROGRESS(6, "inProgress", "IN_PROGRESS"),
    SKIPPED(7, "skipped", "SKIPPED");

    private final int code;
    private final String wireName;
    private final String topoName;

    TaskStatus(int code, String wireName, String topoName) {
        this.code = code;
        this.wireName = wireName;
        this.topoName = topoName;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String wireName() {
        return wireName;
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
