package dev.taskengine.domain;

/** Reply's outcome of a call task: the prospect was positive, is to be called again, or was negative. Call tasks only. */
public enum CallResolution implements WireEnum {
    POSITIVE(0, "positive"),
    TO_CALL(1, "toCall"),
    NEGATIVE(2, "negative");

    private final int code;
    private final String wireName;

    CallResolution(int code, String wireName) {
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
