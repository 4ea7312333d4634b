package dev.taskengine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.taskengine.domain.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every settings file the server reads shares: reading the JSON (duplicate keys refused), collecting every
 * problem at its JSON pointer, and refusing the file with all of them at once.
 */
abstract class JsonSettingsReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** What a tenant id is, in the words of every file the server reads. */
    static final String TENANT_ID = "a tenant id is 1 to " + TenantId.MAX_LENGTH
            + " letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

    private final List<String> problems = new ArrayList<>();

    /** The JSON {@code file} holds; refused with an {@link IllegalArgumentException} saying why, as {@code what}. */
    static JsonNode read(Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    what + " " + file + " cannot be read as JSON: "
                            + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()),
                    e);
        }
    }

    /** Throws an {@link IllegalArgumentException} naming every problem found, if there is one. */
    final void refuseIfAnyProblem(Path file, String what) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " " + file + " is refused, " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + ":\n  " + String.join("\n  ", problems));
        }
    }

    final int problemCount() {
        return problems.size();
    }

    final void problem(String at, String what) {
        problems.add((at.isEmpty() ? "/" : at) + ": " + what);
    }

    /** Whether {@code node} is an object; reports it if not, and every field of it not in {@code known}. */
    final boolean object(JsonNode node, String at, Set<String> known) {
        if (!node.isObject()) {
            problem(at, "an object with the fields " + known + ", not " + node);
            return false;
        }
        knownFields(node, at, known);
        return true;
    }

    final void knownFields(JsonNode node, String at, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(at + "/" + escape(name), "unknown field; known: " + known);
            }
        }
    }

    final Optional<TenantId> tenant(String key, String at) {
        try {
            return Optional.of(TenantId.of(key));
        } catch (IllegalArgumentException e) {
            problem(at, TENANT_ID);
            return Optional.empty();
        }
    }

    static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }

    /** A key as a JSON pointer (RFC 6901) writes it. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static Set<String> fields(String... names) {
        return new TreeSet<>(Set.of(names));
    }
}
