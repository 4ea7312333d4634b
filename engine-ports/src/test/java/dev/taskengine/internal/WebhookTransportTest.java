package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.taskengine.internal.WebhookTransport.Attempt;
import dev.taskengine.internal.WebhookTransport.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTransportTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final byte[] BODY = "{\"type\":\"task.created\"}".getBytes(StandardCharsets.UTF_8);
    private static final Settings LOCAL_HTTP = settings(true, true);

    @TempDir
    static Path keys;

    private static SSLContext serverTls;
    private static SSLContext clientTls;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final CountDownLatch testOver = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void makeASelfSignedCertificateForLocalhost() throws Exception {
        Path store = keys.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "localhost",
                        "-keyalg",
                        "EC",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        new String(PASSWORD),
                        "-keypass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(keyStore);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);
    }

    @AfterEach
    void closeEverything() throws Exception {
        testOver.countDown();
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void anAttemptPostsTheBodyAndHeadersAndAnswersTheStatus() throws IOException {
        AtomicReference<String> received = new AtomicReference<>();
        URI target = http(exchange -> {
            received.set(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " " + exchange.getRequestHeaders().getFirst("webhook-id") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 204, "");
        });

        Attempt attempt = transport(LOCAL_HTTP).post(target, Map.of("webhook-id", "msg_1"), BODY);

        assertThat(received).hasValue("POST application/json msg_1 {\"type\":\"task.created\"}");
        assertThat(attempt.statusCode()).isEqualTo(204);
        assertThat(attempt.delivered()).isTrue();
        assertThat(attempt.error()).isNull();
        assertThat(attempt.latency()).isPositive();
    }

    @Test
    void aRedirectIsNotFollowed() throws IOException {
        AtomicInteger redirected = new AtomicInteger();
        URI target = http(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                redirected.incrementAndGet();
                answer(exchange, 200, "");
            } else {
                exchange.getResponseHeaders().set("Location", "/moved");
                answer(exchange, 307, "");
            }
        });

        Attempt attempt = transport(LOCAL_HTTP).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isEqualTo(307);
        assertThat(attempt.delivered()).isFalse();
        assertThat(attempt.error()).contains("redirects are not followed");
        assertThat(redirected).hasValue(0);
    }

    @Test
    void aFailedAnswerCarriesAShortPrintableExcerptOfItsBody() throws IOException {
        URI target = http(exchange -> answer(exchange, 500, "database\r\n\u0007exploded " + "x".repeat(5000)));

        Attempt attempt = transport(LOCAL_HTTP).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isEqualTo(500);
        assertThat(attempt.error()).startsWith("HTTP 500: database exploded xxx");
        assertThat(attempt.error().substring("HTTP 500: ".length())).hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void anAnswerWithoutABodyIsItsStatus() throws IOException {
        URI target = http(exchange -> answer(exchange, 404, ""));

        assertThat(transport(LOCAL_HTTP).post(target, Map.of(), BODY).error()).isEqualTo("HTTP 404");
    }

    @Test
    void anEndlessAnswerIsReadOnlyUpToTheLimit() throws IOException {
        URI target = http(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] megabyte = new byte[1 << 20];
            try (OutputStream out = exchange.getResponseBody()) {
                // Far more than the transport reads: it ends the attempt without waiting for the end.
                for (int sent = 0; sent < 100_000; sent++) {
                    out.write(megabyte);
                }
            }
        });

        Attempt attempt = transport(new Settings(true, true, false, Duration.ofSeconds(5), Duration.ofMinutes(5), 64))
                .post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isEqualTo(200);
        assertThat(attempt.delivered()).isTrue();
    }

    @Test
    void aSubscriberThatDoesNotAnswerInTimeEndsTheAttemptInAnError() throws IOException {
        URI target = http(exchange -> {
            awaitTestOver();
            answer(exchange, 200, "");
        });

        Attempt attempt = transport(new Settings(true, true, false, Duration.ofSeconds(5), Duration.ofMillis(200), 64))
                .post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).isEqualTo("no answer within PT0.2S");
    }

    @Test
    void loopbackIsRefusedUnlessAllowed() throws IOException {
        URI target = http(exchange -> answer(exchange, 200, ""));

        Attempt attempt = transport(settings(true, false)).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).isEqualTo("refused: 127.0.0.1 is a loopback address");
        assertThat(requests).hasValue(0);
    }

    @Test
    void theCloudMetadataAddressIsRefusedWithoutARequest() throws IOException {
        Attempt attempt = transport(new Settings(true, true, true, Duration.ofSeconds(5), Duration.ofSeconds(30), 64))
                .post(URI.create("http://169.254.169.254/latest/meta-data/"), Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).isEqualTo("refused: 169.254.169.254 is a link-local address (cloud metadata)");
    }

    @Test
    void httpIsRefusedUnlessAllowed() throws IOException {
        URI target = http(exchange -> answer(exchange, 200, ""));

        Attempt attempt = transport(settings(false, true)).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).isEqualTo("refused: the scheme http is not allowed");
        assertThat(requests).hasValue(0);
    }

    @Test
    void httpsGoesThroughTheTunnelToLocalhostWhenLoopbackIsAllowed() throws IOException {
        AtomicReference<String> received = new AtomicReference<>();
        URI target = https(exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 200, "ok");
        });

        Attempt attempt = transport(settings(false, true)).post(target, Map.of(), BODY);

        assertThat(attempt.error()).isNull();
        assertThat(attempt.statusCode()).isEqualTo(200);
        assertThat(received).hasValue("{\"type\":\"task.created\"}");
    }

    @Test
    void httpsNeverGoesDirect() throws IOException {
        URI target = https(exchange -> answer(exchange, 200, ""));
        WebhookTransport transport = transport(settings(false, true));
        // With its tunnel closed, the transport has no way left to send https.
        transport.close();

        Attempt attempt = transport.post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(requests).hasValue(0);
        // Nor is that the receiver's failure.
        assertThat(attempt.interrupted()).isTrue();
    }

    @Test
    void httpsToLocalhostIsRefusedUnlessLoopbackIsAllowed() throws IOException {
        URI target = https(exchange -> answer(exchange, 200, ""));

        Attempt attempt = transport(settings(false, false)).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).startsWith("refused: ").contains("is a loopback address");
        assertThat(requests).hasValue(0);
    }

    @Test
    void retryAfterInSecondsIsReadFromATooManyRequestsAnswer() throws IOException {
        URI target = http(exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "120");
            answer(exchange, 429, "slow down");
        });

        Attempt attempt = transport(LOCAL_HTTP).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isEqualTo(429);
        assertThat(attempt.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(attempt.error()).isEqualTo("HTTP 429: slow down");
    }

    @Test
    void retryAfterAsADateIsNotRead() throws IOException {
        URI target = http(exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
            answer(exchange, 503, "");
        });

        assertThat(transport(LOCAL_HTTP).post(target, Map.of(), BODY).retryAfter())
                .isEmpty();
    }

    @Test
    void retryAfterIsNotReadFromOtherFailures() throws IOException {
        URI target = http(exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "120");
            answer(exchange, 500, "");
        });

        assertThat(transport(LOCAL_HTTP).post(target, Map.of(), BODY).retryAfter())
                .isEmpty();
    }

    @Test
    void aClosedPortEndsTheAttemptInAnError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI target = URI.create("http://127.0.0.1:" + closedPort + "/hooks");

        Attempt attempt = transport(LOCAL_HTTP).post(target, Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.error()).isEqualTo("cannot connect to 127.0.0.1:" + closedPort);
    }

    @Test
    void httpsToManyTargetsInTurnIsAllDelivered() throws IOException {
        // Each target leaves a pooled connection through its own tunnel: their number bounds nothing.
        List<URI> targets = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            targets.add(https(exchange -> answer(exchange, 204, "")));
        }
        WebhookTransport transport = transport(settings(false, true));

        for (URI target : targets) {
            Attempt attempt = transport.post(target, Map.of(), BODY);
            assertThat(attempt.error()).as(target.toString()).isNull();
            assertThat(attempt.statusCode()).isEqualTo(204);
        }
        assertThat(requests).hasValue(60);
    }

    @Test
    void anAttemptAfterTheTunnelIdledOutIsDelivered() throws Exception {
        URI target = https(exchange -> answer(exchange, 200, "ok"));
        WebhookTransport transport = new WebhookTransport(settings(false, true), clientTls, Duration.ofMillis(300));
        opened.add(transport);
        assertThat(transport.post(target, Map.of(), BODY).delivered()).isTrue();
        awaitUntil(() -> transport.establishedTunnels() == 0);

        Attempt attempt = transport.post(target, Map.of(), BODY);

        assertThat(attempt.error()).isNull();
        assertThat(attempt.delivered()).isTrue();
    }

    @Test
    void theTunnelOutlivesTheClientsKeepAlive() {
        assertThat(WebhookTransport.tunnelIdleTimeout(Duration.ofSeconds(1200), Duration.ofSeconds(15)))
                .isGreaterThan(Duration.ofSeconds(1200));
        assertThat(WebhookTransport.tunnelIdleTimeout(Duration.ofSeconds(30), Duration.ofMinutes(5)))
                .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theTunnelRefusesAConnectForATargetNoAttemptIsSendingTo() throws IOException {
        URI target = https(exchange -> answer(exchange, 200, ""));
        WebhookTransport transport = transport(settings(false, true));
        assertThat(transport.post(target, Map.of(), BODY).delivered()).isTrue();

        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), transport.tunnelPort())) {
            socket.getOutputStream()
                    .write(("CONNECT localhost:" + target.getPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 403 Forbidden");
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void aClosedTransportsTunnelNoLongerAccepts() throws IOException {
        WebhookTransport transport = transport(settings(false, true));
        int port = transport.tunnelPort();

        transport.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new java.net.Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void anInterruptedAttemptSaysSoAndIsNoFailureOfTheReceiver() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        URI target = https(exchange -> {
            reached.countDown();
            awaitTestOver();
            answer(exchange, 200, "");
        });
        WebhookTransport transport = transport(settings(false, true));
        AtomicReference<Attempt> attempt = new AtomicReference<>();
        Thread sender = new Thread(() -> attempt.set(transport.post(target, Map.of(), BODY)));
        sender.start();
        reached.await();

        sender.interrupt();
        sender.join();

        assertThat(attempt.get().interrupted()).isTrue();
        assertThat(attempt.get().delivered()).isFalse();
    }

    @Test
    void anAttemptThatIsNotInterruptedSaysSo() throws IOException {
        URI target = http(exchange -> answer(exchange, 500, ""));

        assertThat(transport(LOCAL_HTTP).post(target, Map.of(), BODY).interrupted())
                .isFalse();
    }

    @Test
    void aHostThatDoesNotResolveIsNamed() throws IOException {
        // Whether the lookup fails or runs out of time, the attempt ends within its budget and names the host.
        Attempt attempt =
                transport(settings(false, true)).post(URI.create("https://no-such-host.invalid/hooks"), Map.of(), BODY);

        assertThat(attempt.statusCode()).isZero();
        assertThat(attempt.interrupted()).isFalse();
        assertThat(attempt.error()).startsWith("the host no-such-host.invalid ");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited a minute in vain")
                    .isNegative();
            Thread.sleep(20);
        }
    }

    private static Settings settings(boolean allowHttp, boolean allowLoopback) {
        return new Settings(allowHttp, allowLoopback, false, Duration.ofSeconds(5), Duration.ofSeconds(30), 4096);
    }

    private WebhookTransport transport(Settings settings) throws IOException {
        WebhookTransport transport = new WebhookTransport(settings, clientTls);
        opened.add(transport);
        return transport;
    }

    private URI http(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        return serve(server, handler, "http://127.0.0.1:");
    }

    private URI https(HttpHandler handler) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        return serve(server, handler, "https://localhost:");
    }

    private URI serve(HttpServer server, HttpHandler handler, String base) {
        ExecutorService threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
        opened.add(threads::shutdownNow);
        opened.add(() -> server.stop(0));
        return URI.create(base + server.getAddress().getPort() + "/hooks");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void awaitTestOver() {
        try {
            testOver.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
