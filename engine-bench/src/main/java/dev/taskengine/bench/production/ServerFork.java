package dev.taskengine.bench.production;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.bench.Databases;
import dev.taskengine.bench.Fixtures;
import dev.taskengine.domain.Contact;
import dev.taskengine.server.TaskServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runnable server ({@link TaskServer}) in a JVM of its own, started as a host starts it: the bench's java and class
 * path, this JVM's heap and GC flags ({@link #heapFlags}), any free port of 127.0.0.1, one API key (tenant of its own,
 * user {@link Fixtures#OWNER}), a contacts file with {@link Fixtures#CONTACT} and a sent-messages file in a folder of
 * its own. Ready once it prints where it listens. {@link #close} stops it (SIGTERM: a graceful stop, forcibly after a
 * minute) and deletes its folder; a shutdown hook kills it should this JVM end first.
 */
final class ServerFork implements AutoCloseable {
    static final String KEY = "bench-key";

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern HEAP_FLAG = Pattern.compile("-Xm[nsx].+|-XX:[+-]Use\\w+GC|-XX:\\w*(RAM|Heap)\\w*=.+");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final int KEPT_LINES = 200;

    private final Path folder;
    private final Process process;
    private final Thread killer;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<URI> listening = new CompletableFuture<>();

    private ServerFork(Path folder, Process process) {
        this.folder = folder;
        this.process = process;
        this.killer = new Thread(process::destroyForcibly, "server-fork-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        Thread reader = new Thread(this::readOutput, "server-fork-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a server on the JDBC URL {@code database}, with {@code options} beside the ones it always gets. */
    static ServerFork start(String database, List<String> options) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("bench-server-");
        Path contacts = folder.resolve("contacts.json");
        new ObjectMapper().writeValue(contacts.toFile(), List.of(contactJson(Fixtures.CONTACT)));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(heapFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TaskServer.class.getName()));
        command.addAll(List.of("--port", "0", "--host", "127.0.0.1", "--database", database));
        command.addAll(
                List.of("--api-key", KEY + "=" + Fixtures.tenant("server").value() + ":" + Fixtures.OWNER.value()));
        command.addAll(List.of("--contacts", contacts.toString()));
        command.addAll(
                List.of("--sent-messages", folder.resolve("sent-messages.jsonl").toString()));
        command.addAll(options);
        ServerFork fork = new ServerFork(
                folder, new ProcessBuilder(command).redirectErrorStream(true).start());
        try {
            fork.listening.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return fork;
        } catch (ExecutionException | TimeoutException e) {
            fork.close();
            throw new IllegalStateException(
                    "the server did not start"
                            + (e instanceof TimeoutException ? " within " + READY_TIMEOUT.toSeconds() + " s" : "")
                            + ":\n" + fork.output(),
                    e);
        } catch (InterruptedException e) {
            fork.close();
            throw e;
        }
    }

    /** This JVM's heap and GC flags ({@code -Xmx…}, {@code -XX:+UseG1GC}, {@code -XX:MaxRAMPercentage=…}), for a fork. */
    static List<String> heapFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> HEAP_FLAG.matcher(a).matches())
                .toList();
    }

    /** A fresh H2 database in the server's memory. */
    static String h2Memory(String name) {
        return "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /**
     * The URL of the PostgreSQL schema {@code schema} of the bench's server, with its credentials, the schema dropped (with
     * everything in it) and created anew.
     */
    static String freshPostgres(String schema) {
        Databases.requirePostgres();
        try (Connection connection =
                        DriverManager.getConnection(Databases.PG_URL, Databases.PG_USER, Databases.PG_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL schema " + schema + ": " + e.getMessage(), e);
        }
        return Databases.PG_URL + (Databases.PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&user="
                + URLEncoder.encode(Databases.PG_USER, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(Databases.PG_PASSWORD, StandardCharsets.UTF_8);
    }

    URI base() {
        return listening.join();
    }

    TaskApiClient client() {
        return new TaskApiClient(base(), KEY);
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    Path sentMessages() {
        return folder.resolve("sent-messages.jsonl");
    }

    /** The server's end of every established TCP connection to its port (from /proc/net/tcp). */
    int connections() throws IOException {
        int port = base().getPort();
        int established = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && fields[1].contains(":") && !fields[0].equals("sl")) {
                    String localPort = fields[1].substring(fields[1].lastIndexOf(':') + 1);
                    if (Integer.parseInt(localPort, 16) == port && fields[3].equals("01")) {
                        established++;
                    }
                }
            }
        }
        return established;
    }

    /** Fails with the server's output when it is no longer running. */
    void requireRunning() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the server exited with status " + process.exitValue() + ":\n" + output());
        }
    }

    /** The last lines the server printed. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Stops the server gracefully (forcibly after a minute); its folder stays until {@link #close}. */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteFolder();
        }
    }

    private void readOutput() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > KEPT_LINES) {
                        output.removeFirst();
                    }
                }
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    listening.complete(URI.create(matcher.group(1) + "/"));
                }
            }
        } catch (IOException e) {
            // the stream closes when the process ends
        }
        listening.completeExceptionally(new IllegalStateException("the server exited"));
    }

    private void deleteFolder() {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }

    private static Map<String, Object> contactJson(Contact contact) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", contact.id().value());
        contact.firstName().ifPresent(v -> json.put("firstName", v));
        contact.lastName().ifPresent(v -> json.put("lastName", v));
        contact.email().ifPresent(v -> json.put("email", v));
        contact.phone().ifPresent(v -> json.put("phone", v));
        contact.company().ifPresent(v -> json.put("company", v));
        contact.title().ifPresent(v -> json.put("title", v));
        return json;
    }
}
