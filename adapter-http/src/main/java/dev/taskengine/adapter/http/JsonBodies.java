package dev.taskengine.adapter.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.CollectionType;
import dev.taskengine.domain.Violation;
import dev.taskengine.domain.WireEnum;
import dev.taskengine.domain.WireEnums;
import io.vavr.control.Either;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads request bodies into records with Jackson, strictly (unknown properties fail), and turns every problem into a
 * {@link Violation} with the JSON pointer of its field instead of an exception: an unknown field, a wrong type, an
 * unparsable date-time, an unknown enum value. Reading goes on after a problem (the field reads as absent), so that a
 * request is answered with all of its problems at once, in the adapter's own words: no Jackson message or class name
 * reaches a client.
 */
final class JsonBodies {
    /** The attribute of a read that holds the violations found so far. */
    static final String PROBLEMS = "taskengine.problems";

    private JsonBodies() {}

    /** Reply's bodies: camelCase. */
    static ObjectMapper reply() {
        return mapper(PropertyNamingStrategies.LOWER_CAMEL_CASE);
    }

    /** Topo's bodies: snake_case. */
    static ObjectMapper topo() {
        return mapper(PropertyNamingStrategies.SNAKE_CASE);
    }

    private static ObjectMapper mapper(PropertyNamingStrategy naming) {
        SimpleModule module = new SimpleModule("taskengine-request-bodies");
        module.setDeserializers(new WireDeserializers());
        return JsonMapper.builder()
                .propertyNamingStrategy(naming)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(module)
                .addHandler(new Problems())
                .build();
    }

