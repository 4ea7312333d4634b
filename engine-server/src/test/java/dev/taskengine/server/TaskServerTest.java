package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskServerTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static int get(int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void withoutKeysOneDemoKeyIsGeneratedPrintedAndAccepted(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServerOptions options = ServerOptions.defaults()
                .withPort(0)
                .withDatabase("jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withSentMessages(dir.resolve("sent.jsonl"));
        try (TaskServer server = TaskServer.start(options, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            Matcher key = Pattern.compile("API key: +(demo-[0-9a-f]{32}) +\\(generated")
                    .matcher(out.toString(StandardCharsets.UTF_8));

            assertThat(key.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
            assertThat(get(server.port(), "/v1/tasks", key.group(1))).isEqualTo(200);
            assertThat(get(server.port(), "/v1/tasks", "demo-guess")).isEqualTo(401);
        }
    }

    @Test
    void anEmailExecutedOverHttpIsAppendedToTheSentMessagesFileForTheExampleContact(@TempDir Path dir)
            throws Exception {
        Path sent = dir.resolve("sent.jsonl");
        ServerOptions options = ServerOptions.defaults()
                .withPort(0)
                .withDatabase("jdbc:h2:mem:sent-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withApiKeys(List.of("k=acme:7"))
                .withContacts(Path.of("examples/contacts.json"))
                .withSentMessages(sent);
        try (TaskServer server =
                TaskServer.start(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            HttpResponse<String> created = post(server.port(), "/v3/tasks", "k", """
                    {"taskType": "manualEmail", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                     "template": {"subject": "Hello {{firstName}}", "body": "Hi {{firstName}}"}, "contactId": 1}""");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = created.body().replaceAll("^\\{\"id\":([0-9]+),.*", "$1");

            HttpResponse<String> executed = post(server.port(), "/v3/tasks/" + id + "/execute", "k", "{}");

            assertThat(executed.statusCode()).as(executed.body()).isEqualTo(200);
            assertThat(java.nio.file.Files.readAllLines(sent))
                    .singleElement()
                    .asString()
                    .startsWith("{\"idempotencyKey\":\"acme/" + id + "/2\",")
                    .contains("\"channel\":\"email\",\"emailAccountId\":7,\"to\":\"ada@analytical.example\","
                            + "\"subject\":\"Hello Ada\",\"body\":\"Hi Ada\"");
        }
    }

    @Test
    void theSendingSettingsFilesLimitsApplyToTheServersAccounts(@TempDir Path dir) throws Exception {
        Path settings = java.nio.file.Files.writeString(
                dir.resolve("sending.json"),
                "{\"tenants\": {\"acme\": {\"accounts\": {\"email:7\": {\"perDay\": 1}}}}}");
        ServerOptions options = ServerOptions.defaults()
                .withPort(0)
                .withDatabase("jdbc:h2:mem:limits-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withApiKeys(List.of("k=acme:7"))
                .withContacts(Path.of("examples/contacts.json"))
                .withSendingSettings(settings)
                .withSentMessages(dir.resolve("sent.jsonl"));
        try (TaskServer server =
                TaskServer.start(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            List<Integer> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String created = post(server.port(), "/v3/tasks", "k", """
                        {"taskType": "manualEmail", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                         "template": {"subject": "Hello", "body": "Hi"}, "contactId": 1}""").body();
                String id = created.replaceAll("^\\{\"id\":([0-9]+),.*", "$1");
                answers.add(post(server.port(), "/v3/tasks/" + id + "/execute", "k", "{}")
                        .statusCode());
            }

            assertThat(answers).containsExactly(200, 429);
        }
    }

    @Test
    void aBadSendingSettingsFileStopsTheServerFromStartingWithItsProblems(@TempDir Path dir) throws Exception {
        Path settings = java.nio.file.Files.writeString(
                dir.resolve("sending.json"), "{\"defaults\": {\"limits\": {\"perDay\": 0, \"jitter\": \"soon\"}}}");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TaskServer.class.getName(),
                        "--port",
                        "0",
                        "--database",
                        "jdbc:h2:mem:refused;DB_CLOSE_DELAY=-1",
                        "--sending-settings",
                        settings.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isEqualTo(2);
        assertThat(output)
                .contains("sending settings file " + settings + " is refused, 3 problems:")
                .contains("/defaults/limits/perDay: a whole number of sends")
                .contains("/defaults/limits/jitter: an ISO-8601 duration")
                .contains("/defaults/limits/jitter: jitter lengthens the minimum gap")
                .doesNotContain("listening on");
    }

    static HttpResponse<String> post(int port, String path, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sigtermStopsTheServerGracefully(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                TaskServer.class.getName(),
                "--port",
                "0",
                "--database",
                "jdbc:h2:mem:sigterm;DB_CLOSE_DELAY=-1",
                "--api-key",
                "k=acme:1",
                "--sent-messages",
                dir.resolve("sent.jsonl").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            for (int skipped = 0; first != null && !first.contains("listening on") && skipped < 50; skipped++) {
                first = lines.readLine();
            }
            assertThat(first).as("a line says where it listens").contains("listening on http://127.0.0.1:");
            int port = Integer.parseInt(first.replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1"));
            assertThat(get(port, "/v3/tasks/1", "k")).isEqualTo(404);

            process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)

            StringBuilder rest = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                rest.append(line).append('\n');
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(rest)
                    .contains("Stopping: finishing requests and executions in flight")
                    .contains("Stopped.");
            assertThat(process.exitValue()).isEqualTo(143);
        } finally {
            process.destroyForcibly();
        }
    }
}
