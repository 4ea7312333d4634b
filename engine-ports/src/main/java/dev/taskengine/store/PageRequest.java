package dev.taskengine.store;

import dev.taskengine.api.TaskQuery;
import dev.taskengine.domain.Task;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One page a store is asked for: the tasks that {@link TaskQuery#matches} at {@link #now()}, in the query's sort order,
 * strictly after {@link #after()} when there is a position (the first page otherwise).
 */
public final class PageRequest {
    private final TaskQuery query;
    private final Keyset after;
    private final Instant now;

    private PageRequest(TaskQuery query, Keyset after, Instant now) {
        this.query = Objects.requireNonNull(query, "query");
        this.after = after;
        this.now = Objects.requireNonNull(now, "now");
    }

    public static PageRequest first(TaskQuery query, Instant now) {
        return new PageRequest(query, null, now);
    }

    public static PageRequest after(TaskQuery query, Keyset position, Instant now) {
        return new PageRequest(query, Objects.requireNonNull(position, "position"), now);
    }

    public TaskQuery query() {
        return query;
    }

    public Optional<Keyset> after() {
        return Optional.ofNullable(after);
    }

    public Instant now() {
        return now;
    }

    /** Whether {@code task} belongs to this page's range: it matches and comes after the position, if there is one. */
    public boolean includes(Task task) {
        return query.matches(task, now) && (after == null || after.precedes(task, query.sort()));
    }

    @Override
    public String toString() {
        return "PageRequest[" + query + ", after=" + after + ", now=" + now + "]";
    }
}
