package dev.taskengine.domain;

/** Why a closed task was reopened. {@link #REMINDER_RULE} is Topo's; {@link #MANUAL} is a person's decision. */
public enum ReopenReason implements WireEnum {
    REMINDER_RULE(0, "reminderRule"),
    MANUAL(1, "manual");

    private final int code;
    private final String wireName;

    ReopenReason(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public String topoName() {
        return name();
    }
}
