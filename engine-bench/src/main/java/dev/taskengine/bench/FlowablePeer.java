package dev.taskengine.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.flowable.common.engine.impl.history.HistoryLevel;
import org.flowable.common.engine.impl.persistence.StrongUuidGenerator;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.TaskService;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.flowable.task.api.Task;

/**
 * Flowable 7 as a standalone engine (no Spring) on the host's data source, used through its {@link TaskService} with
 * standalone tasks (no process): the way a host would bend a BPM engine's task service to this job.
 */
public final class FlowablePeer implements AutoCloseable {
    private final ProcessEngine engine;
    private final TaskService tasks;
    private final HikariDataSource dataSource;

    /** Engines shared by the benchmarks of a smoke run, which builds each configuration once. */
    private static final Map<String, FlowablePeer> SHARED = new ConcurrentHashMap<>();

    private boolean shared;

    private FlowablePeer(ProcessEngine engine, HikariDataSource dataSource) {
        this.engine = engine;
        this.tasks = engine.getTaskService();
        this.dataSource = dataSource;
    }

    /**
     * Flowable on {@code db}: {@code h2} (a fresh database in memory) or {@code postgresql} (schema {@code schema}, made
     * afresh). In a smoke run, one engine per configuration serves every benchmark (closed by {@link #closeShared}).
     */
    public static FlowablePeer on(String db, String schema, HistoryLevel history) {
        if (!Databases.smoke()) {
            return open(db, schema, history);
        }
        FlowablePeer peer = SHARED.computeIfAbsent(
                db + "/" + (db.equals("h2") ? "" : schema) + "/" + history.getKey(), key -> open(db, schema, history));
        peer.shared = true;
        return peer;
    }

    private static FlowablePeer open(String db, String schema, HistoryLevel history) {
        return switch (db) {
            case "h2" -> build(Databases.h2Memory(schema), null, history, false);
            case "postgresql" -> build(Databases.postgres(schema, true), schema, history, false);
            default -> throw new IllegalArgumentException("no database " + db);
        };
    }

    /**
     * Flowable on the PostgreSQL schema {@code schema}, made afresh, behind a pool of {@code poolSize} connections; never
     * shared, since a chosen pool size means the pool is what is measured. With the id generator Flowable recommends
     * for concurrent use, {@link StrongUuidGenerator}: its default draws id blocks in a transaction of its own, on a
     * second connection, and with more threads than connections every connection was held by a thread waiting for its
     * second (32 threads on 16 connections timed out).
     */
    public static FlowablePeer onPostgres(String schema, HistoryLevel history, int poolSize) {
        HikariDataSource dataSource = Databases.postgres(schema, true, poolSize);
        ProcessEngineConfigurationImpl configuration = configuration(dataSource, schema, history, false);
        configuration.setIdGenerator(new StrongUuidGenerator());
        return new FlowablePeer(configuration.buildProcessEngine(), dataSource);
    }

    /** Closes the engines a smoke run shared. */
    public static void closeShared() {
        SHARED.values().forEach(peer -> {
            peer.shared = false;
            peer.close();
        });
        SHARED.clear();
    }

    /**
     * Builds the engine on {@code dataSource} (its tables are created when absent), with the history level given:
     * {@code audit} is Flowable's default. {@code schema} is the PostgreSQL schema the pool's connections use, or null.
     * {@code lean} disables the IDM engine and the event registry, which a task-only host does not need.
     */
    public static FlowablePeer build(HikariDataSource dataSource, String schema, HistoryLevel history, boolean lean) {
        return new FlowablePeer(configuration(dataSource, schema, history, lean).buildProcessEngine(), dataSource);
    }

    private static ProcessEngineConfigurationImpl configuration(
            HikariDataSource dataSource, String schema, HistoryLevel history, boolean lean) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl)
                ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration();
        configuration.setEngineName("bench-" + UUID.randomUUID());
        configuration.setDataSource(dataSource);
        configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        if (schema != null) {
            configuration.setDatabaseSchema(schema);
        }
        configuration.setHistoryLevel(history);
        configuration.setAsyncExecutorActivate(false);
        if (lean) {
            configuration.setDisableIdmEngine(true);
            configuration.setDisableEventRegistry(true);
        }
        return configuration;
    }

    public TaskService taskService() {
        return tasks;
    }

    /** Creates a standalone task carrying what the engine's task carries: subject, body, assignee, due date, tenant, type. */
    public String create(String tenant, String subject, String body, Instant now) {
        Task task = tasks.newTask();
        task.setName(subject);
        task.setDescription(body);
        task.setAssignee(Fixtures.OWNER.toString());
        task.setDueDate(Date.from(now.plus(Duration.ofDays(1))));
        task.setTenantId(tenant);
        task.setCategory("manualEmail");
        tasks.saveTask(task);
        return task.getId();
    }

    /** Create, reassign, complete: three calls, each its own transaction in Flowable. */
    public String lifecycle(String tenant, Instant now) {
        String id = create(tenant, Fixtures.SUBJECT, Fixtures.BODY, now);
        tasks.setAssignee(id, Fixtures.OTHER.toString());
        tasks.complete(id);
        return id;
    }

    /** Flowable's get by id: a task query on the id. */
    public Task get(String id) {
        return tasks.createTaskQuery().taskId(id).singleResult();
    }

    @Override
    public void close() {
        if (shared) {
            return;
        }
        engine.close();
        Databases.close(dataSource);
    }
}
