package dev.taskengine.domain;

/**
 * An enum that travels on the wire in two forms: Reply's integer code and its camelCase name.
 * Both forms parse; {@link WireEnums} turns an unknown value into a {@link Violation}.
 */
public interface WireEnum {
    /** Reply's integer code. */
    int code();

    /** Reply's camelCase JSON name. */
    String wireName();
}
