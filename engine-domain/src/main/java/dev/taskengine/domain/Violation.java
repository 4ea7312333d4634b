package dev.taskengine.domain;

import java.util.Objects;

/**
 * One problem with an input.
 *
 * @param code    stable, machine-readable code such as {@code task.dueTo.notAfterStartAt}
 * @param pointer JSON pointer (RFC 6901) of the offending field, such as {@code /template/body}; empty for the whole input
 * @param message human-readable explanation
 */
public record Violation(String code, String pointer, String message) {
    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    public static Violation of(String code, String pointer, String message) {
        return new Violation(code, pointer, message);
    }

    @Override
    public String toString() {
        return code + " at " + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
