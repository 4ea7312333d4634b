package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a server in a child JVM on an H2 file (its URL without {@code DB_CLOSE_ON_EXIT}), with requests and
 * scheduled executions in flight: every request answered gets its normal answer (never a 500), and every execution the
 * scheduler had under way finishes, its message sent once and its task recorded finished.
 */
class ShutdownUnderLoadTest {
    static final ObjectMapper JSON = new ObjectMapper();
    // Enough that the scheduler is still at work when the signal comes, on a fast machine too.
    static final int SCHEDULED = 400;

    @Test
    void sigtermUnderLoadAnswersEveryRequestInFlightAndRecordsEveryExecutionInFlight(@TempDir Path dir)
            throws Exception {
        Path sent = dir.resolve("sent.jsonl");
        String database = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";WRITE_DELAY=0";
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                TaskServer.class.getName(),
                "--port",
                "0",
                "--database",
                database,
                "--api-key",
                "k=acme:1",
                "--contacts",
                Path.of("examples/contacts.json").toAbsolutePath().toString(),
                "--sent-messages",
                sent.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            for (int skipped = 0; first != null && !first.contains("listening on") && skipped < 50; skipped++) {
                first = lines.readLine();
            }
            assertThat(first).as("a line says where it listens").contains("listening on http://127.0.0.1:");
            int port = Integer.parseInt(first.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1"));
            Thread drain = new Thread(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            });
            drain.start();

            // Scheduled emails, all due at once a little later: the scheduler executes them while the load runs.
            Instant due = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < SCHEDULED; i++) {
                Answer created = send(port, "POST", "/v3/tasks", scheduledEmail(due));
                assertThat(created.status()).as(created.body()).isEqualTo(201);
            }

            // The load: requests on fresh connections, each answer (or a refused connection) recorded.
            AtomicBoolean loading = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread thread = new Thread(() -> {
                    for (int i = 0; loading.get(); i++) {
                        try {
                            answers.add(
                                    client % 2 == 0
                                            ? send(port, "POST", "/v3/tasks", email())
                                            : send(port, "POST", "/v3/tasks/filter?top=50", "{}"));
                        } catch (IOException refused) {
                            answers.add(new Answer(0, refused.toString()));
                            sleep(5);
                        }
                    }
                });
                thread.start();
                clients.add(thread);
            }
            // SIGTERM once the scheduler has begun executing and requests are being answered.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((lineCount(sent) == 0 || answers.size() < 20) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(lineCount(sent)).as("the scheduler began executing").isPositive();
            assertThat(lineCount(sent))
                    .as("executions are still to come at SIGTERM")
                    .isLessThan(SCHEDULED);
            int answeredBefore = answers.size();
            process.toHandle().destroy(); // SIGTERM

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            loading.set(false);
            for (Thread thread : clients) {
                thread.join(30_000);
            }
            drain.join(10_000);

            List<Answer> answered =
                    answers.stream().filter(a -> a.status() != 0).toList();
            assertThat(answered.size())
                    .as("requests were answered after SIGTERM")
                    .isGreaterThan(answeredBefore);
            assertThat(answered)
                    .as(output.toString())
                    .allSatisfy(answer ->
                            assertThat(answer.status()).as(answer.body()).isIn(200, 201));
            assertThat(output).doesNotContain("Database is already closed").contains("Stopped.");
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        // Each message sent once, and each task whose message was sent recorded finished; the rest left to do.
        Map<Long, Integer> sentPerTask = new HashMap<>();
        for (String line : Files.readAllLines(sent)) {
            sentPerTask.merge(JSON.readTree(line).get("taskId").asLong(), 1, Integer::sum);
        }
        assertThat(sentPerTask.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
        Map<Long, Boolean> finished = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(database);
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT id, finished_at, status FROM te_task WHERE scheduled")) {
            while (rows.next()) {
                finished.put(rows.getLong(1), rows.getTimestamp(2) != null);
            }
        }
        assertThat(finished).hasSize(SCHEDULED);
        finished.forEach((id, done) -> assertThat(done)
                .as("task %d: sent %s", id, sentPerTask.containsKey(id))
                .isEqualTo(sentPerTask.containsKey(id)));
    }

    static String scheduledEmail(Instant due) {
        return """
                {"taskType": "manualEmail", "startAt": "%s", "dueTo": "2030-01-01T00:00:00Z", "isScheduled": true,
                 "template": {"subject": "Hello {{firstName}}", "body": "Hi {{firstName}}"}, "contactId": 1}""".formatted(due);
    }

    static String email() {
        return """
                {"taskType": "manualEmail", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"subject": "Hello {{firstName}}", "body": "Hi {{firstName}}"}, "contactId": 1}""";
    }

    static long lineCount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Answer(int status, String body) {}

    /** One request on a connection of its own; an IOException when the connection is refused or closed unanswered. */
    static Answer send(int port, String method, String path, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: k\r\nContent-Type: application/json"
                            + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 ")) {
                throw new IOException("closed unanswered: '" + answer + "'");
            }
            int status = Integer.parseInt(answer.substring(9, 12));
            int split = answer.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? "" : answer.substring(split + 4));
        }
    }
}
