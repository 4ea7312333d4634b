package dev.taskengine.adapter.http;

import dev.taskengine.server.ServerOptions;
import dev.taskengine.server.TaskServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The runnable server as the tests start it: an H2 database in memory, a contacts file and a sent-messages file in a
 * temporary folder, a random port, and fixed keys for several tenants.
 */
final class TestServer implements AutoCloseable {
    static final String ACME = "key-acme";        // tenant acme, user 7
    static final String GLOBEX = "key-globex";    // tenant globex, user 9
    static final String PAGES = "key-pages";      // tenant pages, user 3 (paging tests)
    static final String TOPO = "key-topo";        // tenant topo, user 5
    static final String TOPO_PAGES = "key-topo-pages"; // tenant topo-pages, user 5
    static final String BULK = "key-bulk";        // tenant bulk, user 4

    static final String CONTACTS = """
            [
              {"id": 1, "firstName": "Ada", "lastName": "Lovelace", "email": "ada@analytical.example",
               "phone": "+44 20 7946 0001", "linkedInUrl": "https://www.linkedin.com/in/ada", "company": "Analytical Engines",
               "title": "CTO", "customFields": {"meetingLink": "https://meet.example/ada"}},
              {"id": 2, "firstName": "Grace", "lastName": "Hopper", "phone": "+1 202 555 0102", "company": "Compilers & Co"},
              {"id": 3, "firstName": "Alan", "lastName": "Turing", "email": "alan@bletchley.example", "phone": "+44 1908 640404"}
            ]
            """;

    final TaskServer server;
    final Client client;
    final Path sentMessages;
    final String output;

    private TestServer(TaskServer server, Path sentMessages, String output) {
        this.server = server;
        this.client = new Client(server.port());
        this.sentMessages = sentMessages;
        this.output = output;
    }

    static TestServer start(Path dir) {
        return start(dir, UnaryOperator.identity());
    }

    static TestServer start(Path dir, UnaryOperator<ServerOptions> tweak) {
        try {
            Path contacts = dir.resolve("contacts.json");
            Files.writeString(contacts, CONTACTS);
            Path sent = dir.resolve("sent-messages.jsonl");
            ServerOptions options = tweak.apply(ServerOptions.defaults()
                    .withPort(0)
                    .withDatabase("jdbc:h2:mem:http-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                    .withApiKeys(List.of(ACME + "=acme:7", GLOBEX + "=globex:9", PAGES + "=pages:3", TOPO + "=topo:5",
                            TOPO_PAGES + "=topo-pages:5", BULK + "=bulk:4"))
                    .withContacts(contacts)
                    .withSentMessages(sent));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TaskServer server = TaskServer.start(options, new PrintStream(out, true, StandardCharsets.UTF_8));
            return new TestServer(server, options.sentMessages(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> sentLines() {
        try {
            return Files.exists(sentMessages) ? Files.readAllLines(sentMessages) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
