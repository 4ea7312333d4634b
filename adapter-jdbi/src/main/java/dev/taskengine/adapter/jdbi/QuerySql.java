package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.store.Keyset;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * A {@link TaskQuery} as SQL: its filters as one WHERE clause meaning exactly {@link TaskQuery#matches}, its sort as
 * ORDER BY (the sort column, then id, in the same direction), its page as a keyset condition and a LIMIT, and its total
 * as a COUNT over the same filters. Only enum codes are written into the SQL text; every value is a bound parameter.
 */
final class QuerySql {
    private final StringBuilder where = new StringBuilder("tenant = :tenant");
    private final List<Consumer<SqlStatement<?>>> bindings = new ArrayList<>();

    private QuerySql(TaskQuery query, Instant now) {
        String tenant = query.tenant().value();
        bindings.add(s -> s.bind("tenant", tenant));
        in("status", StoredCodes.STATUS, query.statuses());
        in("task_type", StoredCodes.TASK_TYPE, query.types());
        in("priority", StoredCodes.PRIORITY, query.priorities());
        query.assignee().ifPresent(user -> equal("assigned_user_id", "assignee", user.value()));
        query.sequenceId().ifPresent(sequence -> equal("sequence_id", "sequence", sequence.value()));
        query.sequenceStepId().ifPresent(step -> equal("sequence_step_id", "step", step.value()));
        query.contactId().ifPresent(contact -> equal("contact_id", "contact", contact.value()));
        query.startAtFrom().ifPresent(from -> time("start_at >= :start_from", "start_from", from));
        query.startAtTo().ifPresent(to -> time("start_at < :start_to", "start_to", to));
        if (query.overdue()) {
            where.append(" AND status IN ").append(TaskSql.ACTIVE_STATUSES);
            time("due_to < :now", "now", now);
        }
        query.scheduled().ifPresent(scheduled -> {
            where.append(" AND scheduled = :scheduled");
            bindings.add(s -> s.bind("scheduled", scheduled.booleanValue()));
        });
        query.deferred()
                .ifPresent(deferred ->
                        where.append(deferred ? " AND deferred_until IS NOT NULL" : " AND deferred_until IS NULL"));
        query.hidden().ifPresent(hidden -> {
            // Task#hiddenAt: its snooze or pause ends after now, that is the later end (hidden_until) is after now.
            // A stored time is after now exactly when it is after now truncated to the microsecond.
            where.append(
                    hidden
                            ? " AND hidden_until > :hidden_now"
                            : " AND (hidden_until IS NULL OR hidden_until <= :hidden_now)");
            Instant at = SqlTimes.clamp(now);
            bindings.add(s -> s.bind("hidden_now", SqlTimes.stored(at)));
        });
        query.dueToBefore().ifPresent(before -> time("due_to < :due_to_before", "due_to_before", before));
        query.executing()
                .ifPresent(executing ->
                        where.append(executing ? " AND execution_key IS NOT NULL" : " AND execution_key IS NULL"));
    }

    /** One page: the tasks strictly after {@code after}, in order, one more than the limit (that one tells hasMore). */
    static Statement page(TaskQuery query, Optional<Keyset> after, Instant now) {
        if (query.limit() < 0) {
            throw new IllegalArgumentException("a page limit is not negative: " + query.limit());
        }
        QuerySql sql = new QuerySql(query, now);
        TaskSort sort = query.sort();
        String column = sortColumn(sort);
        after.ifPresent(position -> sql.keyset(sort, column, position));
        String direction = sort.ascending() ? "ASC" : "DESC";
        sql.bindings.add(s -> s.bind("fetch", query.limit() + 1L));
        return new Statement(
                "SELECT " + TaskSql.COLUMNS + " FROM te_task WHERE " + sql.where + " ORDER BY " + column + " "
                        + direction + ", id " + direction + " LIMIT :fetch",
                sql.bindings);
    }

    /** How many tasks pass the filters, paging ignored. */
    static Statement count(TaskQuery query, Instant now) {
        QuerySql sql = new QuerySql(query, now);
        return new Statement("SELECT COUNT(*) FROM te_task WHERE " + sql.where, sql.bindings);
    }

    /**
     * Strictly after {@code position} in {@code sort}: {@code (column, id) > (:key, :after_id)} ascending, {@code <}
     * descending. A key finer than a microsecond (only a hand-made cursor has one) is moved to the microsecond key that
     * keeps exactly the same stored rows: ascending, {@code (floor, MAX)} selects column ≥ ceil; descending,
     * {@code (ceil, MIN)} selects column ≤ floor.
     */
    private void keyset(TaskSort sort, String column, Keyset position) {
        Instant key = SqlTimes.clamp(position.sortKey());
        long id = position.id().value();
        if (!SqlTimes.isMicros(key)) {
            Instant floor = key.truncatedTo(ChronoUnit.MICROS);
            key = sort.ascending() ? floor : floor.plus(1, ChronoUnit.MICROS);
            id = sort.ascending() ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        Instant boundKey = key;
        long boundId = id;
        where.append(" AND (")
                .append(column)
                .append(", id) ")
                .append(sort.ascending() ? ">" : "<")
                .append(" (:after_key, :after_id)");
        bindings.add(s -> s.bind("after_key", SqlTimes.stored(boundKey)).bind("after_id", boundId));
    }

    /** The column each sort orders by: this adapter's own mapping (each has a keyset index, see the migration). */
    static String sortColumn(TaskSort sort) {
        TaskSql.Column column = switch (sort) {
            case START_AT_ASC, START_AT_DESC -> TaskSql.Column.START_AT;
            case DUE_TO_ASC, DUE_TO_DESC -> TaskSql.Column.DUE_TO;
            case CREATED_AT_ASC, CREATED_AT_DESC -> TaskSql.Column.CREATED_AT;
            case UPDATED_AT_ASC, UPDATED_AT_DESC -> TaskSql.Column.UPDATED_AT;
        };
        return column.sql();
    }

    private <E extends Enum<E>> void in(String column, StoredCodes.Codes<E> codes, Set<E> values) {
        if (!values.isEmpty()) {
            where.append(" AND ").append(column).append(" IN ").append(codes.sqlList(values));
        }
    }

    private void equal(String column, String parameter, long value) {
        where.append(" AND ").append(column).append(" = :").append(parameter);
        bindings.add(s -> s.bind(parameter, value));
    }

    private void time(String condition, String parameter, Instant value) {
        where.append(" AND ").append(condition);
        bindings.add(s -> s.bind(parameter, SqlTimes.bound(value)));
    }

    /** SQL text with the bindings it needs. */
    record Statement(String sql, List<Consumer<SqlStatement<?>>> bindings) {
        <S extends SqlStatement<S>> S bind(S statement) {
            bindings.forEach(binding -> binding.accept(statement));
            return statement;
        }
    }
}
