package dev.taskengine.domain;

/** The outcome of a call; Call tasks only. Codes are the positions below. */
public enum Disposition implements WireEnum {
    ANSWERED,
    VOICEMAIL_LEFT,
    NO_ANSWER
}
