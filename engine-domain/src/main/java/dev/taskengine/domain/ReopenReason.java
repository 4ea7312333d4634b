package dev.taskengine.domain;

/** Why a closed task was reopened. {@link #REMINDER_RULE} is Topo's; {@link #MANUAL} is a person's decision. Codes are the positions below. */
public enum ReopenReason implements WireEnum {
    REMINDER_RULE, MANUAL;

    public String topoName() {
        return name();
    }
}
