package dev.taskengine.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the suite's own, {@code <version>/faults} on port 5433 (TASKENGINE_PG_FAULTS_PORT), which the
 * database-fault test stops and starts. It is never the README's cluster ({@code main}, which other test runs share):
 * only the cluster named {@code faults} is ever created, stopped or started here.
 *
 * <p>{@link #ensure()} creates the cluster when it is missing and starts it when it is down, with Debian's
 * postgresql-common tools ({@code pg_createcluster}, {@code pg_ctlcluster}, as {@code bash .ci/run} installs them), then
 * creates the role and database {@code taskengine} (password {@code taskengine}) in it: idempotent, so it runs on a fresh
 * CI machine as on a developer's. It needs root (CI runs as root). Without the tools or root the test is skipped with
 * one line saying how to run it, and on CI ({@code CI=true}) it fails instead.
 */
final class FaultCluster {
    static final String NAME = "faults";
    static final int PORT = Integer.parseInt(Postgres.env("TASKENGINE_PG_FAULTS_PORT", "5433"));
    static final String URL = "jdbc:postgresql://127.0.0.1:" + PORT + "/taskengine";
    static final String USER = "taskengine";
    static final String PASSWORD = "taskengine";

    private static String version;

    private FaultCluster() {}

    /**
     * Makes sure the cluster exists, runs and has the database; skips (fails on CI) where that is not possible. Answers
     * whether it was running already, so that a test can leave it as it found it.
     */
    static synchronized boolean ensure() {
        Optional<String> missing = prerequisites();
        if (missing.isPresent()) {
            String line = "PostgreSQL fault test skipped: " + missing.get()
                    + ". To run it, install PostgreSQL (`bash .ci/run` does)"
                    + " and run the tests as root: it creates and restarts a cluster of its own, " + "<version>/" + NAME
                    + " on port "
                    + PORT + ".";
            System.err.println(line);
            Skips.skipOrFail("The PostgreSQL fault", missing.get(), line);
        }
        version = newestVersion();
        Optional<String[]> cluster = cluster();
        if (cluster.isEmpty()) {
            // Started by the test only, never at boot.
            run(
                    Duration.ofMinutes(2),
                    "pg_createcluster",
                    "--start-conf=manual",
                    version,
                    NAME,
                    "-p",
                    Integer.toString(PORT));
            cluster = cluster();
        }
        if (!cluster.orElseThrow()[2].equals(Integer.toString(PORT))) {
            throw new IllegalStateException("cluster " + version + "/" + NAME + " listens on port " + cluster.get()[2]
                    + ", not " + PORT + "; set TASKENGINE_PG_FAULTS_PORT or drop it with pg_dropcluster --stop "
                    + version + " " + NAME);
        }
        boolean wasRunning = cluster.get()[3].startsWith("online");
        if (!wasRunning) {
            start();
        }
        awaitReady(Duration.ofSeconds(60));
        String roleExists = psql("SELECT 1 FROM pg_roles WHERE rolname = 'taskengine'");
        if (!roleExists.strip().equals("1")) {
            psql("CREATE ROLE taskengine LOGIN PASSWORD 'taskengine'");
        }
        String databaseExists = psql("SELECT 1 FROM pg_database WHERE datname = 'taskengine'");
        if (!databaseExists.strip().equals("1")) {
            psql("CREATE DATABASE taskengine OWNER taskengine");
        }
        return wasRunning;
    }

    static String label() {
        return version + "/" + NAME + " (port " + PORT + ")";
    }

    /** Stops the cluster at once, closing every connection (an outage as a crash or a failover looks to clients). */
    static void stop() {
        run(Duration.ofMinutes(1), "pg_ctlcluster", version, NAME, "stop", "-m", "fast");
    }

    /** Starts the cluster unless it runs already. */
    static void start() {
        if (!cluster().map(fields -> fields[3].startsWith("online")).orElse(false)) {
            run(Duration.ofMinutes(1), "pg_ctlcluster", version, NAME, "start");
        }
    }

    static void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (exec(Duration.ofSeconds(10), "pg_isready", "-q", "-h", "127.0.0.1", "-p", Integer.toString(PORT))
                            .exit()
                    == 0) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("cluster " + label() + " did not accept connections within " + timeout);
    }

    private static Optional<String> prerequisites() {
        for (String tool :
                List.of("pg_lsclusters", "pg_createcluster", "pg_ctlcluster", "pg_isready", "psql", "runuser")) {
            if (onPath(tool).isEmpty()) {
                return Optional.of("there is no " + tool + " on this machine");
            }
        }
        if (!runsAsRoot()) {
            return Optional.of("the tests do not run as root, so they cannot create or restart a PostgreSQL cluster");
        }
        if (!Files.isDirectory(Path.of("/etc/postgresql"))) {
            return Optional.of("PostgreSQL is not installed (no /etc/postgresql)");
        }
        return Optional.empty();
    }

    private static boolean runsAsRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0
                    && "root".equals(System.getProperty("user.name"));
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Optional<Path> onPath(String tool) {
        return Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                        Stream.of("/usr/bin", "/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String newestVersion() {
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString())
                    .filter(v -> v.matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(Double::parseDouble))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL version under /etc/postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This version's {@code faults} cluster as pg_lsclusters lists it: version, name, port, status, … */
    private static Optional<String[]> cluster() {
        return run(Duration.ofSeconds(30), "pg_lsclusters", "-h")
                .lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length >= 4 && fields[0].equals(version) && fields[1].equals(NAME))
                .findFirst();
    }

    private static String psql(String sql) {
        return run(
                Duration.ofSeconds(60),
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-p",
                Integer.toString(PORT),
                "-qtAc",
                sql);
    }

    private record Result(int exit, String output) {}

    private static String run(Duration timeout, String... command) {
        Result result = exec(timeout, command);
        if (result.exit() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (" + result.exit() + "): " + result.output());
        }
        return result.output();
    }

    private static Result exec(Duration timeout, String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, onPath(command[0]).map(Path::toString).orElse(command[0]));
        try {
            // From the root: the commands run as postgres, which may not enter the build's folder (a private temp dir),
            // and psql would mix its complaint about that into the answer.
            Process process = new ProcessBuilder(line)
                    .directory(new java.io.File("/"))
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(
                    process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
