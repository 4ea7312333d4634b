package dev.taskengine.api;

import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The stale-task rules of each tenant: a rule for every task type of the tenant, and rules for some types that take
 * precedence over it. A tenant without a rule keeps its overdue tasks. The scheduler applies them ({@link TaskScheduler});
 * {@link TaskEngine#staleTasks} previews what they would take now.
 */
public final class StaleRules {
    private static final StaleRules NONE = new StaleRules(Map.of(), Map.of());

    private final Map<TenantId, StaleRule> tenantRules;
    private final Map<TenantId, Map<TaskType, StaleRule>> typeRules;

    private StaleRules(Map<TenantId, StaleRule> tenantRules, Map<TenantId, Map<TaskType, StaleRule>> typeRules) {
        this.tenantRules = Map.copyOf(tenantRules);
        Map<TenantId, Map<TaskType, StaleRule>> copy = new HashMap<>();
        typeRules.forEach((tenant, rules) -> copy.put(tenant, Map.copyOf(rules)));
        this.typeRules = Map.copyOf(copy);
    }

    /** No tenant has a rule: no task is ever stale. */
    public static StaleRules none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every tenant with a rule. */
    public Set<TenantId> tenants() {
        Set<TenantId> tenants = new java.util.HashSet<>(tenantRules.keySet());
        tenants.addAll(typeRules.keySet());
        return Set.copyOf(tenants);
    }

    /** The rule for {@code type}'s tasks of {@code tenant}: its own if it has one, the tenant's otherwise. */
    public Optional<StaleRule> ruleFor(TenantId tenant, TaskType type) {
        StaleRule forType = typeRules.getOrDefault(tenant, Map.of()).get(type);
        return Optional.ofNullable(forType != null ? forType : tenantRules.get(tenant));
    }

    /** The types of {@code tenant}'s tasks that each rule takes, rule by rule. */
    public Map<StaleRule, Set<TaskType>> typesByRule(TenantId tenant) {
        Map<StaleRule, Set<TaskType>> byRule = new java.util.LinkedHashMap<>();
        for (TaskType type : TaskType.values()) {
            ruleFor(tenant, type)
                    .ifPresent(rule -> byRule.computeIfAbsent(rule, r -> java.util.EnumSet.noneOf(TaskType.class))
                            .add(type));
        }
        return byRule;
    }

    public static final class Builder {
        private final Map<TenantId, StaleRule> tenantRules = new HashMap<>();
        private final Map<TenantId, Map<TaskType, StaleRule>> typeRules = new HashMap<>();

        private Builder() {}

        /** {@code rule} for every task of {@code tenant} that no rule of its type covers. */
        public Builder tenant(TenantId tenant, StaleRule rule) {
            tenantRules.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** {@code rule} for {@code type}'s tasks of {@code tenant}. */
        public Builder tenant(TenantId tenant, TaskType type, StaleRule rule) {
            typeRules
                    .computeIfAbsent(Objects.requireNonNull(tenant, "tenant"), t -> new EnumMap<>(TaskType.class))
                    .put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public StaleRules build() {
            return new StaleRules(tenantRules, typeRules);
        }
    }
}
