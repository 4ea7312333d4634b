package dev.taskengine.adapter.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskengine.domain.Violation;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one request: reads its body into a record ({@link JsonBodies}), collecting a {@link Violation} (with
 * the JSON pointer of the field) for every unknown field, wrong type, unparsable date-time or unknown enum value, so that
 * a request is answered with all of its problems at once. Malformed JSON is refused at once.
 */
final class JsonInput {
    private final List<Violation> violations = new ArrayList<>();

    /**
     * Parses {@code body} as one JSON object. An empty body counts as {@code {}} when {@code emptyAllowed}, otherwise it
     * is refused like any non-object.
     */
    static ObjectNode parseObject(ObjectMapper mapper, byte[] body, boolean emptyAllowed) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (emptyAllowed) {
                return mapper.createObjectNode();
            }
            throw Refusal.invalid("request.body.required", "", "a JSON object is required as the request body");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw Refusal.invalid("request.body.malformed", "", "the body is not valid JSON: " + where + e.getOriginalMessage());
        } catch (IOException e) {
            throw Refusal.invalid("request.body.malformed", "", "the body could not be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw Refusal.invalid("request.body.malformed", "", "the body is not valid JSON");
        }
        if (!node.isObject()) {
            throw Refusal.invalid("request.body.notAnObject", "", "the body must be a JSON object, not " + describe(node));
        }
        return (ObjectNode) node;
    }

    /**
     * Reads {@code body} as one JSON object into a {@code type} (a record) with {@code mapper} (see {@link JsonBodies}),
     * adding a violation for every problem; an empty body counts as {@code {}} when {@code emptyAllowed}.
     */
    <T> T read(ObjectMapper mapper, byte[] body, boolean emptyAllowed, Class<T> type) {
        ObjectNode node = parseObject(mapper, body, emptyAllowed);
        byte[] json = node.isEmpty() ? new byte[] {'{', '}'} : body;
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

    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return "an integer out of range";
        }
        if (node.isNumber()) {
            return "a number with a fraction";
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
