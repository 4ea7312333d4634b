package dev.taskengine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.taskengine.api.StaleRules;
import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the tenants' stale-task rules from a JSON file into {@link StaleRules}:
 *
 * <pre>
 * {"tenants": {"acme": {"overdueBy": "P7D", "action": "skip",
 *                       "types": {"call": {"overdueBy": "P3D", "action": "archive"}}}}}
 * </pre>
 *
 * A rule is {@code overdueBy} (a positive ISO-8601 duration) and {@code action} ({@code skip}, the default, or
 * {@code archive}); a tenant's own rule takes every type without one of its own under {@code types} (keyed by Reply's
 * type names: {@code call}, {@code manualEmail}, …), and may be left out to rule only some types. A file that does not
 * hold such rules is refused with every problem at once, each at its JSON pointer.
 */
public final class StaleRulesFile {
    private static final Set<String> TOP = new TreeSet<>(Set.of("tenants"));
    private static final Set<String> TENANT = new TreeSet<>(Set.of("overdueBy", "action", "types"));
    private static final Set<String> RULE = new TreeSet<>(Set.of("overdueBy", "action"));
    private static final List<String> TYPE_NAMES =
            Arrays.stream(TaskType.values()).map(TaskType::wireName).toList();
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<String> problems = new ArrayList<>();

    private StaleRulesFile() {}

    /** The rules {@code file} holds; refused with an {@link IllegalArgumentException} naming every problem. */
    public static StaleRules load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("stale rules file " + file + " cannot be read: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "stale rules file " + file + " cannot be read as JSON: "
                            + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()),
                    e);
        }
        StaleRulesFile reader = new StaleRulesFile();
        StaleRules rules = reader.rules(root);
        if (!reader.problems.isEmpty()) {
            throw new IllegalArgumentException("stale rules file " + file + " is refused, " + reader.problems.size()
                    + (reader.problems.size() == 1 ? " problem" : " problems") + ":\n  "
                    + String.join("\n  ", reader.problems));
        }
        return rules;
    }

    private StaleRules rules(JsonNode root) {
        StaleRules.Builder builder = StaleRules.builder();
        if (root == null || root.isMissingNode() || !root.isObject()) {
            problem("", "the file holds a JSON object with \"tenants\"");
            return builder.build();
        }
        knownFields(root, "", TOP);
        JsonNode tenants = root.get("tenants");
        if (tenants == null || tenants.isNull()) {
            return builder.build();
        }
        if (!tenants.isObject()) {
            problem("/tenants", "an object of rules by tenant id, not " + tenants);
            return builder.build();
        }
        for (Map.Entry<String, JsonNode> entry : entries(tenants)) {
            String at = "/tenants/" + escape(entry.getKey());
            Optional<TenantId> tenant = tenant(entry.getKey(), at);
            JsonNode node = entry.getValue();
            if (!object(node, at, TENANT)) {
                continue;
            }
            Optional<StaleRule> own =
                    node.hasNonNull("overdueBy") || node.hasNonNull("action") ? rule(node, at) : Optional.empty();
            tenant.ifPresent(t -> own.ifPresent(rule -> builder.tenant(t, rule)));
            JsonNode types = node.get("types");
            if (types == null || types.isNull()) {
                if (!node.hasNonNull("overdueBy") && !node.hasNonNull("action")) {
                    problem(at, "a tenant has a rule (overdueBy, action), rules by type (types), or both");
                }
                continue;
            }
            if (!types.isObject()) {
                problem(at + "/types", "an object of rules by task type, not " + types);
                continue;
            }
            for (Map.Entry<String, JsonNode> typed : entries(types)) {
                String typeAt = at + "/types/" + escape(typed.getKey());
                Optional<TaskType> type = type(typed.getKey(), typeAt);
                if (object(typed.getValue(), typeAt, RULE)) {
                    Optional<StaleRule> rule = rule(typed.getValue(), typeAt);
                    tenant.ifPresent(t -> type.ifPresent(ty -> rule.ifPresent(r -> builder.tenant(t, ty, r))));
                }
            }
        }
        return builder.build();
    }

    private Optional<StaleRule> rule(JsonNode node, String at) {
        Optional<Duration> overdueBy = overdueBy(node.get("overdueBy"), at + "/overdueBy");
        Optional<StaleRule.Action> action = action(node.get("action"), at + "/action");
        if (overdueBy.isEmpty() || action.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StaleRule(overdueBy.get(), action.get()));
    }

    private Optional<Duration> overdueBy(JsonNode node, String at) {
        String expected = "a positive ISO-8601 duration such as \"P7D\" or \"PT36H\"";
        if (node == null || node.isNull()) {
            problem(at, expected + " is required: how long past its due time a task is stale");
            return Optional.empty();
        }
        if (node.isTextual()) {
            try {
                Duration duration = Duration.parse(node.textValue());
                if (!duration.isNegative() && !duration.isZero()) {
                    return Optional.of(duration);
                }
            } catch (DateTimeException e) {
                // falls through to the problem below
            }
        }
        problem(at, expected + ", not " + node);
        return Optional.empty();
    }

    private Optional<StaleRule.Action> action(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Optional.of(StaleRule.Action.SKIP);
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "skip":
                    return Optional.of(StaleRule.Action.SKIP);
                case "archive":
                    return Optional.of(StaleRule.Action.ARCHIVE);
                default:
                    break;
            }
        }
        problem(at, "skip or archive, not " + node);
        return Optional.empty();
    }

    private Optional<TenantId> tenant(String key, String at) {
        try {
            return Optional.of(TenantId.of(key));
        } catch (IllegalArgumentException e) {
            problem(at, SendingSettingsFile.TENANT_ID);
            return Optional.empty();
        }
    }

    private Optional<TaskType> type(String key, String at) {
        Optional<TaskType> type = Arrays.stream(TaskType.values())
                .filter(t -> t.wireName().equals(key))
                .findFirst();
        if (type.isEmpty()) {
            problem(at, "a task type, one of " + TYPE_NAMES.stream().collect(Collectors.joining(", ")));
        }
        return type;
    }

    /** Whether {@code node} is an object; reports it if not, and every field of it not in {@code known}. */
    private boolean object(JsonNode node, String at, Set<String> known) {
        if (!node.isObject()) {
            problem(at, "an object with the fields " + known + ", not " + node);
            return false;
        }
        knownFields(node, at, known);
        return true;
    }

    private void knownFields(JsonNode node, String at, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(at + "/" + escape(name), "unknown field; known: " + known);
            }
        }
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }

    private void problem(String at, String what) {
        problems.add((at.isEmpty() ? "/" : at) + ": " + what);
    }

    /** A key as a JSON pointer (RFC 6901) writes it. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
