package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.FieldChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The changed fields of a history entry as one text column, and back, exactly. Each change is three values in a row
 * (field, before, after); a value is its length in UTF-16 units, a colon and the text itself ({@code 8:priority}), an
 * absent value a single dash. No separator is ever looked for inside a text, so any text survives: newlines, tabs,
 * colons, dashes, digits, emoji. No change is the empty string.
 */
final class HistoryChanges {
    private static final char ABSENT = '-';
    private static final char LENGTH_END = ':';

    private HistoryChanges() {}

    static String encode(List<FieldChange> changes) {
        StringBuilder text = new StringBuilder();
        for (FieldChange change : changes) {
            value(text, change.field());
            value(text, change.before().orElse(null));
            value(text, change.after().orElse(null));
        }
        return text.toString();
    }

    private static void value(StringBuilder text, String value) {
        if (value == null) {
            text.append(ABSENT);
        } else {
            text.append(value.length()).append(LENGTH_END).append(value);
        }
    }

    /**
     * The changes {@code text} holds.
     *
     * @throws IllegalArgumentException when {@code text} is not what {@link #encode} writes
     */
    static List<FieldChange> decode(String text) {
        List<FieldChange> changes = new ArrayList<>();
        Reader reader = new Reader(text);
        while (!reader.atEnd()) {
            String field = reader.value().orElseThrow(() -> reader.corrupt("a change names its field"));
            Optional<String> before = reader.value();
            Optional<String> after = reader.value();
            changes.add(new FieldChange(field, before, after));
        }
        return List.copyOf(changes);
    }

    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at == text.length();
        }

        Optional<String> value() {
            if (atEnd()) {
                throw corrupt("a value is missing");
            }
            if (text.charAt(at) == ABSENT) {
                at++;
                return Optional.empty();
            }
            int colon = at;
            while (colon < text.length() && isAsciiDigit(text.charAt(colon)) && colon - at < 10) {
                colon++;
            }
            if (colon == at || colon == text.length() || text.charAt(colon) != LENGTH_END) {
                throw corrupt("a value starts with its length and a colon");
            }
            long length = Long.parseLong(text.substring(at, colon));
            long end = colon + 1 + length;
            if (end > text.length()) {
                throw corrupt("a value is longer than the text left");
            }
            String value = text.substring(colon + 1, (int) end);
            at = (int) end;
            return Optional.of(value);
        }

        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }

        IllegalArgumentException corrupt(String why) {
            return new IllegalArgumentException("not a history's changes at position " + at + ": " + why);
        }
    }
}