    /** Reads {@code body} (one JSON object, already checked to be one) as a {@code type}, adding its problems to {@code problems}. */
    static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type, List<Violation> problems) {
        try {
            return mapper.readerFor(type).withAttribute(PROBLEMS, problems).readValue(body);
        } catch (IOException e) {
            // The body parsed as a JSON object before, and every mismatch is a violation: this is a bug, not a bad
            // request.
            throw new IllegalStateException("a request body could not be read as " + type.getSimpleName(), e);
        }
    }

    // --- problems

    @SuppressWarnings("unchecked")
    static void problem(DeserializationContext ctxt, String code, String pointer, String message) {
        ((List<Violation>) ctxt.getAttribute(PROBLEMS)).add(Violation.of(code, pointer, message));
    }

    /** The pointer of the value the parser is at (for an object or array value, the field or index holding it). */
    static String pointer(JsonParser p) {
        JsonStreamContext context = p.getParsingContext();
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            context = context.getParent();
        }
        return context.pathAsPointer().toString();
    }

    /**
     * What the parser's value is, in the request's terms: as {@link JsonInput#describe}, numbers told apart, since a
     * number where another number belongs is either out of range or has a fraction.
     */
    static String describe(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return "an integer out of range";
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return "a number with a fraction";
        }
        return JsonInput.describe(token);
    }

    /** Records a wrong type at the parser's value, and skips it. */
    static <T> T wrongType(JsonParser p, DeserializationContext ctxt, String expected) throws IOException {
        problem(ctxt, "request.field.wrongType", pointer(p), "expected " + expected + ", not " + describe(p));
        p.skipChildren();
        return null;
    }

    static boolean isLong(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NUMBER_INT
                && (p.getNumberType() == JsonParser.NumberType.INT || p.getNumberType() == JsonParser.NumberType.LONG);
    }

    /** Unknown fields, and objects of ours given as something else. */
    private static final class Problems extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            Set<String> known = new TreeSet<>();
            Collection<Object> names = deserializer.getKnownPropertyNames();
            if (names != null) {
                names.forEach(name -> known.add(name.toString()));
            }
            problem(
                    ctxt,
                    "request.field.unknown",
                    pointer(p),
                    "unknown field '" + JsonInput.abbreviate(propertyName) + "'; known fields: "
                            + String.join(", ", known));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleMissingInstantiator(
                DeserializationContext ctxt, Class<?> instClass, ValueInstantiator valueInsts, JsonParser p, String msg)
                throws IOException {
            return instClass.isRecord() ? wrongType(p, ctxt, "an object") : NOT_HANDLED;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p, String failureMsg)
                throws IOException {
            return targetType.isRecordType() ? wrongType(p, ctxt, "an object") : NOT_HANDLED;
        }
    }

    // --- the wire's scalar types

    private static final class WireDeserializers extends SimpleDeserializers {
        private static final long serialVersionUID = 1L;

        WireDeserializers() {
            addDeserializer(Long.class, new LongValue());
            addDeserializer(String.class, new StringValue());
            addDeserializer(Boolean.class, new BooleanValue());
            addDeserializer(Instant.class, new InstantValue());
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public JsonDeserializer<?> findEnumDeserializer(
                Class<?> type, DeserializationConfig config, BeanDescription beanDesc)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            if (WireEnum.class.isAssignableFrom(type)) {
                return new WireEnumValue(type);
            }
            return super.findEnumDeserializer(type, config, beanDesc);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public JsonDeserializer<?> findCollectionDeserializer(
                CollectionType type,
                DeserializationConfig config,
                BeanDescription beanDesc,
                TypeDeserializer elementTypeDeserializer,
                JsonDeserializer<?> elementDeserializer)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            Class<?> content = type.getContentType().getRawClass();
            if (content == Long.class && type.getRawClass() == List.class) {
                return new Integers();
            }
            if (WireEnum.class.isAssignableFrom(content) && type.getRawClass() == Set.class) {
                return new WireEnumValues(new WireEnumValue(content));
            }
            return super.findCollectionDeserializer(
                    type, config, beanDesc, elementTypeDeserializer, elementDeserializer);
        }
    }

    private static final class LongValue extends StdDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        LongValue() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return isLong(p) ? p.getLongValue() : wrongType(p, ctxt, "an integer");
        }
    }

    private static final class StringValue extends StdDeserializer<String> {
        private static final long serialVersionUID = 1L;

        StringValue() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : wrongType(p, ctxt, "a string");
        }
    }

    private static final class BooleanValue extends StdDeserializer<Boolean> {
        private static final long serialVersionUID = 1L;

        BooleanValue() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE -> false;
                default -> wrongType(p, ctxt, "true or false");
            };
        }
    }

    private static final class InstantValue extends StdDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantValue() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return wrongType(p, ctxt, "a date-time string such as 2023-11-07T05:31:56Z");
            }
            Instant parsed = JsonInput.parseInstant(p.getText());
            if (parsed == null) {
                problem(
                        ctxt,
                        "request.field.invalidDateTime",
                        pointer(p),
                        "'" + JsonInput.abbreviate(p.getText())
                                + "' is not an ISO-8601 date-time with an offset, such as 2023-11-07T05:31:56Z");
            }
            return parsed;
        }
    }

    /** An enum as Reply's integer code or its camelCase name ({@link WireEnums#parse}). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class WireEnumValue extends StdDeserializer<Object> {
        private static final long serialVersionUID = 1L;
        private final Class type;

        WireEnumValue(Class<?> type) {
            super(type);
            this.type = type;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String at = pointer(p);
            boolean code =
                    p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
            if (!(p.currentToken() == JsonToken.VALUE_STRING || code)) {
                problem(
                        ctxt,
                        "request.field.wrongType",
                        at,
                        "expected an integer code or a name, not " + describe(p) + "; accepted: "
                                + WireEnums.accepted(type));
                p.skipChildren();
                return null;
            }
            // WireEnums names the field after the pointer's last segment: give it the field's pointer, then point at
            // the item.
            String field = at.matches(".*/[0-9]+") ? at.substring(0, at.lastIndexOf('/')) : at;
            Either<Violation, Object> parsed = WireEnums.parse(type, field, p.getText());
            if (parsed.isLeft()) {
                Violation violation = parsed.getLeft();
                problem(ctxt, violation.code(), at, violation.message());
                return null;
            }
            return parsed.get();
        }
    }

    /** A single value or an array of values of an enum. */
    private static final class WireEnumValues extends StdDeserializer<Set<Object>> {
        private static final long serialVersionUID = 1L;
        private final WireEnumValue item;

        WireEnumValues(WireEnumValue item) {
            super(Set.class);
            this.item = item;
        }

        @Override
        public Set<Object> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Set<Object> values = new LinkedHashSet<>();
            if (p.currentToken() != JsonToken.START_ARRAY) {
                addIfPresent(values, item.deserialize(p, ctxt));
                return values;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                addIfPresent(values, item.deserialize(p, ctxt));
            }
            return values;
        }

        private static void addIfPresent(Set<Object> values, Object value) {
            if (value != null) {
                values.add(value);
            }
        }
    }

    /** An array of integers. */
    private static final class Integers extends StdDeserializer<List<Long>> {
        private static final long serialVersionUID = 1L;

        Integers() {
            super(List.class);
        }

        @Override
        public List<Long> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return wrongType(p, ctxt, "an array of integers");
            }
            List<Long> values = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (isLong(p)) {
                    values.add(p.getLongValue());
                } else {
                    wrongType(p, ctxt, "an integer");
                }
            }
            return values;
        }
    }
}
