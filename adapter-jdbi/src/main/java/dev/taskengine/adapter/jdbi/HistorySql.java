package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.HistoryRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code te_history} table as SQL: how an entry is stored and read back, and a {@link HistoryRequest} as one
 * statement whose WHERE means exactly {@link HistoryRequest#includes}, newest first by position. Types and statuses are
 * stored as {@link StoredCodes}, the actor as its {@link Actor#wireName()}, the changes as {@link HistoryChanges}.
 */
final class HistorySql {
    private HistorySql() {}

    /** The columns an entry is read from, position first. */
    private static final String COLUMNS = "position, id, tenant, task_id, version, occurred_at, actor, event_type,"
            + " status_before, status_after, changes, reason, note";

    private static final String STORED = "tenant, id, task_id, version, occurred_at, actor, event_type, status_before,"
            + " status_after, changes, reason, note";

    /** Keeps an entry: parameters as {@link #bind}. */
    static final String INSERT = "INSERT INTO te_history (" + STORED + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * The history of tasks whose last entry is a deletion before a time: parameter that time. (A task's last entry is
     * its deletion exactly while it is not stored again.)
     */
    static final String FORGET = "DELETE FROM te_history WHERE (tenant, task_id) IN (SELECT d.tenant, d.task_id"
            + " FROM te_history d WHERE d.event_type = " + StoredCodes.HISTORY_TYPE.code(TaskEventType.DELETED)
            + " AND d.occurred_at < ? AND NOT EXISTS (SELECT 1 FROM te_history l WHERE l.tenant = d.tenant"
            + " AND l.task_id = d.task_id AND l.position > d.position))";

    /** Binds {@code entry} to {@link #INSERT}. */
    static void bind(PreparedStatement statement, HistoryEntry entry) throws SQLException {
        statement.setString(1, entry.tenant().value());
        statement.setObject(2, entry.id());
        statement.setLong(3, entry.taskId().value());
        statement.setLong(4, entry.version());
        SqlTimes.set(statement, 5, entry.at());
        statement.setString(6, entry.actor().wireName());
        statement.setInt(7, StoredCodes.HISTORY_TYPE.code(entry.type()));
        status(statement, 8, entry.statusBefore());
        status(statement, 9, entry.statusAfter());
        statement.setString(10, HistoryChanges.encode(entry.changes()));
        statement.setString(11, entry.reason().orElse(null));
        statement.setString(12, entry.note().orElse(null));
    }

    private static void status(PreparedStatement statement, int position, Optional<TaskStatus> status)
            throws SQLException {
        if (status.isPresent()) {
            statement.setInt(position, StoredCodes.STATUS.code(status.get()));
        } else {
            statement.setNull(position, Types.SMALLINT);
        }
    }

    /** An entry with the position the store gave it. */
    record Positioned(long position, HistoryEntry entry) {}

    /** Reads the current row of a result set of this class's columns. */
    static Positioned read(ResultSet rs) throws SQLException {
        long position = rs.getLong(1);
        try {
            return new Positioned(
                    position,
                    new HistoryEntry(
                            rs.getObject(2, UUID.class),
                            TenantId.of(rs.getString(3)),
                            TaskId.of(rs.getLong(4)),
                            rs.getLong(5),
                            SqlTimes.read(rs.getObject(6, OffsetDateTime.class)),
                            Actor.parse(rs.getString(7)),
                            StoredCodes.HISTORY_TYPE.constant(rs.getInt(8)),
                            status(rs, 9),
                            status(rs, 10),
                            HistoryChanges.decode(rs.getString(11)),
                            Optional.ofNullable(rs.getString(12)),
                            Optional.ofNullable(rs.getString(13))));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(
                    "te_history row " + position + " does not make a history entry: " + e.getMessage(), e);
        }
    }

    private static Optional<TaskStatus> status(ResultSet rs, int column) throws SQLException {
        int code = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(StoredCodes.STATUS.constant(code));
    }

    /** SQL text with its parameters, in order. */
    record Page(String sql, List<Parameter> parameters) {
        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                parameters.get(i).bind(statement, i + 1);
            }
        }
    }

    @FunctionalInterface
    interface Parameter {
        void bind(PreparedStatement statement, int position) throws SQLException;
    }

    /** One page of {@code request}, one entry more than its limit (that one tells whether more follow). */
    static Page page(HistoryRequest request) {
        StringBuilder where = new StringBuilder("tenant = ?");
        List<Parameter> parameters = new ArrayList<>();
        String tenant = request.tenant().value();
        parameters.add((s, i) -> s.setString(i, tenant));
        request.taskId().ifPresent(id -> {
            where.append(" AND task_id = ?");
            parameters.add((s, i) -> s.setLong(i, id.value()));
        });
        request.actor().ifPresent(actor -> {
            where.append(" AND actor = ?");
            String wireName = actor.wireName();
            parameters.add((s, i) -> s.setString(i, wireName));
        });
        // Stored times are microseconds: at >= from (at < to) exactly when at >= (<) from (to) rounded up.
        request.from().ifPresent(from -> {
            where.append(" AND occurred_at >= ?");
            parameters.add((s, i) -> SqlTimes.set(s, i, SqlTimes.bounded(from)));
        });
        request.to().ifPresent(to -> {
            where.append(" AND occurred_at < ?");
            parameters.add((s, i) -> SqlTimes.set(s, i, SqlTimes.bounded(to)));
        });
        if (!request.types().isEmpty()) {
            where.append(" AND event_type IN ").append(StoredCodes.HISTORY_TYPE.sqlList(request.types()));
        }
        request.before().ifPresent(before -> {
            where.append(" AND position < ?");
            parameters.add((s, i) -> s.setLong(i, before));
        });
        long fetch = request.limit() + 1L;
        parameters.add((s, i) -> s.setLong(i, fetch));
        return new Page(
                "SELECT " + COLUMNS + " FROM te_history WHERE " + where + " ORDER BY position DESC LIMIT ?",
                parameters);
    }
}
