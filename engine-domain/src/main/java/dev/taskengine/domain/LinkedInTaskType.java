package dev.taskengine.domain;

/** The LinkedIn action of a LinkedIn task. */
public enum LinkedInTaskType implements WireEnum {
    MESSAGE(0, "message"),
    CONNECT(1, "connect"),
    IN_MAIL(2, "inMail"),
    VIEW_PROFILE(3, "viewProfile");

    private final int code;
    private final String wireName;

    LinkedInTaskType(int code, String wireName) {
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
