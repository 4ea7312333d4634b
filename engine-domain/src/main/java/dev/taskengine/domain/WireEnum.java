package dev.taskengine.domain;

import java.util.Locale;

/**
 * An enum that travels on the wire in two forms: Reply's integer code and its camelCase name. Both forms parse;
 * {@link WireEnums} turns an unknown value into a {@link Violation}.
 *
 * <p>By default the code is the constant's position and the name is the constant's name in camelCase
 * ({@code MANUAL_EMAIL} → {@code manualEmail}); an enum whose codes have gaps overrides {@link #code()}.
 */
public interface WireEnum {

    /** The enum constant's name; implemented by {@link Enum#name()}. */
    String name();

    /** The enum constant's position; implemented by {@link Enum#ordinal()}. */
    int ordinal();

    /** Reply's integer code. */
    default int code() {
        return ordinal();
    }

    /** Reply's camelCase JSON name. */
    default String wireName() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder camel = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
        }
        return camel.toString();
    }
}
