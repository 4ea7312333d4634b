package dev.taskengine.adapter.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.domain.Violation;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The problems of one request: reads its body into a record ({@link JsonBodies}), collecting a {@link Violation} (with
 * the JSON pointer of the field) for every unknown field, wrong type, unparsable date-time or unknown enum value, so that
 * a request is answered with all of its problems at once. Malformed JSON is refused at once.
 */
final class JsonInput {
    private final List<Violation> violations = new ArrayList<>();

    /** How deep objects and arrays may nest in a request body; a task's body needs three levels. */
    static final int MAX_DEPTH = 32;

    /**
     * Checks that {@code body} is one JSON object, nesting at most {@value #MAX_DEPTH} levels, without a repeated field;
     * answers whether it is empty ({@code {}} or blank). A blank body counts as {@code {}} when {@code emptyAllowed}.
     * Every refusal is in the adapter's words, with the line and column where the body goes wrong: no parser message
     * or class name reaches a client.
     */
    static boolean checkObject(ObjectMapper mapper, byte[] body, boolean emptyAllowed) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (emptyAllowed) {
                return true;
            }
            throw Refusal.invalid("request.body.required", "", "a JSON object is required as the request body");
        }
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // found below, in our words
            JsonToken token = p.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw Refusal.invalid(
                        "request.body.notAnObject", "", "the body must be a JSON object, not " + describe(token));
            }
            boolean empty = p.nextToken() == JsonToken.END_OBJECT;
            Deque<Set<String>> open = new ArrayDeque<>();
            open.push(new HashSet<>());
            if (empty) {
                open.pop();
            }
            while (!open.isEmpty()) {
                token = p.currentToken();
                if (token == null) {
                    throw malformed(p.currentLocation(), "the body ends before its JSON does");
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    if (open.size() >= MAX_DEPTH) {
                        throw malformed(
                                p.currentTokenLocation(),
                                "objects and arrays nest deeper than " + MAX_DEPTH + " levels");
                    }
                    open.push(token == JsonToken.START_OBJECT ? new HashSet<>() : ARRAY);
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                } else if (token == JsonToken.FIELD_NAME && !open.peek().add(p.currentName())) {
                    throw malformed(
                            p.currentTokenLocation(), "the field '" + abbreviate(p.currentName()) + "' is given twice");
                }
                if (!open.isEmpty()) {
                    p.nextToken();
                }
            }
            if (p.nextToken() != null) {
                throw malformed(p.currentTokenLocation(), "more follows the JSON object; the body is one object");
            }
            return empty;
        } catch (StreamConstraintsException e) {
            throw malformed(e.getLocation(), "a " + limited(e) + " is longer than this API reads");
        } catch (JsonEOFException e) {
            throw malformed(
                    e.getLocation(), "the body ends before its JSON does (an object, array or string is not closed)");
        } catch (JsonParseException e) {
            throw malformed(
                    e.getLocation(),
                    "this is not JSON (an unexpected character, a missing comma or quote, or text"
                            + " that is not UTF-8)");
        } catch (IOException e) {
            throw Refusal.invalid("request.body.malformed", "", "the body could not be read");
        }
    }

    /** Stands for an open array, where no field names are kept. */
    private static final Set<String> ARRAY = Set.of();

    private static Refusal malformed(JsonLocation at, String problem) {
        String where = at == null || at.getLineNr() < 1
                ? ""
                : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return Refusal.invalid("request.body.malformed", "", "the body is not valid JSON: " + where + problem);
    }

    /** What a parser limit was about, from the limit's own report (which is not shown). */
    private static String limited(StreamConstraintsException e) {
        String report = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (report.contains("number")) {
            return "number";
        }
        if (report.contains("name")) {
            return "field name";
        }
        return report.contains("string") ? "string" : "value";
    }

    /**
     * Reads {@code body} as one JSON object into a {@code type} (a record) with {@code mapper} (see {@link JsonBodies}),
     * adding a violation for every problem; an empty body counts as {@code {}} when {@code emptyAllowed}.
     */
    <T> T read(ObjectMapper mapper, byte[] body, boolean emptyAllowed, Class<T> type) {
        boolean empty = checkObject(mapper, body, emptyAllowed);
        byte[] json = empty ? new byte[] {'{', '}'} : body;
        return JsonBodies.read(mapper, json, type, violations);
    }

    /** Whether a violation points at {@code pointer} (a field given with a wrong type, say, rather than absent). */
    boolean hasProblemAt(String pointer) {
        return violations.stream().anyMatch(v -> v.pointer().equals(pointer));
    }

    void add(Violation violation) {
        violations.add(violation);
    }

    void add(String code, String pointer, String message) {
        violations.add(Violation.of(code, pointer, message));
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** Refuses the request with every violation collected so far, if there is one. */
    void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw Refusal.invalid(violations);
        }
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> "something else";
        };
    }

    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** How many characters of a name or value of the request an answer echoes; the rest is an ellipsis. */
    static final int ECHO_MAX = 100;

    /**
     * {@code text} as an answer echoes it: at most {@value #ECHO_MAX} characters (never half of a surrogate pair), then
     * {@code …}.
     */
    static String abbreviate(String text) {
        return abbreviate(text, ECHO_MAX);
    }

    static String abbreviate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }
}
