package dev.taskengine.bench.production;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.bench.Databases;
import dev.taskengine.bench.EngineFixture;
import dev.taskengine.bench.Fixtures;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Create and get over HTTP with 32 connections against the same calls on the engine in-process with 32 threads, on H2
 * and on PostgreSQL. See {@link #description()}.
 */
public final class HttpLoadWorkload implements Workload {
    static final int CONNECTIONS = 32;
    /** The server's pool: TaskServer gives HikariCP a maximum of 10 connections. The engine in-process gets as many. */
    static final int POOL_SIZE = 10;

    private static final List<String> DATABASES = List.of("h2", "postgresql");
    private static final List<String> OPERATIONS = List.of("create", "get");
    /** The tasks a get reads: the last ones the create phase made. */
    private static final int READ_SET = 1_000;
    /** wrk's threads: one event loop per core of this machine's two. */
    static final int WRK_THREADS = 2;

    /** A run over HTTP, with the connections the server had halfway through it. */
    private record HttpShot(Wrk.Run run, int connections) {}

    @Override
    public String name() {
        return "http-load";
    }

    @Override
    public String description() {
        return "Create (`POST /v3/tasks`) and get (`GET /v3/tasks/{id}`) through the runnable server, against the same"
                + " calls on the engine in-process (`create`, `get` without content), on a fresh H2 database in memory"
                + " and on a fresh PostgreSQL schema. The server (TaskServer) runs in a JVM of its own with this JVM's"
                + " heap and GC flags, on a free port, with its pool of " + POOL_SIZE + " connections and its"
                + " scheduler, webhooks off (so that no outbox is written); the engine in-process has a pool of "
                + POOL_SIZE + " on the same kind of database and a scheduler with the server's options (polling every"
                + " second), so that the two differ by HTTP alone. The driver is wrk (Debian's package, "
                + WRK_THREADS + " threads) over " + CONNECTIONS + " connections (HTTP/1.1 keep-alive; at least "
                + CONNECTIONS + " are open halfway through each run, checked in /proc/net/tcp) in a closed loop at full"
                + " speed, as is the in-process run with " + CONNECTIONS + " threads: 20 s of warm-up (a wrk run of"
                + " its own), then 30 s measured per operation per database (a full run). A get reads one of the"
                + " last 1,000 tasks created, at random. The server's create also reads the task back for its"
                + " answer. Latency (wrk's, per request) is service time: in a closed loop each connection waits for"
                + " its answer before the next request, so it cannot show the queueing of a steady arrival stream"
                + " meeting a stall (coordinated omission); the soak measures that from intended start times. Driver"
                + " and server share the machine's cores: the CPU each spent per request is reported. The server runs"
                + " on the bench's libraries (Jackson 2.19.2, which Flowable needs; the server alone ships 2.22.3).";
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        Wrk.requireInstalled();
        ClosedLoop loop = new ClosedLoop(
                CONNECTIONS,
                scale.pick(Duration.ofSeconds(1), Duration.ofSeconds(20)),
                scale.pick(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        List<Report.Series> latency = new ArrayList<>();
        for (String database : DATABASES) {
            Map<String, HttpShot> http = overHttp(loop.warmUp(), loop.measured(), database);
            Map<String, ClosedLoop.Shot> inProcess = inProcess(loop, database);
            for (String operation : OPERATIONS) {
                report(report, database, operation, http.get(operation), inProcess.get(operation));
                latency.add(new Report.Series(
                        operation + ", " + database,
                        percentilePoints(http.get(operation).run().percentilesMs())));
            }
        }
        report.figure(new Report.Figure(
                "http-load",
                "Latency over HTTP by percentile, " + CONNECTIONS + " connections, closed loop (service time)",
                "percentile, in nines (1 = p90, 2 = p99, 3 = p99.9)",
                "ms",
                false,
                true,
                latency));
    }

    private Map<String, HttpShot> overHttp(Duration warmUp, Duration measured, String database)
            throws IOException, InterruptedException {
        String url = database.equals("h2")
                ? ServerFork.h2Memory("http-load")
                : ServerFork.freshPostgres("bench_http_server");
        try (ServerFork server = ServerFork.start(url, List.of("--webhooks", "off"))) {
            Map<String, HttpShot> shots = new LinkedHashMap<>();
            for (String operation : OPERATIONS) {
                Wrk.Request request = operation.equals("create")
                        ? Wrk.Request.fixed(
                                "POST",
                                TaskApiClient.CREATE_PATH,
                                ServerFork.KEY,
                                TaskApiClient.createBody(Instant.now(), false))
                        : Wrk.Request.getAny(TaskApiClient.GET_PATH, ServerFork.KEY, lastCreated(server));
                Wrk.run(server, request, CONNECTIONS, WRK_THREADS, warmUp, () -> {});
                AtomicInteger connections = new AtomicInteger();
                Wrk.Run run = Wrk.run(
                        server,
                        request,
                        CONNECTIONS,
                        WRK_THREADS,
                        measured,
                        () -> connections.set(countConnections(server)));
                server.requireRunning();
                if (connections.get() < CONNECTIONS) {
                    throw new IllegalStateException("the server had " + connections.get() + " connections during the "
                            + operation + " run on " + database + ", fewer than " + CONNECTIONS);
                }
                shots.put(operation, new HttpShot(run, connections.get()));
            }
            return shots;
        }
    }

    /** Creates {@link #READ_SET} tasks through the server, over {@link #CONNECTIONS} connections; answers their ids. */
    private static List<Long> lastCreated(ServerFork server) throws InterruptedException {
        List<Long> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> creating = new ArrayList<>();
        for (int k = 0; k < CONNECTIONS; k++) {
            TaskApiClient client = server.client();
            int share = READ_SET / CONNECTIONS + (k < READ_SET % CONNECTIONS ? 1 : 0);
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < share; i++) {
                        ids.add(client.create(Instant.now(), false));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            creating.add(thread);
            thread.start();
        }
        for (Thread thread : creating) {
            thread.join();
        }
        if (ids.size() != READ_SET) {
            throw new IllegalStateException("made " + ids.size() + " of the " + READ_SET + " tasks the gets read");
        }
        return List.copyOf(ids);
    }

    private static int countConnections(ServerFork server) {
        try {
            return server.connections();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, ClosedLoop.Shot> inProcess(ClosedLoop loop, String database) throws InterruptedException {
        HikariDataSource pool = database.equals("h2")
                ? Databases.h2Memory("http_load", POOL_SIZE)
                : Databases.postgres("bench_http_inprocess", true, POOL_SIZE);
        try (EngineFixture fixture = EngineFixture.jdbi("http-load", pool)) {
            // As the server runs one, polling every second: the two sides differ by HTTP alone.
            TaskScheduler scheduler =
                    fixture.engine.scheduler(SchedulerOptions.defaults()).start();
            try {
                return createThenGet(loop, fixture);
            } finally {
                scheduler.stop();
            }
        }
    }

    private static Map<String, ClosedLoop.Shot> createThenGet(ClosedLoop loop, EngineFixture fixture)
            throws InterruptedException {
        TaskEngine engine = fixture.engine;
        RecentIds created = new RecentIds(READ_SET);
        List<ProcessHandle> cpuOf = List.of(ProcessHandle.current());
        Map<String, ClosedLoop.Shot> shots = new LinkedHashMap<>();
        shots.put(
                "create",
                loop.run(
                        k -> n -> created.offer(
                                engine.create(Fixtures.ACTOR, Fixtures.email(fixture.tenant, Instant.now()))
                                        .getOrElseThrow(HttpLoadWorkload::failure)
                                        .id()
                                        .value()),
                        cpuOf,
                        () -> {}));
        shots.put(
                "get",
                loop.run(
                        k -> n -> engine.get(fixture.tenant, TaskId.of(created.any()), false)
                                .getOrElseThrow(HttpLoadWorkload::failure),
                        cpuOf,
                        () -> {}));
        return shots;
    }

    private void report(
            Report report, String database, String operation, HttpShot httpShot, ClosedLoop.Shot inProcess) {
        Wrk.Run http = httpShot.run();
        Map<String, String> overHttp = parameters(database, operation, "connections");
        report.row(name(), "http", overHttp, "throughput", http.perSecond(), "req/s");
        report.row(name(), "http", overHttp, "p50", http.percentilesMs().get(50.0), "ms");
        report.row(name(), "http", overHttp, "p99", http.percentilesMs().get(99.0), "ms");
        report.row(name(), "http", overHttp, "p99.9", http.percentilesMs().get(99.9), "ms");
        report.row(name(), "http", overHttp, "max", http.maxMs(), "ms");
        report.row(name(), "http", overHttp, "errors", http.errorCount(), "");
        report.row(name(), "http", overHttp, "server CPU", http.serverCpuMsPerRequest(), "ms/req");
        report.row(name(), "http", overHttp, "driver CPU (wrk)", http.driverCpuMsPerRequest(), "ms/req");
        report.row(name(), "http", overHttp, "connections", httpShot.connections(), "");
        Map<String, String> local = parameters(database, operation, "threads");
        report.row(name(), "in-process", local, "throughput", inProcess.perSecond(), "ops/s");
        report.row(name(), "in-process", local, "p50", Latency.ms(inProcess.latency(), 50), "ms");
        report.row(name(), "in-process", local, "p99", Latency.ms(inProcess.latency(), 99), "ms");
        report.row(name(), "in-process", local, "errors", inProcess.errors().total(), "");
        report.row(name(), "in-process", local, "CPU", inProcess.cpuMsPerCall(0), "ms/op");
        noteErrors(report, "over HTTP", database, operation, http.errorCount(), http.describeErrors());
        noteErrors(
                report,
                "in-process",
                database,
                operation,
                inProcess.errors().total(),
                inProcess.errors().describe());
        report.target(new Report.Target(
                name(),
                String.format(
                        Locale.ROOT,
                        "%s over HTTP on %s ≥ 0.5× in-process at %d threads",
                        operation,
                        database,
                        CONNECTIONS),
                http.perSecond() / inProcess.perSecond(),
                "×",
                0.5,
                true,
                String.format(
                        Locale.ROOT,
                        "%,.0f req/s over %d connections / %,.0f ops/s in-process; pool of %d; p99 over HTTP %.1f ms",
                        http.perSecond(),
                        CONNECTIONS,
                        inProcess.perSecond(),
                        POOL_SIZE,
                        http.percentilesMs().get(99.0))));
    }

    private static void noteErrors(
            Report report, String how, String database, String operation, long failed, String described) {
        if (failed > 0) {
            report.note(String.format(
                    Locale.ROOT,
                    "http-load: %s %s on %s failed %d times: %s",
                    operation,
                    how,
                    database,
                    failed,
                    described));
        }
    }

    private static Map<String, String> parameters(String database, String operation, String callers) {
        return Map.of(
                "database",
                database,
                "operation",
                operation,
                callers,
                Integer.toString(CONNECTIONS),
                "pool",
                Integer.toString(POOL_SIZE));
    }

    /**
     * The latency at each of {@link Wrk#PERCENTILES}, its x the percentile's nines ({@code -log10(1 - p)}); none at or
     * below zero (no request answered in a smoke run's short window), as the axis is logarithmic.
     */
    private static List<Report.Point> percentilePoints(Map<Double, Double> latency) {
        List<Report.Point> points = new ArrayList<>();
        latency.forEach((percentile, ms) -> {
            if (ms > 0) {
                points.add(new Report.Point(-Math.log10(1 - percentile / 100), ms));
            }
        });
        return points;
    }

    private static IllegalStateException failure(TaskError error) {
        return new IllegalStateException(error.code() + ": " + error.message());
    }
}
