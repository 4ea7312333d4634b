package dev.taskengine.domain;

/** The outcome of a call (Topo's {@code ANSWERED}, {@code VOICEMAIL_LEFT}, {@code NO_ANSWER}); Call tasks only. */
public enum Disposition implements WireEnum {
    ANSWERED(0, "answered"),
    VOICEMAIL_LEFT(1, "voicemailLeft"),
    NO_ANSWER(2, "noAnswer");

    private final int code;
    private final String wireName;

    Disposition(int code, String wireName) {
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
