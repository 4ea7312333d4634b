package dev.taskengine.domain;

/** How a task came to be. Sequence tasks carry their sequence and step; the others carry none. */
public enum CreationSource implements WireEnum {
    USER(0, "user"),
    SEQUENCE(1, "sequence"),
    MEETING(2, "meeting");

    private final int code;
    private final String wireName;

    CreationSource(int code, String wireName) {
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
}
