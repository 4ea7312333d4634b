package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server delivers the tenants' webhooks: its scheduler posts a task's event to a subscription's receiver. */
class WebhookDeliveryTest {

    record Received(String method, Map<String, String> headers, String body) {}

    @Test
    void aTaskCreatedOverHttpReachesALoopbackReceiver(@TempDir Path dir) throws Exception {
        LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            received.add(new Received(exchange.getRequestMethod(), headers, body));
        });
        receiver.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServerOptions options = ServerOptions.defaults()
                .withPort(0)
                .withDatabase("jdbc:h2:mem:hooks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withApiKeys(List.of("k=acme:7"))
                .withContacts(Path.of("examples/contacts.json"))
                .withSentMessages(dir.resolve("sent.jsonl"))
                .withWebhooksAllowHttp(true)
                .withWebhooksAllowPrivate(true);
        try (TaskServer server = TaskServer.start(options, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("webhooks:      on")
                    .contains("loopback and private addresses allowed");
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HttpResponse<String> subscribed =
                    TaskServerTest.post(server.port(), "/v3/webhooks", "k", """
                    {"url": "%s", "eventTypes": ["task.created"]}""".formatted(url));
            assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            String subscription = subscribed.body().replaceAll("^\\{\"id\":\"([0-9a-f-]+)\",.*", "$1");

            HttpResponse<String> created = TaskServerTest.post(server.port(), "/v3/tasks", "k", """
                    {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                     "template": {"body": "Call Ada"}, "contactId": 1}""");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = created.body().replaceAll("^\\{\"id\":([0-9]+),.*", "$1");

            // The scheduler relays the event and delivers it on its own; wait for it, with a deadline.
            Received delivery = received.poll(30, TimeUnit.SECONDS);

            assertThat(delivery).as("a delivery within 30 s").isNotNull();
            assertThat(delivery.method()).isEqualTo("POST");
            assertThat(delivery.headers()).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
            assertThat(delivery.body()).contains("\"type\":\"task.created\"").contains("\"taskId\":" + id);

            HttpResponse<String> log = TaskServerTest.HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v3/webhooks/"
                                    + subscription + "/deliveries"))
                            .header("X-API-Key", "k")
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
            assertThat(log.body()).contains(delivery.headers().get("webhook-id"));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void withWebhooksOffTheRoutesAnswer404(@TempDir Path dir) throws Exception {
        ServerOptions options = ServerOptions.defaults()
                .withPort(0)
                .withDatabase("jdbc:h2:mem:nohooks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withApiKeys(List.of("k=acme:7"))
                .withSentMessages(dir.resolve("sent.jsonl"))
                .withWebhooks(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TaskServer server = TaskServer.start(options, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            HttpResponse<String> answer = TaskServerTest.post(server.port(), "/v3/webhooks", "k", """
                    {"url": "https://hooks.example/x"}""");

            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).contains("webhook.unavailable");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("webhooks:      off");
        }
    }
}
