package dev.taskengine.reliability;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Says where two values differ, field by field, so that a failure report names the field rather than dumping both. */
final class Diff {
    private Diff() {}

    static String describe(Object expected, Object actual) {
        List<String> lines = new ArrayList<>();
        walk("answer", expected, actual, lines);
        if (lines.isEmpty()) {
            return "(no difference found)";
        }
        return String.join("\n", lines.subList(0, Math.min(lines.size(), 20)));
    }

    private static void walk(String path, Object expected, Object actual, List<String> lines) {
        if (Objects.equals(expected, actual)) {
            return;
        }
        if (expected != null
                && actual != null
                && expected.getClass() == actual.getClass()
                && expected.getClass().isRecord()) {
            for (RecordComponent component : expected.getClass().getRecordComponents()) {
                try {
                    walk(
                            path + "." + component.getName(),
                            component.getAccessor().invoke(expected),
                            component.getAccessor().invoke(actual),
                            lines);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                walk(path + "[" + i + "]", e.get(i), a.get(i), lines);
            }
            return;
        }
        if (expected instanceof Optional<?> e && actual instanceof Optional<?> a && e.isPresent() && a.isPresent()) {
            walk(path, e.get(), a.get(), lines);
            return;
        }
        if (expected instanceof Map<?, ?> e
                && actual instanceof Map<?, ?> a
                && e.keySet().equals(a.keySet())) {
            for (Object key : e.keySet()) {
                walk(path + "[" + key + "]", e.get(key), a.get(key), lines);
            }
            return;
        }
        lines.add("  " + path + ": model says " + shorten(expected) + ", adapter has " + shorten(actual));
    }

    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
