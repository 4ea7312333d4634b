package dev.taskengine.api;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tasks a bulk call (snooze, unsnooze, reschedule) changes: 1 to {@link dev.taskengine.domain.Limits#BULK_MAX}
 * tasks named by id, or the tasks of a query's first page (its limit, at most as many, says how many).
 */
public final class TaskSelection {
    private final TenantId tenant;
    private final List<TaskId> ids;
    private final TaskQuery query;

    private TaskSelection(TenantId tenant, List<TaskId> ids, TaskQuery query) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.ids = ids;
        this.query = query;
    }

    /** The tasks {@code ids} name; null ids and a count out of range are refused by the call, every problem named. */
    public static TaskSelection ids(TenantId tenant, List<TaskId> ids) {
        return new TaskSelection(
                tenant,
                ids == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ids)),
                null);
    }

    /** The tasks of {@code query}'s first page. */
    public static TaskSelection matching(TaskQuery query) {
        Objects.requireNonNull(query, "query");
        return new TaskSelection(query.tenant(), null, query);
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The ids named, when the selection names ids (they may hold null: the call refuses it). */
    public Optional<List<TaskId>> ids() {
        return Optional.ofNullable(ids);
    }

    public Optional<TaskQuery> query() {
        return Optional.ofNullable(query);
    }

    @Override
    public String toString() {
        return ids != null ? "TaskSelection[" + tenant + ", ids=" + ids + "]" : "TaskSelection[" + query + "]";
    }
}
