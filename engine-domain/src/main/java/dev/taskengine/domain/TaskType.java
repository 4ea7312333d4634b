package dev.taskengine.domain;

/** What kind of touch a task is. Codes and names are Reply's. */
public enum TaskType implements WireEnum {
    TO_DO(0),
    CALL(2),
    MEETING(4),
    LINKED_IN(5),
    MANUAL_EMAIL(7),
    SMS(8),
    WHATS_APP(9);

    private final int code;

    TaskType(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
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
