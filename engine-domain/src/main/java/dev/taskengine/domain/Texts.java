package dev.taskengine.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Rules for free text: bounded length, no control characters other than tab and line breaks (a NUL cannot be stored
 * by PostgreSQL), and well-formed UTF-16 (an unpaired surrogate cannot be encoded as UTF-8).
 */
public final class Texts {
    private Texts() {}

    public static List<Violation> check(String pointer, String value, int maxChars) {
        if (value.length() <= maxChars && plain(value)) {
            return new ArrayList<>();
        }
        List<Violation> violations = new ArrayList<>();
        String field = "task" + pointer.replace('/', '.');
        if (value.length() > maxChars) {
            violations.add(Violation.of(
                    field + ".tooLong",
                    pointer,
                    "is " + value.length() + " characters long; at most " + maxChars + " allowed"));
            return violations;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                violations.add(Violation.of(
                        field + ".controlCharacter",
                        pointer,
                        String.format("holds control character U+%04X at index %d", (int) c, i)));
                break;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                violations.add(Violation.of(
                        field + ".malformedText",
                        pointer,
                        String.format("holds an unpaired surrogate U+%04X at index %d", (int) c, i)));
                break;
            }
        }
        return violations;
    }

    /** No control character other than tab and line breaks, no surrogate at all: the common text, checked in one pass. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c >= 0x7f && (c <= 0x9f || Character.isSurrogate(c))) {
                return false;
            }
        }
        return true;
    }
}
