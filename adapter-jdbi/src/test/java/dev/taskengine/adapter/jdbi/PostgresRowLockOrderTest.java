package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.contract.Writes;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A write of several tasks locks their rows in ascending id order, whatever order it is given them in, as a renewal of
 * leases does: a batch of outcomes and a renewal of the same leases then never wait for each other in a cycle, a
 * deadlock that PostgreSQL breaks only after {@code deadlock_timeout} (a second) by failing one of them. Found by the
 * scheduler-lateness workload of engine-bench: one such deadlock in each 3-minute stream.
 */
class PostgresRowLockOrderTest {
    private final DataSource dataSource = TestDatabase.POSTGRESQL.dataSource();
    private final JdbiTaskStore store = TestDatabase.POSTGRESQL.store();
    private final TenantId tenant = freshTenant();

    @Test
    void aBatchOfUpdatesHoldsTheLowerIdWhileItWaitsForTheHigherOneGivenFirst() throws Exception {
        Task lower = insert(stored(tenant, store.nextId(), TaskStatus.NEW));
        Task higher = insert(stored(tenant, store.nextId(), TaskStatus.NEW));
        assertThat(higher.id()).isGreaterThan(lower.id());
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            assertThat(lock(other, higher)).isTrue();

            CompletableFuture<List<Either<TaskError, Task>>> batch =
                    CompletableFuture.supplyAsync(() -> store.updateAll(List.of(started(higher), started(lower))));
            awaitBatchWaitingForALock();

            assertThat(lock(other, lower))
                    .as("the batch has locked the lower id before waiting for the higher one")
                    .isFalse();
            other.rollback();
            assertThat(batch.get(30, TimeUnit.SECONDS)).allMatch(Either::isRight);
        }
    }

    private Task insert(Task task) {
        store.insert(task, Writes.created(task), List.of());
        return task;
    }

    private static TaskWrite started(Task task) {
        Task changed = task.start(NOW).get();
        return new TaskWrite(changed, task.version(), Writes.entry(changed), List.of());
    }

    /** Whether {@code connection} could lock the row of {@code task} at once. */
    private static boolean lock(Connection connection, Task task) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT 1 FROM te_task WHERE tenant = ? AND id = ? FOR UPDATE NOWAIT")) {
            select.setString(1, task.tenant().value());
            select.setLong(2, task.id().value());
            select.executeQuery().close();
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Waits up to 30 s until a backend's UPDATE of te_task waits for a row lock. */
    private void awaitBatchWaitingForALock() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection watcher = dataSource.getConnection();
                PreparedStatement waiting = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE te_task SET version%'")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the batch never waited for the row locked by the other transaction");
    }
}
