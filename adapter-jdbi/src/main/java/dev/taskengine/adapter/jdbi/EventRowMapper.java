package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.TaskEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Rebuilds a lifecycle event from a {@code te_task_event} row. */
final class EventRowMapper implements RowMapper<TaskEvent> {
    static final EventRowMapper INSTANCE = new EventRowMapper();

    private EventRowMapper() {}

    @Override
    public TaskEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TaskEvent(
                rs.getObject("id", UUID.class),
                StoredCodes.EVENT_TYPE.constant(rs.getString("type")),
                TenantId.of(rs.getString("tenant")),
                TaskId.of(rs.getLong("task_id")),
                rs.getLong("version"),
                SqlTimes.read(rs.getObject("occurred_at", OffsetDateTime.class)),
                Actor.parse(rs.getString("actor")),
                rs.getString("payload"));
    }
}
