package dev.taskengine.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bad-input corpus: cases kept as data files under {@code src/test/resources/corpus}, listed in
 * {@code corpus/index.txt}. A file holds cases separated by blank lines:
 *
 * <pre>
 * # a comment
 * case:   the body holds NUL
 * call:   create
 * on:     email                       (the stored task the call is about, for calls on a task)
 * set:    template.body = "Hi &#92;u0000"  (any number of set lines)
 * expect: task.template.body.controlCharacter /template/body   (violations that must be reported; a code
 *                                                             ending in * matches every code it begins)
 * error:  task.notFound                (or: a refusal other than invalid input)
 * defect: what the engine gets wrong   (a case the engine fails today: skipped with this reason until it is fixed;
 *                                       run it anyway with -Dreliability.defects=run)
 * </pre>
 *
 * <p>Values: {@code null}, {@code true}/{@code false}, integers, ISO instants ({@code 2014-12-31T23:59:59Z}), enum
 * constant names, strings in double quotes with Java escapes (<code>\n \t \\ \" &#92;uXXXX</code>, where a lone surrogate is
 * allowed) plus {@code \U{1F600}} for a code point, {@code repeat(value, n)}, {@code a + b} for concatenation,
 * {@code instant("+10000-01-01T00:00:00Z")} for instants a bare word cannot spell, and lists {@code [1, -2, null]} or
 * {@code range(1, 101)}.
 */
final class Corpus {
    record Case(
            String file,
            int line,
            String name,
            String call,
            String on,
            Map<String, Object> sets,
            List<String[]> expected,
            String error,
            String defect) {
        @Override
        public String toString() {
            return file + ":" + line + " " + name;
        }
    }

    /** A bare word that is not a number, a boolean or null: an enum constant, resolved by the field that takes it. */
    record Word(String name) {}

    private Corpus() {}

    static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        for (String file : read("corpus/index.txt")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList()) {
            cases.addAll(parse(file, read("corpus/" + file)));
        }
        return cases;
    }

    private static String read(String resource) {
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(resource)) {
            Objects.requireNonNull(in, "missing resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(String file, String text) {
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        Builder current = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                if (current != null) {
                    cases.add(current.build());
                    current = null;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'key: value', got " + line);
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("case")) {
                if (current != null) {
                    cases.add(current.build());
                }
                current = new Builder(file, i + 1, value);
                continue;
            }
            if (current == null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + key + "' outside a case");
            }
            try {
                switch (key) {
                    case "call" -> current.call = value;
                    case "on" -> current.on = value;
                    case "set" -> {
                        int equals = value.indexOf('=');
                        current.sets.put(
                                value.substring(0, equals).strip(),
                                new Parser(value.substring(equals + 1).strip()).whole());
                    }
                    case "expect" -> current.expected.add(value.split("\\s+"));
                    case "error" -> current.error = value;
                    case "defect" -> current.defect = value;
                    default -> throw new IllegalArgumentException("unknown key " + key);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (current != null) {
            cases.add(current.build());
        }
        return cases;
    }

    private static final class Builder {
        final String file;
        final int line;
        final String name;
        String call;
        String on;
        final Map<String, Object> sets = new LinkedHashMap<>();
        final List<String[]> expected = new ArrayList<>();
        String error;
        String defect;

        Builder(String file, int line, String name) {
            this.file = file;
            this.line = line;
            this.name = name;
        }

        Case build() {
            if (call == null || expected.isEmpty() == (error == null)) {
                throw new IllegalArgumentException(
                        file + ":" + line + ": a case needs a call and either expect lines or an error");
            }
            return new Case(file, line, name, call, on, sets, expected, error, defect);
        }
    }

    /** The value language; see the class comment. */
    static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Object whole() {
            Object value = sum();
            skipSpaces();
            if (at != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.substring(at) + "'");
            }
            return value;
        }

        private Object sum() {
            Object value = term();
            skipSpaces();
            while (at < text.length() && text.charAt(at) == '+' && !(value instanceof Long)) {
                at++;
                Object next = term();
                value = String.valueOf(value) + next;
                skipSpaces();
            }
            return value;
        }

        private Object term() {
            skipSpaces();
            char c = text.charAt(at);
            if (c == '"') {
                return string();
            }
            if (c == '[') {
                at++;
                List<Object> items = new ArrayList<>();
                skipSpaces();
                if (text.charAt(at) == ']') {
                    at++;
                    return items;
                }
                while (true) {
                    items.add(sum());
                    skipSpaces();
                    char next = text.charAt(at++);
                    if (next == ']') {
                        return items;
                    }
                    if (next != ',') {
                        throw new IllegalArgumentException("expected , or ] in a list");
                    }
                }
            }
            int start = at;
            while (at < text.length() && "(),[]+ ".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            String word = text.substring(start, at);
            if (at < text.length() && text.charAt(at) == '(') {
                at++;
                List<Object> args = new ArrayList<>();
                while (true) {
                    args.add(sum());
                    skipSpaces();
                    char next = text.charAt(at++);
                    if (next == ')') {
                        break;
                    }
                }
                return call(word, args);
            }
            return literal(word);
        }

        private static Object call(String function, List<Object> args) {
            return switch (function) {
                case "repeat" -> String.valueOf(args.get(0)).repeat(Math.toIntExact((Long) args.get(1)));
                case "instant" -> Instant.parse(String.valueOf(args.get(0)));
                case "range" -> {
                    List<Object> items = new ArrayList<>();
                    for (long i = (Long) args.get(0); i <= (Long) args.get(1); i++) {
                        items.add(i);
                    }
                    yield items;
                }
                default -> throw new IllegalArgumentException("unknown function " + function);
            };
        }

        private static Object literal(String word) {
            if (word.equals("null")) {
                return null;
            }
            if (word.equals("true") || word.equals("false")) {
                return Boolean.parseBoolean(word);
            }
            if (word.matches("-?\\d+")) {
                return Long.parseLong(word);
            }
            if (word.matches("[+-]?\\d{4,}-\\d\\d-\\d\\dT.*Z")) {
                return Instant.parse(word);
            }
            if (word.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return new Word(word);
            }
            throw new IllegalArgumentException("cannot read value " + word);
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\' -> out.append('\\');
                    case '"' -> out.append('"');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    case 'U' -> {
                        int close = text.indexOf('}', at);
                        out.appendCodePoint(Integer.parseInt(text.substring(at + 1, close), 16));
                        at = close + 1;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + e);
                }
            }
        }

        private void skipSpaces() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }
    }
}
