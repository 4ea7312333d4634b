package dev.taskengine.domain;

import java.util.Optional;

/**
 * What kind of touch a task is. Codes and names are Reply's.
 *
 * <p>Topo's types map onto ours: {@code EMAIL_REPLY} → {@link #MANUAL_EMAIL}, {@code LINKEDIN_REPLY} → {@link #LINKED_IN},
 * {@code NEW_LEAD_REVIEW} → {@link #TO_DO}, {@code CALL} → {@link #CALL}. {@link #MEETING}, {@link #SMS} and
 * {@link #WHATS_APP} have no Topo type.
 */
public enum TaskType implements WireEnum {
    TO_DO(0, "NEW_LEAD_REVIEW"),
    CALL(2, "CALL"),
    MEETING(4, null),
    LINKED_IN(5, "LINKEDIN_REPLY"),
    MANUAL_EMAIL(7, "EMAIL_REPLY"),
    SMS(8, null),
    WHATS_APP(9, null);

    private final int code;
    private final String topoName;

    TaskType(int code, String topoName) {
        this.code = code;
        this.topoName = topoName;
    }

    @Override
    public int code() {
        return code;
    }

    /** Topo's name for this type, if Topo has one. */
    public Optional<String> topoName() {
        return Optional.ofNullable(topoName);
    }

    /** Our type for one of Topo's type names. */
    public static Optional<TaskType> fromTopo(String topoName) {
        for (TaskType type : values()) {
            if (type.topoName != null && type.topoName.equals(topoName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Only email and SMS tasks are sent by the engine; every other type is done by a person and completed. */
    public boolean executable() {
        return this == MANUAL_EMAIL || this == SMS;
    }

    /** Whether a rendered body is HTML (escaped) rather than plain text. */
    public boolean htmlBody() {
        return this == MANUAL_EMAIL;
    }
}
