package dev.taskengine.ports;

import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceStepId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A query over one tenant's tasks. Empty sets and absent values do not filter. The start window is
 * {@code [startAtFrom, startAtTo)}; {@code overdue} keeps active tasks whose due time has passed. Results come in
 * {@link #sort()} order, {@link #limit()} at a time, after the opaque {@link #cursor()} of the previous page; the total
 * is counted only when {@link #includeTotal()} asks for it.
 *
 * <p>{@link #matches} is the meaning of every filter: the memory adapter runs it and SQL adapters must agree with it
 * (the contract kit checks that they do).
 */
public record TaskQuery(
        TenantId tenant,
        Set<TaskStatus> statuses,
        Set<TaskType> types,
        Optional<UserId> assignee,
        Optional<SequenceId> sequenceId,
        Optional<SequenceStepId> sequenceStepId,
        Optional<ContactId> contactId,
        Optional<Instant> startAtFrom,
        Optional<Instant> startAtTo,
        boolean overdue,
        Set<Priority> priorities,
        Optional<Boolean> scheduled,
        TaskSort sort,
        int limit,
        Optional<String> cursor,
        boolean includeTotal) {

    public static final int DEFAULT_LIMIT = 50;

    public TaskQuery {
        Objects.requireNonNull(tenant, "tenant");
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(types);
        priorities = priorities == null || priorities.isEmpty() ? Set.of() : Set.copyOf(priorities);
        assignee = orEmpty(assignee);
        sequenceId = orEmpty(sequenceId);
        sequenceStepId = orEmpty(sequenceStepId);
        contactId = orEmpty(contactId);
        startAtFrom = orEmpty(startAtFrom);
        startAtTo = orEmpty(startAtTo);
        scheduled = orEmpty(scheduled);
        cursor = orEmpty(cursor);
        sort = sort == null ? TaskSort.START_AT_ASC : sort;
    }

    public static Builder forTenant(TenantId tenant) {
        return new Builder(tenant);
    }

    /** Whether {@code task} passes every filter at {@code now} (the tenant included). */
    public boolean matches(Task task, Instant now) {
        return task.tenant().equals(tenant)
                && (statuses.isEmpty() || statuses.contains(task.status()))
                && (types.isEmpty() || types.contains(task.type()))
                && (priorities.isEmpty() || priorities.contains(task.priority()))
                && assignee.map(task.assignedUserId()::equals).orElse(true)
                && sequenceId.map(id -> task.sequence().map(s -> s.sequenceId().equals(id)).orElse(false)).orElse(true)
                && sequenceStepId.map(id -> task.sequence().map(s -> s.stepId().equals(id)).orElse(false)).orElse(true)
                && contactId.map(id -> task.contactId().map(id::equals).orElse(false)).orElse(true)
                && startAtFrom.map(from -> !task.startAt().isBefore(from)).orElse(true)
                && startAtTo.map(to -> task.startAt().isBefore(to)).orElse(true)
                && (!overdue || task.overdueAt(now))
                && scheduled.map(s -> task.scheduled() == s).orElse(true);
    }

    private static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    /** Fluent construction. */
    public static final class Builder {
        private final TenantId tenant;
        private final Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        private final Set<TaskType> types = EnumSet.noneOf(TaskType.class);
        private final Set<Priority> priorities = EnumSet.noneOf(Priority.class);
        private UserId assignee;
        private SequenceId sequenceId;
        private SequenceStepId sequenceStepId;
        private ContactId contactId;
        private Instant startAtFrom;
        private Instant startAtTo;
        private boolean overdue;
        private Boolean scheduled;
        private TaskSort sort = TaskSort.START_AT_ASC;
        private int limit = DEFAULT_LIMIT;
        private String cursor;
        private boolean includeTotal;

        private Builder(TenantId tenant) {
            this.tenant = tenant;
        }

        public Builder status(TaskStatus... values) {
            statuses.addAll(Set.of(values));
            return this;
        }

        /** New and in-progress tasks. */
        public Builder active() {
            return status(TaskStatus.NEW, TaskStatus.IN_PROGRESS);
        }

        public Builder type(TaskType... values) {
            types.addAll(Set.of(values));
            return this;
        }

        public Builder priority(Priority... values) {
            priorities.addAll(Set.of(values));
            return this;
        }

        public Builder assignee(UserId value) {
            this.assignee = value;
            return this;
        }

        public Builder sequence(SequenceId value) {
            this.sequenceId = value;
            return this;
        }

        public Builder sequenceStep(SequenceStepId value) {
            this.sequenceStepId = value;
            return this;
        }

        public Builder contact(ContactId value) {
            this.contactId = value;
            return this;
        }

        /** Tasks that start in {@code [from, to)}; either end may be null. */
        public Builder startingBetween(Instant from, Instant to) {
            this.startAtFrom = from;
            this.startAtTo = to;
            return this;
        }

        public Builder overdue(boolean value) {
            this.overdue = value;
            return this;
        }

        public Builder scheduled(boolean value) {
            this.scheduled = value;
            return this;
        }

        public Builder sort(TaskSort value) {
            this.sort = value;
            return this;
        }

        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        /** Continues after the page that answered this cursor. */
        public Builder after(String value) {
            this.cursor = value;
            return this;
        }

        public Builder includeTotal() {
            this.includeTotal = true;
            return this;
        }

        public TaskQuery build() {
            return new TaskQuery(tenant, statuses, types, Optional.ofNullable(assignee), Optional.ofNullable(sequenceId),
                    Optional.ofNullable(sequenceStepId), Optional.ofNullable(contactId), Optional.ofNullable(startAtFrom),
                    Optional.ofNullable(startAtTo), overdue, priorities, Optional.ofNullable(scheduled), sort, limit,
                    Optional.ofNullable(cursor), includeTotal);
        }
    }
}
