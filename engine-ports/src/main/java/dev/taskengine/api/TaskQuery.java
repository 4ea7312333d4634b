package dev.taskengine.api;

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
 * Made with {@link #forTenant}; {@link #toBuilder()} and {@link #withPage} derive another query from this one.
 *
 * <p>{@link #matches} is the meaning of every filter: the memory adapter runs it and SQL adapters must agree with it
 * (the contract kit checks that they do).
 */
public final class TaskQuery {
    public static final int DEFAULT_LIMIT = 50;

    private final TenantId tenant;
    private final Set<TaskStatus> statuses;
    private final Set<TaskType> types;
    private final UserId assignee;
    private final SequenceId sequenceId;
    private final SequenceStepId sequenceStepId;
    private final ContactId contactId;
    private final Instant startAtFrom;
    private final Instant startAtTo;
    private final boolean overdue;
    private final Set<Priority> priorities;
    private final Boolean scheduled;
    private final Boolean deferred;
    private final Boolean hidden;
    private final Instant dueToBefore;
    private final Boolean executing;
    private final TaskSort sort;
    private final int limit;
    private final String cursor;
    private final boolean includeTotal;

    private TaskQuery(Builder b) {
        this.tenant = Objects.requireNonNull(b.tenant, "tenant");
        this.statuses = Set.copyOf(b.statuses);
        this.types = Set.copyOf(b.types);
        this.assignee = b.assignee;
        this.sequenceId = b.sequenceId;
        this.sequenceStepId = b.sequenceStepId;
        this.contactId = b.contactId;
        this.startAtFrom = b.startAtFrom;
        this.startAtTo = b.startAtTo;
        this.overdue = b.overdue;
        this.priorities = Set.copyOf(b.priorities);
        this.scheduled = b.scheduled;
        this.deferred = b.deferred;
        this.hidden = b.hidden;
        this.dueToBefore = b.dueToBefore;
        this.executing = b.executing;
        this.sort = b.sort == null ? TaskSort.START_AT_ASC : b.sort;
        this.limit = b.limit;
        this.cursor = b.cursor;
        this.includeTotal = b.includeTotal;
    }

    public static Builder forTenant(TenantId tenant) {
        return new Builder(tenant);
    }

    /** A builder holding every setting of this query, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(tenant);
        b.statuses.addAll(statuses);
        b.types.addAll(types);
        b.priorities.addAll(priorities);
        b.assignee = assignee;
        b.sequenceId = sequenceId;
        b.sequenceStepId = sequenceStepId;
        b.contactId = contactId;
        b.startAtFrom = startAtFrom;
        b.startAtTo = startAtTo;
        b.overdue = overdue;
        b.scheduled = scheduled;
        b.deferred = deferred;
        b.hidden = hidden;
        b.dueToBefore = dueToBefore;
        b.executing = executing;
        b.sort = sort;
        b.limit = limit;
        b.cursor = cursor;
        b.includeTotal = includeTotal;
        return b;
    }

    /** This query's first page of {@code pageLimit} tasks. */
    public TaskQuery withPage(int pageLimit) {
        return toBuilder().limit(pageLimit).after(null).build();
    }

    /** This query's page of {@code pageLimit} tasks after the page that answered {@code pageCursor}. */
    public TaskQuery withPage(int pageLimit, String pageCursor) {
        return toBuilder()
                .limit(pageLimit)
                .after(Objects.requireNonNull(pageCursor, "cursor"))
                .build();
    }

    public TenantId tenant() {
        return tenant;
    }

    public Set<TaskStatus> statuses() {
        return statuses;
    }

    public Set<TaskType> types() {
        return types;
    }

    public Optional<UserId> assignee() {
        return Optional.ofNullable(assignee);
    }

    public Optional<SequenceId> sequenceId() {
        return Optional.ofNullable(sequenceId);
    }

    public Optional<SequenceStepId> sequenceStepId() {
        return Optional.ofNullable(sequenceStepId);
    }

    public Optional<ContactId> contactId() {
        return Optional.ofNullable(contactId);
    }

    public Optional<Instant> startAtFrom() {
        return Optional.ofNullable(startAtFrom);
    }

    public Optional<Instant> startAtTo() {
        return Optional.ofNullable(startAtTo);
    }

    public boolean overdue() {
        return overdue;
    }

    public Set<Priority> priorities() {
        return priorities;
    }

    public Optional<Boolean> scheduled() {
        return Optional.ofNullable(scheduled);
    }

    /** Only tasks whose scheduled send the sending policy deferred (true), or only others (false); empty: both. */
    public Optional<Boolean> deferred() {
        return Optional.ofNullable(deferred);
    }

    /**
     * Only tasks hidden now (true: snoozed, or held for a paused contact), or only visible ones (false: "my tasks
     * now"); empty: both.
     */
    public Optional<Boolean> hidden() {
        return Optional.ofNullable(hidden);
    }

    /** Only tasks due before this time. */
    public Optional<Instant> dueToBefore() {
        return Optional.ofNullable(dueToBefore);
    }

    /** Only tasks with an execution under way (true), or only others (false); empty: both. */
    public Optional<Boolean> executing() {
        return Optional.ofNullable(executing);
    }

    public TaskSort sort() {
        return sort;
    }

    public int limit() {
        return limit;
    }

    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    public boolean includeTotal() {
        return includeTotal;
    }

    /** Whether {@code task} passes every filter at {@code now} (the tenant included). */
    public boolean matches(Task task, Instant now) {
        return task.tenant().equals(tenant)
                && (statuses.isEmpty() || statuses.contains(task.status()))
                && (types.isEmpty() || types.contains(task.type()))
                && (priorities.isEmpty() || priorities.contains(task.fields().priority()))
                && assignee().map(task.assignedUserId()::equals).orElse(true)
                && sequenceId()
                        .map(id -> task.origin()
                                .sequence()
                                .map(s -> s.sequenceId().equals(id))
                                .orElse(false))
                        .orElse(true)
                && sequenceStepId()
                        .map(id -> task.origin()
                                .sequence()
                                .map(s -> s.stepId().equals(id))
                                .orElse(false))
                        .orElse(true)
                && contactId()
                        .map(id -> task.fields().contactId().map(id::equals).orElse(false))
                        .orElse(true)
                && startAtFrom()
                        .map(from -> !task.schedule().startAt().isBefore(from))
                        .orElse(true)
                && startAtTo().map(to -> task.schedule().startAt().isBefore(to)).orElse(true)
                && (!overdue || task.overdueAt(now))
                && scheduled().map(s -> task.schedule().scheduled() == s).orElse(true)
                && deferred().map(d -> task.deferral().isPresent() == d).orElse(true)
                && hidden().map(h -> task.hiddenAt(now) == h).orElse(true)
                && dueToBefore()
                        .map(before -> task.schedule().dueTo().isBefore(before))
                        .orElse(true)
                && executing().map(e -> task.executing() == e).orElse(true);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskQuery that
                && Objects.equals(tenant, that.tenant)
                && Objects.equals(statuses, that.statuses)
                && Objects.equals(types, that.types)
                && Objects.equals(assignee, that.assignee)
                && Objects.equals(sequenceId, that.sequenceId)
                && Objects.equals(sequenceStepId, that.sequenceStepId)
                && Objects.equals(contactId, that.contactId)
                && Objects.equals(startAtFrom, that.startAtFrom)
                && Objects.equals(startAtTo, that.startAtTo)
                && overdue == that.overdue
                && Objects.equals(priorities, that.priorities)
                && Objects.equals(scheduled, that.scheduled)
                && Objects.equals(deferred, that.deferred)
                && Objects.equals(hidden, that.hidden)
                && Objects.equals(dueToBefore, that.dueToBefore)
                && Objects.equals(executing, that.executing)
                && Objects.equals(sort, that.sort)
                && limit == that.limit
                && Objects.equals(cursor, that.cursor)
                && includeTotal == that.includeTotal;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                tenant,
                statuses,
                types,
                assignee,
                sequenceId,
                sequenceStepId,
                contactId,
                startAtFrom,
                startAtTo,
                overdue,
                priorities,
                scheduled,
                deferred,
                hidden,
                dueToBefore,
                executing,
                sort,
                limit,
                cursor,
                includeTotal);
    }

    @Override
    public String toString() {
        return "TaskQuery[" + "tenant=" + tenant + ", statuses=" + statuses + ", types=" + types + ", assignee="
                + assignee + ", sequenceId=" + sequenceId + ", sequenceStepId=" + sequenceStepId + ", contactId="
                + contactId + ", startAtFrom=" + startAtFrom + ", startAtTo=" + startAtTo + ", overdue=" + overdue
                + ", priorities=" + priorities + ", scheduled=" + scheduled + ", deferred=" + deferred + ", hidden="
                + hidden
                + ", dueToBefore=" + dueToBefore + ", executing=" + executing + ", sort="
                + sort + ", limit=" + limit
                + ", cursor=" + cursor + ", includeTotal=" + includeTotal + "]";
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
        private Boolean deferred;
        private Boolean hidden;
        private Instant dueToBefore;
        private Boolean executing;
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

        /** Only tasks whose scheduled send is deferred (true), or only tasks whose send is not (false). */
        public Builder deferred(boolean value) {
            this.deferred = value;
            return this;
        }

        /** Deferred or not (undoes {@link #deferred(boolean)}). */
        public Builder anyDeferral() {
            this.deferred = null;
            return this;
        }

        /** Only tasks hidden now: snoozed or held for a paused contact (true), or only visible ones (false). */
        public Builder hidden(boolean value) {
            this.hidden = value;
            return this;
        }

        /** Hidden or not (undoes {@link #hidden(boolean)}). */
        public Builder anyVisibility() {
            this.hidden = null;
            return this;
        }

        /** Only tasks due before {@code value} (null: any due time). */
        public Builder dueToBefore(Instant value) {
            this.dueToBefore = value;
            return this;
        }

        /** Only tasks with an execution under way (true), or only others (false). */
        public Builder executing(boolean value) {
            this.executing = value;
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

        /** Continues after the page that answered this cursor (null: the first page). */
        public Builder after(String value) {
            this.cursor = value;
            return this;
        }

        public Builder includeTotal() {
            this.includeTotal = true;
            return this;
        }

        /** Replaces the statuses filtered by (empty or null: every status). */
        public Builder statuses(Set<TaskStatus> values) {
            statuses.clear();
            if (values != null) {
                statuses.addAll(values);
            }
            return this;
        }

        /** Replaces the types filtered by (empty or null: every type). */
        public Builder types(Set<TaskType> values) {
            types.clear();
            if (values != null) {
                types.addAll(values);
            }
            return this;
        }

        /** Replaces the priorities filtered by (empty or null: every priority). */
        public Builder priorities(Set<Priority> values) {
            priorities.clear();
            if (values != null) {
                priorities.addAll(values);
            }
            return this;
        }

        /** Whether the total is counted (off by default). */
        public Builder includeTotal(boolean value) {
            this.includeTotal = value;
            return this;
        }

        /** Any scheduled flag (undoes {@link #scheduled(boolean)}). */
        public Builder anyScheduled() {
            this.scheduled = null;
            return this;
        }

        public TaskQuery build() {
            return new TaskQuery(this);
        }
    }
}
