package dev.taskengine.adapter.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskengine.domain.Violation;
import dev.taskengine.domain.WireEnum;
import dev.taskengine.domain.WireEnums;
import io.vavr.control.Either;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a request body as a JSON tree and its fields with typed accessors, collecting a {@link Violation} (with the
 * JSON pointer of the field) for every unknown field, wrong type, unparsable date-time or unknown enum value, so that a
 * request is answered with all of its problems at once. Malformed JSON is refused at once.
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

    /** Reads {@code node} at {@code pointer} as an object with exactly the {@code known} fields (all optional). */
    Obj object(JsonNode node, String pointer, String... known) {
        return new Obj(node, pointer, Set.of(known));
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

    static String pointer(String parent, String field) {
        return parent + "/" + field.replace("~", "~0").replace("/", "~1");
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

    /** One JSON object of the request, with typed accessors that record violations and answer null when unusable. */
    final class Obj {
        private final JsonNode node;
        private final String pointer;

        private Obj(JsonNode node, String pointer, Set<String> known) {
            this.node = node;
            this.pointer = pointer;
            if (node != null && node.isObject()) {
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!known.contains(name)) {
                        add("request.field.unknown", JsonInput.pointer(pointer, name),
                                "unknown field '" + name + "'; known fields: " + String.join(", ", new java.util.TreeSet<>(known)));
                    }
                }
            }
        }

        String pointer(String field) {
            return JsonInput.pointer(pointer, field);
        }

        /** Whether the field is present (null counts as present). */
        boolean present(String field) {
            return node.has(field);
        }

        /** Whether the field is present with a value other than null. */
        boolean has(String field) {
            JsonNode value = node.get(field);
            return value != null && !value.isNull();
        }

        private JsonNode value(String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value;
        }

        private void wrongType(String field, String expected, JsonNode actual) {
            add("request.field.wrongType", pointer(field), "expected " + expected + ", not " + describe(actual));
        }

        Long integer(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                wrongType(field, "an integer", value);
                return null;
            }
            return value.longValue();
        }

        String string(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                wrongType(field, "a string", value);
                return null;
            }
            return value.textValue();
        }

        Boolean bool(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (!value.isBoolean()) {
                wrongType(field, "true or false", value);
                return null;
            }
            return value.booleanValue();
        }

        Instant instant(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                wrongType(field, "a date-time string such as 2023-11-07T05:31:56Z", value);
                return null;
            }
            Instant parsed = parseInstant(value.textValue());
            if (parsed == null) {
                add("request.field.invalidDateTime", pointer(field), "'" + abbreviate(value.textValue())
                        + "' is not an ISO-8601 date-time with an offset, such as 2023-11-07T05:31:56Z");
            }
            return parsed;
        }

        <E extends Enum<E> & WireEnum> E wireEnum(Class<E> type, String field) {
            JsonNode value = value(field);
            return value == null ? null : enumValue(type, pointer(field), value);
        }

        /** A single value or an array of values of the enum; null when absent. */
        <E extends Enum<E> & WireEnum> Set<E> wireEnums(Class<E> type, String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            Set<E> result = new LinkedHashSet<>();
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    E parsed = enumValue(type, pointer(field) + "/" + i, value.get(i));
                    if (parsed != null) {
                        result.add(parsed);
                    }
                }
            } else {
                E parsed = enumValue(type, pointer(field), value);
                if (parsed != null) {
                    result.add(parsed);
                }
            }
            return result;
        }

        private <E extends Enum<E> & WireEnum> E enumValue(Class<E> type, String at, JsonNode value) {
            if (!(value.isTextual() || value.isIntegralNumber() && value.canConvertToInt())) {
                add("request.field.wrongType", at,
                        "expected an integer code or a name, not " + describe(value) + "; accepted: " + WireEnums.accepted(type));
                return null;
            }
            // WireEnums names the field after the pointer's last segment: give it the field's pointer, then point at the item.
            String field = at.matches(".*/[0-9]+") ? at.substring(0, at.lastIndexOf('/')) : at;
            Either<Violation, E> parsed = WireEnums.parse(type, field, value.isTextual() ? value.textValue() : value.asText());
            if (parsed.isLeft()) {
                Violation violation = parsed.getLeft();
                add(Violation.of(violation.code(), at, violation.message()));
                return null;
            }
            return parsed.get();
        }

        /** An array of integers; null when absent. */
        List<Long> integers(String field) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (!value.isArray()) {
                wrongType(field, "an array of integers", value);
                return null;
            }
            List<Long> result = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isIntegralNumber() || !item.canConvertToLong()) {
                    add("request.field.wrongType", pointer(field) + "/" + i, "expected an integer, not " + describe(item));
                } else {
                    result.add(item.longValue());
                }
            }
            return result;
        }

        /** A nested object with exactly the {@code known} fields; null when absent or null. */
        Obj object(String field, String... known) {
            JsonNode value = value(field);
            if (value == null) {
                return null;
            }
            if (!value.isObject()) {
                wrongType(field, "an object", value);
                return null;
            }
            return new Obj(value, pointer(field), Set.of(known));
        }
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
