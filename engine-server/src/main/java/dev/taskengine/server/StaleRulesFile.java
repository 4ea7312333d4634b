package dev.taskengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.api.StaleRules;
import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
public final class StaleRulesFile extends JsonSettingsReader {
    private static final Set<String> TOP = fields("tenants");
    private static final Set<String> TENANT = fields("overdueBy", "action", "types");
    private static final Set<String> RULE = fields("overdueBy", "action");
    private static final List<String> TYPE_NAMES =
            Arrays.stream(TaskType.values()).map(TaskType::wireName).toList();

    private StaleRulesFile() {}

    /** The rules {@code file} holds; refused with an {@link IllegalArgumentException} naming every problem. */
    public static StaleRules load(Path file) {
        JsonNode root = read(file, "stale rules file");
        StaleRulesFile reader = new StaleRulesFile();
        StaleRules rules = reader.rules(root);
        reader.refuseIfAnyProblem(file, "stale rules file");
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
                if (duration.compareTo(StaleRule.LONGEST) > 0) {
                    problem(at, "at most the span of a task's times (2015-01-01 to 9999-12-31), not " + node);
                    return Optional.empty();
                }
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

    private Optional<TaskType> type(String key, String at) {
        Optional<TaskType> type = Arrays.stream(TaskType.values())
                .filter(t -> t.wireName().equals(key))
                .findFirst();
        if (type.isEmpty()) {
            problem(at, "a task type, one of " + TYPE_NAMES.stream().collect(Collectors.joining(", ")));
        }
        return type;
    }
}
