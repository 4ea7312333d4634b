package dev.taskengine.api;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A query over history, newest entry first: one task's ({@link #forTask}) or a whole tenant's ({@link #forTenant}),
 * optionally only one actor's, only in the window {@code [from, to)}, only of some types; {@link #limit()} entries a
 * page, after the opaque cursor of the previous page. History is kept after a task is deleted, until the engine's
 * history retention has passed.
 */
public final class HistoryQuery {
    public static final int DEFAULT_LIMIT = 50;

    private final TenantId tenant;
    private final TaskId taskId;
    private final Actor actor;
    private final Instant from;
    private final Instant to;
    private final Set<TaskEventType> types;
    private final int limit;
    private final String cursor;

    private HistoryQuery(Builder b) {
        this.tenant = Objects.requireNonNull(b.tenant, "tenant");
        this.taskId = b.taskId;
        this.actor = b.actor;
        this.from = b.from;
        this.to = b.to;
        this.types = b.types.isEmpty() ? Set.of() : Set.copyOf(b.types);
        this.limit = b.limit;
        this.cursor = b.cursor;
    }

    /** One task's history. */
    public static Builder forTask(TenantId tenant, TaskId taskId) {
        Builder b = new Builder(tenant);
        b.taskId = Objects.requireNonNull(taskId, "taskId");
        return b;
    }

    /** A tenant's history, every task. */
    public static Builder forTenant(TenantId tenant) {
        return new Builder(tenant);
    }

    public TenantId tenant() {
        return tenant;
    }

    public Optional<TaskId> taskId() {
        return Optional.ofNullable(taskId);
    }

    public Optional<Actor> actor() {
        return Optional.ofNullable(actor);
    }

    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** The types kept; empty keeps every type. */
    public Set<TaskEventType> types() {
        return types;
    }

    public int limit() {
        return limit;
    }

    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    /** The same query's page after the page that answered {@code pageCursor}. */
    public HistoryQuery after(String pageCursor) {
        Builder b = new Builder(tenant);
        b.taskId = taskId;
        b.actor = actor;
        b.from = from;
        b.to = to;
        b.types.addAll(types);
        b.limit = limit;
        b.cursor = Objects.requireNonNull(pageCursor, "cursor");
        return b.build();
    }

    @Override
    public String toString() {
        return "HistoryQuery[tenant=" + tenant + ", task=" + taskId + ", actor=" + actor + ", from=" + from + ", to="
                + to + ", types=" + types + ", limit=" + limit + ", cursor=" + cursor + "]";
    }

    public static final class Builder {
        private final TenantId tenant;
        private TaskId taskId;
        private Actor actor;
        private Instant from;
        private Instant to;
        private final Set<TaskEventType> types = EnumSet.noneOf(TaskEventType.class);
        private int limit = DEFAULT_LIMIT;
        private String cursor;

        private Builder(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
        }

        public Builder actor(Actor value) {
            this.actor = value;
            return this;
        }

        /** Entries at or after {@code value}. */
        public Builder from(Instant value) {
            this.from = value;
            return this;
        }

        /** Entries before {@code value}. */
        public Builder to(Instant value) {
            this.to = value;
            return this;
        }

        public Builder types(TaskEventType first, TaskEventType... more) {
            types.add(first);
            types.addAll(java.util.Arrays.asList(more));
            return this;
        }

        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        public Builder after(String value) {
            this.cursor = value;
            return this;
        }

        public HistoryQuery build() {
            return new HistoryQuery(this);
        }
    }
}
