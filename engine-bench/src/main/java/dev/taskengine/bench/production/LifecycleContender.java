package dev.taskengine.bench.production;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskRef;
import dev.taskengine.bench.Databases;
import dev.taskengine.bench.EngineFixture;
import dev.taskengine.bench.Fixtures;
import dev.taskengine.bench.FlowablePeer;
import dev.taskengine.bench.RawJdbi;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.flowable.common.engine.impl.history.HistoryLevel;

/**
 * One contender of the concurrent lifecycle (create → reassign → complete, each step its own transaction) on
 * PostgreSQL, in a fresh schema of its own behind a pool of {@link #POOL_SIZE} connections: the engine on adapter-jdbi,
 * Flowable 7's TaskService with history {@code audit} and {@code none}, and the raw Jdbi floors on the engine's tables:
 * {@code jdbi} (the three statements) and {@code jdbi-history} (each with its history row, as the engine writes).
 * Beside its pool it keeps one connection of its own to the schema, for {@code ANALYZE} and the server's statistics.
 */
final class LifecycleContender implements AutoCloseable {
    /** The pool every contender gets. */
    static final int POOL_SIZE = 16;

    /** The contenders, in the order a workload runs them. */
    static final List<String> NAMES = List.of("engine", "flowable-audit", "flowable-none", "jdbi", "jdbi-history");

    private final String name;
    private final String schema;
    private final Supplier<Object> lifecycle;
    private final Runnable closeContender;
    private final HikariDataSource admin;

    private LifecycleContender(String name, String schema, Supplier<Object> lifecycle, Runnable closeContender) {
        this.name = name;
        this.schema = schema;
        this.lifecycle = lifecycle;
        this.closeContender = closeContender;
        try {
            this.admin = Databases.postgres(schema, false, 1);
        } catch (RuntimeException e) {
            closeContender.run();
            throw e;
        }
    }

    /** Contender {@code name} in the schema {@code <schemaPrefix>_<name>}, dropped and made afresh. */
    static LifecycleContender open(String name, String schemaPrefix) {
        String schema = schemaPrefix + "_" + name.replace('-', '_');
        return switch (name) {
            case "engine" -> {
                EngineFixture engine = EngineFixture.jdbi("lifecycle", Databases.postgres(schema, true, POOL_SIZE));
                yield new LifecycleContender(name, schema, () -> engineLifecycle(engine), engine::close);
            }
            case "flowable-audit" -> flowable(name, schema, HistoryLevel.AUDIT);
            case "flowable-none" -> flowable(name, schema, HistoryLevel.NONE);
            case "jdbi" -> {
                // The floor writes into the engine's own table and indexes, in a schema of its own.
                EngineFixture tables = EngineFixture.jdbi("lifecycle", Databases.postgres(schema, true, POOL_SIZE));
                RawJdbi raw = new RawJdbi(tables.dataSource, true);
                yield new LifecycleContender(
                        name, schema, () -> raw.lifecycle(tables.tenant, Instant.now()), tables::close);
            }
            case "jdbi-history" -> {
                EngineFixture tables = EngineFixture.jdbi("lifecycle", Databases.postgres(schema, true, POOL_SIZE));
                RawJdbi raw = new RawJdbi(tables.dataSource, true);
                yield new LifecycleContender(
                        name, schema, () -> raw.lifecycleWithHistory(tables.tenant, Instant.now()), tables::close);
            }
            default ->
                throw new IllegalArgumentException(
                        "no lifecycle contender " + name + "; the contenders are " + String.join(", ", NAMES));
        };
    }

    private static LifecycleContender flowable(String name, String schema, HistoryLevel history) {
        FlowablePeer flowable = FlowablePeer.onPostgres(schema, history, POOL_SIZE);
        String tenant = Fixtures.tenant("lifecycle").value();
        return new LifecycleContender(name, schema, () -> flowable.lifecycle(tenant, Instant.now()), flowable::close);
    }

    private static Object engineLifecycle(EngineFixture fixture) {
        Task created = fixture.engine
                .create(Fixtures.ACTOR, Fixtures.email(fixture.tenant, Instant.now()))
                .getOrElseThrow(LifecycleContender::failure);
        TaskRef ref = TaskRef.of(Fixtures.ACTOR, fixture.tenant, created.id());
        fixture.engine.reassign(ref, Fixtures.OTHER, ReassignScope.TASK).getOrElseThrow(LifecycleContender::failure);
        return fixture.engine.complete(ref, Completion.done()).getOrElseThrow(LifecycleContender::failure);
    }

    private static IllegalStateException failure(TaskError error) {
        return new IllegalStateException(
                "the engine refused a lifecycle step: " + error.code() + ": " + error.message());
    }

    String name() {
        return name;
    }

    /** One create → reassign → complete; answers what the last step answered. */
    Object lifecycle() {
        return lifecycle.get();
    }

    /**
     * Runs {@code lifecycles} lifecycles on {@code threads} threads: the table's content before a measurement, and
     * the JIT's warm-up.
     */
    void fill(int lifecycles, int threads) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(lifecycles);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        lifecycle();
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " failed while filling its tables: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code ANALYZE} of every table in the contender's schema, so that the planner has statistics: a generic plan made
     * on a never-analyzed, empty table can pick the wrong index and keep it until the first autoanalyze.
     */
    void analyze() {
        withConnection(connection -> {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = ?")) {
                query.setString(1, schema);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            if (tables.isEmpty()) {
                throw new IllegalStateException("schema " + schema + " of " + name + " has no table to analyze");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE " + String.join(", ", tables));
            }
            return null;
        });
    }

    /** The server's WAL position in bytes (the server's, not the schema's: every database on it writes there). */
    long walBytes() {
        return withConnection(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs =
                            statement.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** What PostgreSQL's statistics say of the contender's tables, summed over its schema. */
    record TableFacts(
            long liveTuples,
            long deadTuples,
            long updates,
            long hotUpdates,
            long autovacuums,
            long autoanalyzes,
            long totalBytes,
            long indexBytes) {
        /** The change from {@code before} of the counters; the state (tuples, sizes) as it is now. */
        TableFacts since(TableFacts before) {
            return new TableFacts(
                    liveTuples,
                    deadTuples,
                    updates - before.updates,
                    hotUpdates - before.hotUpdates,
                    autovacuums - before.autovacuums,
                    autoanalyzes - before.autoanalyzes,
                    totalBytes,
                    indexBytes);
        }
    }

    TableFacts tableFacts() {
        return withConnection(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT coalesce(sum(n_live_tup), 0),"
                    + " coalesce(sum(n_dead_tup), 0), coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_hot_upd), 0),"
                    + " coalesce(sum(autovacuum_count), 0), coalesce(sum(autoanalyze_count), 0),"
                    + " coalesce(sum(pg_total_relation_size(relid)), 0), coalesce(sum(pg_indexes_size(relid)), 0)"
                    + " FROM pg_stat_user_tables WHERE schemaname = ?")) {
                query.setString(1, schema);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return new TableFacts(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getLong(7),
                            rs.getLong(8));
                }
            }
        });
    }

    private interface SqlWork<T> {
        T on(Connection connection) throws SQLException;
    }

    private <T> T withConnection(SqlWork<T> work) {
        try (Connection connection = admin.getConnection()) {
            return work.on(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read PostgreSQL's state of " + name + " in schema " + schema + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            closeContender.run();
        } finally {
            Databases.close(admin);
        }
    }
}
