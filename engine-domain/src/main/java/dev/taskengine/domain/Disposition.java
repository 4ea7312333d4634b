package dev.taskengine.domain;

/** The outcome of a call (Topo's {@code ANSWERED}, {@code VOICEMAIL_LEFT}, {@code NO_ANSWER}); Call tasks only. Codes are the positions below. */
public enum Disposition implements WireEnum {
    ANSWERED, VOICEMAIL_LEFT, NO_ANSWER;

    public String topoName() {
        return name();
    }
}
