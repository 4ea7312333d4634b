package dev.taskengine.domain;

import io.vavr.control.Either;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses {@link WireEnum} values from their integer code or camelCase name, with a typed error otherwise. */
public final class WireEnums {
    private WireEnums() {}

    /**
     * Parses {@code raw} as either the integer code or the camelCase name (case-sensitive) of a constant of {@code type}.
     *
     * @param pointer JSON pointer of the field, used in the violation
     */
    public static <E extends Enum<E> & WireEnum> Either<Violation, E> parse(Class<E> type, String pointer, String raw) {
        if (raw == null || raw.isBlank()) {
            return Either.left(unknown(type, pointer, raw));
        }
        String value = raw.strip();
        for (E constant : type.getEnumConstants()) {
            if (constant.wireName().equals(value)
                    || Integer.toString(constant.code()).equals(value)) {
                return Either.right(constant);
            }
        }
        return Either.left(unknown(type, pointer, raw));
    }

    /** Parses an integer code. */
    public static <E extends Enum<E> & WireEnum> Either<Violation, E> fromCode(
            Class<E> type, String pointer, int code) {
        for (E constant : type.getEnumConstants()) {
            if (constant.code() == code) {
                return Either.right(constant);
            }
        }
        return Either.left(unknown(type, pointer, Integer.toString(code)));
    }

    /** The accepted forms, for messages and documentation: {@code 0 (toDo), 2 (call), ...}. */
    public static <E extends Enum<E> & WireEnum> String accepted(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.code() + " (" + c.wireName() + ")")
                .collect(Collectors.joining(", "));
    }

    private static <E extends Enum<E> & WireEnum> Violation unknown(Class<E> type, String pointer, String raw) {
        String field = fieldOf(pointer);
        return Violation.of(
                "task." + field + ".unknown",
                pointer,
                "unknown " + field + " '" + printable(raw) + "'; accepted: " + accepted(type));
    }

    /** The field a pointer names: its last segment that is not an array index ({@code /types/1} → {@code types}). */
    private static String fieldOf(String pointer) {
        String[] segments = pointer.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            if (!segments[i].isEmpty() && !segments[i].chars().allMatch(Character::isDigit)) {
                return segments[i];
            }
        }
        return "value";
    }

    private static String printable(String raw) {
        if (raw == null) {
            return "null";
        }
        String shortened = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return shortened
                .codePoints()
                .mapToObj(cp -> Character.isISOControl(cp) ? String.format("\\u%04x", cp) : Character.toString(cp))
                .collect(Collectors.joining());
    }
}
