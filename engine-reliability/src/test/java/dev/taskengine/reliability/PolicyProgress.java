package dev.taskengine.reliability;

import dev.taskengine.domain.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where a run of {@link PolicyWeek} stands, read from the store's tables by the test that moves the clock: which tasks
 * the scheduler still has to do something with, and the next instant one of them becomes claimable.
 */
final class PolicyProgress {
    /**
     * The earliest of: a task's next execution (its start, retry or deferral), a deferred resend's end of deferral, and
     * just after the lease of an execution under way runs out (the claim takes a lease that is over, not one ending now).
     */
    private static final String NEXT_EVENT = "SELECT MIN(t) FROM ("
            + " SELECT next_execution_at AS t FROM te_task WHERE tenant = ? AND next_execution_at IS NOT NULL"
            + " UNION ALL SELECT deferred_until FROM te_task"
            + "  WHERE tenant = ? AND execution_key IS NOT NULL AND deferred_until IS NOT NULL"
            + " UNION ALL SELECT claim_until + INTERVAL '1 millisecond' FROM te_task"
            + "  WHERE tenant = ? AND execution_key IS NOT NULL AND deferred_until IS NULL AND claim_until IS NOT NULL"
            + ") AS due";

    private static final String PENDING = "SELECT COUNT(*) FROM te_task"
            + " WHERE tenant = ? AND (next_execution_at IS NOT NULL OR execution_key IS NOT NULL)";

    /** How far the clock moves while something is due and was not claimed at the last step. */
    static final Duration STEP = Duration.ofSeconds(10);

    private PolicyProgress() {}

    /** Tasks still to be sent, or sent without their outcome recorded. */
    static long pending(DataSource dataSource, TenantId tenant) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(PENDING)) {
            statement.setString(1, tenant.value());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<Instant> nextEvent(DataSource dataSource, TenantId tenant) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(NEXT_EVENT)) {
            for (int i = 1; i <= 3; i++) {
                statement.setString(i, tenant.value());
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return Optional.ofNullable(rows.getObject(1, OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The clock's next instant: the next event when it lies ahead; a {@link #STEP} on when something is due now (it
     * waits for a claim, a batch of the other engine, a lease of a dead one); empty when nothing is left to do.
     */
    static Optional<Instant> nextInstant(DataSource dataSource, TenantId tenant, Instant now) {
        return nextEvent(dataSource, tenant).map(next -> next.isAfter(now) ? next : now.plus(STEP));
    }
}
