package dev.taskengine.contract;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback for tests: it checks every request's signature as a receiver would (Standard Webhooks:
 * HMAC-SHA256 over {@code id.timestamp.body} with the key the secret encodes), records what it received, and answers
 * with the status its responder picks.
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Received> received = new ArrayList<>();
    private volatile Supplier<List<String>> secrets = List::of;
    private volatile Function<Received, Integer> responder = request -> 200;

    /**
     * A request as it arrived: its Standard Webhooks headers, its body, whether the signature is one of the expected
     * secrets', and the status it was answered with.
     */
    public record Received(
            String id,
            String timestamp,
            String signature,
            String body,
            boolean signatureValid,
            Instant receivedAt,
            int answered) {}

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL deliveries are posted to: {@code http://127.0.0.1:<port>/hooks}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    public URI uri() {
        return URI.create(url());
    }

    /** The secrets a valid signature may be made with (any one of them): a receiver's configuration. */
    public WebhookReceiver expectSecrets(Supplier<List<String>> value) {
        this.secrets = value;
        return this;
    }

    /** Answers each request with the status {@code value} picks (200 by default). */
    public WebhookReceiver answer(Function<Received, Integer> value) {
        this.responder = value;
        return this;
    }

    /** Every request received so far, in the order they arrived. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The requests answered 2xx, in order. */
    public List<Received> accepted() {
        return received().stream()
                .filter(r -> r.answered() >= 200 && r.answered() < 300)
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean valid = verifies(id, timestamp, body, signature, secrets.get());
            Received request = new Received(id, timestamp, signature, body, valid, Instant.now(), 0);
            int status = responder.apply(request);
            synchronized (received) {
                received.add(new Received(id, timestamp, signature, body, valid, request.receivedAt(), status));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    /**
     * The receiver's check, as a receiver writes it: the signature header lists {@code v1,<base64>} entries; one of them
     * is the HMAC-SHA256, keyed by one of the secrets, of {@code id + "." + timestamp + "." + body}.
     */
    public static boolean verifies(String id, String timestamp, String body, String header, List<String> secrets) {
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            for (String secret : secrets) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                for (String entry : header.split(" ")) {
                    if (entry.startsWith("v1,")
                            && MessageDigest.isEqual(
                                    expected, Base64.getDecoder().decode(entry.substring(3)))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
