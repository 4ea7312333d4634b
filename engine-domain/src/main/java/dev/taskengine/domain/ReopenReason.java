package dev.taskengine.domain;

/** Why a closed task was reopened: a reminder rule, or a person's decision ({@link #MANUAL}). Codes are the positions below. */
public enum ReopenReason implements WireEnum {
    REMINDER_RULE,
    MANUAL
}
