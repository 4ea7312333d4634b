package dev.taskengine.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * One webhook delivery attempt at a time: a POST of a JSON body to a subscriber, with the addresses it may reach checked
 * ({@link WebhookTargets#addressRefusal}), no redirects followed and no more of the answer read than a limit. It never
 * throws for what the network or the subscriber does: each attempt ends in an {@link Attempt}.
 *
 * <p>Before each attempt the target's host is resolved and every address checked. An https request then goes through a
 * {@link PinnedTunnel}, which resolves and checks again and connects only to an address it checked, so a host that
 * resolves differently the second time (DNS rebinding) still reaches no refused address. An http request (only when
 * {@link Settings#allowHttp}) goes direct, so for http the check before sending is the only one.
 */
final class WebhookTransport implements AutoCloseable {
    static final int MAX_EXCERPT_CHARS = 200;

    /**
     * @param allowHttp            whether http targets may be used besides https ones (for development hosts)
     * @param allowLoopback        whether loopback addresses may be reached
     * @param allowPrivateNetworks whether private-network addresses may be reached
     * @param connectTimeout       how long a connection may take
     * @param requestTimeout       how long an attempt may take from the request to the end of the answer's read part
     * @param maxResponseBytes     how much of an answer's body is read at most
     */
    record Settings(
            boolean allowHttp,
            boolean allowLoopback,
            boolean allowPrivateNetworks,
            Duration connectTimeout,
            Duration requestTimeout,
            int maxResponseBytes) {
        Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive");
            }
            if (maxResponseBytes < 0) {
                throw new IllegalArgumentException("maxResponseBytes must not be negative");
            }
        }
    }

    /**
     * How one attempt ended.
     *
     * @param statusCode the answer's HTTP status; 0 when there was no answer
     * @param latency    from sending the request to the end of reading the answer
     * @param error      what went wrong; null when delivered
     * @param retryAfter how long the subscriber asked to be left alone (Retry-After in seconds, on a 429 or 503)
     * @param interrupted whether the attempt was cut short by the engine stopping (its thread interrupted, or the
     *                    transport closed): it says nothing of the receiver
     */
    record Attempt(int statusCode, Duration latency, String error, Optional<Duration> retryAfter, boolean interrupted) {
        Attempt {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        Attempt(int statusCode, Duration latency, String error, Optional<Duration> retryAfter) {
            this(statusCode, latency, error, retryAfter, false);
        }

        static Attempt failed(Duration latency, String error) {
            return new Attempt(0, latency, error, Optional.empty());
        }

        static Attempt interrupted(Duration latency) {
            return new Attempt(0, latency, "interrupted", Optional.empty(), true);
        }

        static Attempt closed(Duration latency) {
            return new Attempt(0, latency, "the transport was closed", Optional.empty(), true);
        }

        boolean delivered() {
            return statusCode >= 200 && statusCode < 300;
        }
    }

    // The JDK's HttpClient keeps an idle connection in its pool this long (jdk.httpclient.keepalive.timeout, seconds;
    // 1200 by default in the JDK 17, less in later ones).
    private static final Duration CLIENT_KEEP_ALIVE =
            Duration.ofSeconds(Long.getLong("jdk.httpclient.keepalive.timeout", 1200));
    private static final int RESOLVER_THREADS = 4;

    private final Settings settings;
    private final ThreadPoolExecutor resolver;
    private final PinnedTunnel tunnel;
    private final HttpClient client;
    private volatile boolean closed;

    WebhookTransport(Settings settings) throws IOException {
        this(settings, defaultSslContext());
    }

    /** With the TLS trust of {@code sslContext} instead of the JDK's default: for tests with their own certificates. */
    WebhookTransport(Settings settings, SSLContext sslContext) throws IOException {
        this(settings, sslContext, tunnelIdleTimeout(CLIENT_KEEP_ALIVE, settings.requestTimeout()));
    }

    /** With the tunnel closing an established tunnel idle for {@code tunnelIdleTimeout}: for tests. */
    WebhookTransport(Settings settings, SSLContext sslContext, Duration tunnelIdleTimeout) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        AtomicInteger threads = new AtomicInteger();
        this.resolver = new ThreadPoolExecutor(
                RESOLVER_THREADS, RESOLVER_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "webhook-resolver-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        resolver.allowCoreThreadTimeOut(true);
        this.tunnel =
                new PinnedTunnel(this::refusal, this::resolveInTunnel, settings.connectTimeout(), tunnelIdleTimeout);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .proxy(new TunnelForHttps(new InetSocketAddress(InetAddress.getLoopbackAddress(), tunnel.port())))
                .sslContext(sslContext)
                .build();
    }

    /**
     * How long the tunnel keeps an established tunnel that carries nothing: longer than the client keeps an idle
     * connection in its pool, so that the client, not the tunnel, always ends an idle pooled connection. A connection the
     * tunnel had closed could otherwise be taken from the pool for a POST at the moment it closes, and fail although the
     * receiver never saw it (the client retries no POST). Tunnels hold no thread, so keeping them costs only their
     * sockets, as long as the client keeps its own.
     */
    static Duration tunnelIdleTimeout(Duration clientKeepAlive, Duration requestTimeout) {
        Duration afterTheClient = clientKeepAlive.plus(Duration.ofMinutes(1));
        return afterTheClient.compareTo(requestTimeout) > 0 ? afterTheClient : requestTimeout;
    }

    /**
     * Posts {@code body} as JSON to {@code target} once, with {@code headers} (which may replace the Content-Type).
     *
     * @throws IllegalArgumentException for a header the JDK's client sets itself (such as Host or Content-Length)
     */
    Attempt post(URI target, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        Attempt attempt = attempt(target, headers, body, start);
        // An attempt that failed because the transport closed under it (the engine stopping) says nothing of the
        // receiver.
        return closed && !attempt.interrupted() && attempt.statusCode() == 0 ? Attempt.closed(since(start)) : attempt;
    }

    private Attempt attempt(URI target, Map<String, String> headers, byte[] body, long start) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(settings.allowHttp() && scheme.equals("http"))) {
            return Attempt.failed(
                    Duration.ZERO, "refused: the scheme " + (scheme.isEmpty() ? "(none)" : scheme) + " is not allowed");
        }
        String host = hostOf(target);
        if (host == null) {
            return Attempt.failed(Duration.ZERO, "refused: the URL names no host");
        }
        Optional<String> refused;
        try {
            refused = refusalOf(host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.interrupted(since(start));
        }
        if (refused.isPresent()) {
            return Attempt.failed(since(start), refused.get());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(settings.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .setHeader("Content-Type", "application/json");
        headers.forEach(request::setHeader);
        HttpRequest built = request.build();
        // The tunnel connects only to a target of an attempt under way.
        try (PinnedTunnel.Admission admitted = tunnel.admit(host, portOf(target))) {
            return send(built, host, portOf(target), start);
        }
    }

    private Attempt send(HttpRequest request, String host, int port, long start) {
        CompletableFuture<HttpResponse<byte[]>> sent =
                client.sendAsync(request, info -> new BoundedBody(settings.maxResponseBytes()));
        try {
            // The client's own timeout ends at the answer's head; this one also bounds reading its body.
            HttpResponse<byte[]> response = sent.get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return answered(response, since(start));
        } catch (TimeoutException e) {
            sent.cancel(true);
            return Attempt.failed(since(start), "no answer within " + settings.requestTimeout());
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            return Attempt.interrupted(since(start));
        } catch (ExecutionException e) {
            return Attempt.failed(since(start), describe(e.getCause(), host, port));
        }
    }

    /** Ends the tunnel (its port no longer accepts) and the resolver's threads; an attempt afterwards fails. */
    @Override
    public void close() {
        closed = true;
        tunnel.close();
        resolver.shutdownNow();
    }

    private Attempt answered(HttpResponse<byte[]> response, Duration latency) {
        int status = response.statusCode();
        Optional<Duration> retryAfter = status == 429 || status == 503
                ? response.headers().firstValue("Retry-After").flatMap(WebhookTransport::seconds)
                : Optional.empty();
        if (status >= 200 && status < 300) {
            return new Attempt(status, latency, null, retryAfter);
        }
        String error = "HTTP " + status;
        if (status >= 300 && status < 400) {
            error += " (redirects are not followed)";
        }
        String excerpt = excerpt(response.body());
        return new Attempt(status, latency, excerpt.isEmpty() ? error : error + ": " + excerpt, retryAfter);
    }

    private Optional<String> refusalOf(String host) throws InterruptedException {
        InetAddress[] addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of(e.getMessage());
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refusal(address);
            if (refused.isPresent()) {
                return Optional.of("refused: " + refused.get());
            }
        }
        return Optional.empty();
    }

    /**
     * The addresses of {@code host}, resolved on the resolver's few threads and waited for no longer than a connection
     * may take: a lookup that hangs ends the attempt, not the sender's thread (it goes on on the resolver's thread,
     * which the system resolver's own timeouts release).
     *
     * @throws UnknownHostException naming the host, when it does not resolve or not in time
     */
    private InetAddress[] resolve(String host) throws UnknownHostException, InterruptedException {
        Future<InetAddress[]> lookup;
        try {
            lookup = resolver.submit(() -> InetAddress.getAllByName(host));
        } catch (RejectedExecutionException closed) {
            throw new UnknownHostException("the host " + host + " cannot be resolved: the transport is closed");
        }
        try {
            return lookup.get(settings.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new UnknownHostException(
                    "the host " + host + " could not be resolved within " + settings.connectTimeout());
        } catch (InterruptedException e) {
            lookup.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new UnknownHostException("the host " + host + " cannot be resolved");
        }
    }

    private InetAddress[] resolveInTunnel(String host) throws UnknownHostException {
        try {
            return resolve(host);
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException("the host " + host + " cannot be resolved: the tunnel is closing");
        }
    }

    private Optional<String> refusal(InetAddress address) {
        return WebhookTargets.addressRefusal(address, settings.allowLoopback(), settings.allowPrivateNetworks());
    }

    private String describe(Throwable failure, String host, int port) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection within " + settings.connectTimeout();
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within " + settings.requestTimeout();
        }
        Optional<String> refusedByTunnel = tunnel.takeRefusal(host, port);
        if (refusedByTunnel.isPresent()) {
            return "refused: " + refusedByTunnel.get();
        }
        if (failure instanceof ConnectException) {
            return "cannot connect to " + host + ":" + port;
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Optional<Duration> seconds(String retryAfter) {
        try {
            long seconds = Long.parseLong(retryAfter.trim());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException anHttpDateIsNotHonoured) {
            return Optional.empty();
        }
    }

    // An answer is the subscriber's text: shown to the engine's users, so only printable characters, and short.
    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        StringBuilder excerpt = new StringBuilder();
        for (int i = 0; i < text.length() && excerpt.length() < MAX_EXCERPT_CHARS; ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            boolean printable = !Character.isISOControl(codePoint)
                    && Character.getType(codePoint) != Character.FORMAT
                    && codePoint != 0xFFFD
                    && Character.charCount(codePoint) == 1;
            excerpt.append(printable ? (char) codePoint : ' ');
        }
        return excerpt.toString().replaceAll("\\s+", " ").strip();
    }

    private static String hostOf(URI target) {
        String host = target.getHost();
        if (host == null || host.isEmpty()) {
            return null;
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int portOf(URI target) {
        if (target.getPort() >= 0) {
            return target.getPort();
        }
        return "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    }

    /** How many tunnels the tunnel holds established: for tests. */
    int establishedTunnels() {
        return tunnel.established();
    }

    /** The port of the tunnel: for tests. */
    int tunnelPort() {
        return tunnel.port();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException everyJdkHasTls) {
            throw new IllegalStateException(everyJdkHasTls);
        }
    }

    private static final class TunnelForHttps extends ProxySelector {
        private final List<Proxy> tunnel;

        TunnelForHttps(InetSocketAddress tunnel) {
            this.tunnel = List.of(new Proxy(Proxy.Type.HTTP, tunnel));
        }

        @Override
        public List<Proxy> select(URI uri) {
            return "https".equalsIgnoreCase(uri.getScheme()) ? tunnel : List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            // The attempt reports the failure.
        }
    }

    /** The first {@code limit} bytes of a body; the rest is not read (the connection is dropped instead). */
    private static final class BoundedBody implements BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit == 0) {
                subscription.cancel();
                body.complete(new byte[0]);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                body.complete(bytes.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
