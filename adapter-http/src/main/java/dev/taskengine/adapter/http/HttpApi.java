package dev.taskengine.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.Violation;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

/**
 * The engine over HTTP: Reply's v3 Tasks API under {@code /v3} (with the tenant's webhook subscriptions under
 * {@code /v3/webhooks}, when the engine delivers webhooks), Topo's v1 Tasks API under {@code /v1}, and the OpenAPI
 * document of both at {@code /openapi.json}, on Javalin (Jetty). The engine is reached only through {@link TaskEngine}.
 *
 * <p>Every {@code /v3} and {@code /v1} request is authenticated by the {@link Authenticator} it is built with
 * ({@link ApiKeys} reads {@code X-API-Key}, or {@code Authorization: Bearer}): it names the tenant the request works in
 * and the user it acts as. The adapter runs on a server of its own ({@link #start}; {@link #stop()} is graceful: it stops
 * taking connections, lets requests in flight finish, up to {@link HttpSettings#stopTimeout()}, then stops), or mounts
 * its routes on a host's Javalin instance ({@link #mount}), where it leaves every other path, and every other
 * exception, to the host.
 */
public final class HttpApi implements AutoCloseable {
    static final String PRINCIPAL = "taskengine.principal";
    static final String REQUEST_ID = "taskengine.requestId";
    static final String OPENAPI_RESOURCE = "openapi.json";
    /** How long a client is asked to wait when the store is unavailable (the database is down). */
    static final long STORE_RETRY_AFTER_SECONDS = 5;

    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
    /** {@code application/json}, or any {@code type/subtype+json}, as {@link #jsonBody} accepts them (lower case). */
    private static final java.util.regex.Pattern MEDIA_TYPE_JSON =
            java.util.regex.Pattern.compile("application/json|[a-z0-9!#$&^_.-]+/[a-z0-9!#$&^_.+-]+\\+json");

    /** One registered route. */
    public record Route(String method, String path) {}

    private final Authenticator authenticator;
    private final HttpSettings settings;
    private final ObjectMapper mapper;
    private final ObjectMapper replyBodies = JsonBodies.reply();
    private final ObjectMapper topoBodies = JsonBodies.topo();
    private final Errors errors;
    private final RateLimiter limiter;
    private final byte[] openApi;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final ReplyApi reply;
    private final TopoApi topo;
    private final ReplyWebhookApi webhooks;
    private Javalin app;
    private boolean stopped;
    private int port;
    private Server server;
    private InFlight inFlight;

    private HttpApi(
            TaskEngine engine, Authenticator authenticator, HttpSettings settings, LongSupplier nanoTime, Clock clock) {
        Objects.requireNonNull(engine, "engine");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mapper = mapper();
        this.errors = new Errors(mapper, clock);
        this.limiter = new RateLimiter(settings.rateLimitPerMinute(), nanoTime);
        this.openApi = openApiDocument();
        this.reply = new ReplyApi(engine, this, settings);
        this.topo = new TopoApi(engine, this);
        this.webhooks = new ReplyWebhookApi(engine, this, clock);
    }

    /** An adapter for {@code engine}, not yet listening nor mounted. */
    public static HttpApi create(TaskEngine engine, Authenticator authenticator, HttpSettings settings) {
        return builder(engine).authenticator(authenticator).settings(settings).build();
    }

    public static Builder builder(TaskEngine engine) {
        return new Builder(engine);
    }

    /** Builds an adapter: an {@link Authenticator} is required; the settings default to {@link HttpSettings#defaults()}. */
    public static final class Builder {
        private final TaskEngine engine;
        private Authenticator authenticator;
        private HttpSettings settings = HttpSettings.defaults();
        private LongSupplier nanoTime = System::nanoTime;
        private Clock clock = Clock.systemUTC();

        private Builder(TaskEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** Who requests act for; {@link ApiKeys} is the shipped implementation. */
        public Builder authenticator(Authenticator value) {
            this.authenticator = Objects.requireNonNull(value, "authenticator");
            return this;
        }

        public Builder settings(HttpSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** For tests: the clock of the rate limit, in nanoseconds as {@link System#nanoTime()}. */
        Builder rateLimitClock(LongSupplier value) {
            this.nanoTime = Objects.requireNonNull(value, "nanoTime");
            return this;
        }

        /**
         * The clock the engine runs on (default: the system clock in UTC), which the {@code Retry-After} of a sending
         * limit counts from: give the engine's own clock when it has another.
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public HttpApi build() {
            if (authenticator == null) {
                throw new IllegalStateException("an HttpApi needs an Authenticator, such as ApiKeys.parse(...)");
            }
            return new HttpApi(engine, authenticator, settings, nanoTime, clock);
        }
    }

    /**
     * Registers the adapter's routes on a host's Javalin instance, as in {@code Javalin.create(config -> api.mount(config))}.
     * Each route authenticates its request and renders its own errors in its dialect; the host's other routes, its
     * before-handlers and its exception handlers are left as they are. Mount an adapter once.
     */
    public void mount(JavalinConfig config) {
        if (!routes.isEmpty()) {
            throw new IllegalStateException("this adapter's routes are already mounted");
        }
        Routes ours = new Routes(config.routes, this::pipeline, routes);
        ours.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        reply.register(ours);
        webhooks.register(ours);
        topo.register(ours);
    }

    /** Starts a server of its own listening on {@code host} and {@code port} (0: any free port; see {@link #port()}). */
    public synchronized HttpApi start(String host, int port) {
        if (app != null) {
            throw new IllegalStateException("this adapter is already started");
        }
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.compressionStrategy = compression();
            config.jetty.modifyServer(server -> {
                // Counts the requests in flight, for stop() to wait for them.
                this.server = server;
                this.inFlight = new InFlight();
                server.setHandler(inFlight);
                server.setStopTimeout(settings.stopTimeout().toMillis());
                server.setErrorHandler(new JettyErrorPages(errors));
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrorPages(errors)));
            config.router.javaLangErrorHandler((response, error) -> {
                LOG.log(System.Logger.Level.ERROR, "a request failed with " + error, error);
                response.setStatus(500);
            });
            // The server is the adapter's alone: every path gets a request id, and a guarded path without a known key
            // is
            // refused before routing (an unknown route under /v3 is a 401 without a key, a 404 with one).
            config.routes.before(this::authenticate);
            mount(config);
            // Javalin answers its own HttpResponseExceptions (an unknown route) unless that class has a handler.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> failed(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> failed(ctx, e));
        });
        app.start(host, port);
        this.port = app.port();
        return this;
    }

    /** The port it listens on, once {@link #start started}. */
    public int port() {
        if (app == null) {
            throw new IllegalStateException(
                    "this adapter is not started; a mounted adapter listens on its host's port");
        }
        return port;
    }

    /**
     * Stops taking requests, lets those in flight finish (up to the stop timeout), and stops; nothing when only mounted.
     *
     * <p>In this order: the listening socket is closed (new connections are refused); a request arriving meanwhile on a
     * connection already open is served, its answer closing the connection; the requests in flight — including one whose body is still arriving — are
     * waited for, up to {@link HttpSettings#stopTimeout()}; then Jetty stops, closing the connections left (all idle).
     * Jetty's own graceful stop is not enough alone: it shortens every connection's idle timeout to a second, so a body
     * still arriving would be cut (408).
     */
    public synchronized void stop() {
        if (app == null || stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        if (server != null && server.isStarted()) {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof NetworkConnector network) {
                    network.close();
                }
            }
            inFlight.drain();
            try {
                if (!inFlight.awaitIdle(deadline)) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "requests still in flight after the stop timeout of " + settings.stopTimeout()
                                    + "; stopping anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }

    /** Every route registered, in registration order. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public HttpSettings settings() {
        return settings;
    }

    // --- request pipeline

    /** A route's handler inside the pipeline: authenticated (unless the server did it already), its failures rendered. */
    private Handler pipeline(Handler handler) {
        return ctx -> {
            try {
                if (ctx.attribute(REQUEST_ID) == null) {
                    authenticate(ctx);
                }
                handler.handle(ctx);
            } catch (Exception e) {
                failed(ctx, e);
            }
        };
    }

    /** Renders what a request failed with in the dialect of its route. */
    private void failed(Context ctx, Exception e) {
        if (e instanceof Refusal refusal) {
            errors.render(ctx, refusal.failure());
        } else if (e instanceof StoreUnavailableException unavailable) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "request " + requestId(ctx) + " " + ctx.method() + " " + ctx.path()
                            + " found the store unavailable: " + unavailable.getMessage());
            errors.render(ctx, new Refusal.Failure.Unavailable(STORE_RETRY_AFTER_SECONDS));
        } else if (e instanceof HttpResponseException http) {
            errors.render(
                    ctx,
                    http.getStatus() == 404
                            ? new Refusal.Failure.NoRoute(ctx.method().name(), ctx.path())
                            : new Refusal.Failure.Http(http.getStatus(), http.getMessage()));
        } else {
            Errors.logInternal(ctx, e);
            errors.render(ctx, new Refusal.Failure.Internal());
        }
    }

    private void authenticate(Context ctx) {
        String id = newRequestId();
        ctx.attribute(REQUEST_ID, id);
        ctx.header("X-Request-Id", id);
        String path = ctx.path();
        boolean guarded =
                path.equals("/v3") || path.startsWith("/v3/") || path.equals("/v1") || path.startsWith("/v1/");
        if (!guarded) {
            return;
        }
        Optional<String> key = Optional.ofNullable(presentedKey(ctx));
        Principal principal = authenticator
                .authenticate(new Authenticator.Credentials(key, name -> Optional.ofNullable(ctx.header(name))))
                .orElseThrow(() -> new Refusal(new Refusal.Failure.Unauthorized()));
        if (limiter.enabled()) {
            RateLimiter.Decision decision =
                    limiter.acquire(key.orElseGet(() -> principal.tenant() + ":" + principal.user()));
            // The IETF draft's RateLimit headers, on every answer of a limited key, allowed or not.
            ctx.header("RateLimit-Limit", Integer.toString(decision.limit()));
            ctx.header("RateLimit-Remaining", Integer.toString(decision.remaining()));
            ctx.header("RateLimit-Reset", Long.toString(decision.resetSeconds()));
            ctx.header("RateLimit-Policy", decision.limit() + ";w=" + RateLimiter.WINDOW_SECONDS);
            if (!decision.allowed()) {
                throw new Refusal(new Refusal.Failure.RateLimited(decision.resetSeconds()));
            }
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    private static String presentedKey(Context ctx) {
        String key = ctx.header("X-API-Key");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null
                && authorization.length() > 7
                && authorization.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("a guarded route ran without a principal");
        }
        return principal;
    }

    /**
     * Javalin's default, gzip for answers of 1,500 bytes or more to a client that accepts it, with the types this adapter
     * answers in ({@code application/json}, {@code application/problem+json}) listed as allowed. Javalin looks the type up
     * in that list first; a type not in it is searched for each of its ten excluded types ({@code image/},
     * {@code application/zip}, ...), case-insensitively, on every answer, whether the client accepts gzip or not: 8% of
     * the server's CPU on a get (JFR). Neither type contains an excluded one, so what is compressed is unchanged.
     */
    static CompressionStrategy compression() {
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
        List<String> allowed = new java.util.ArrayList<>(gzip.getAllowedMimeTypes());
        allowed.add("application/json");
        allowed.add(Errors.PROBLEM_JSON);
        gzip.setAllowedMimeTypes(allowed);
        return gzip;
    }

    /** Bits of this JVM's own, from a SecureRandom once, so that two servers' request ids differ even if seeded alike. */
    private static final long REQUEST_ID_SALT = new SecureRandom().nextLong();

    /**
     * A fresh request id, as every answer carries in {@code X-Request-Id}: {@code req_} and 32 hex digits, a random
     * (version 4) UUID without its dashes. The bits come from {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}:
     * an id names a request in logs and answers, it is no secret, and {@code randomUUID} draws from one SecureRandom for
     * the JVM, behind a lock, reading {@code /dev/urandom} on each call, which request threads queued on (730 waits of
     * 10 ms or more in a 150 s JFR recording of 32 connections).
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() ^ REQUEST_ID_SALT) & ~0xF000L | 0x4000L;
        long least = random.nextLong() & ~(0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L;
        return "req_" + hex16(most) + hex16(least);
    }

    private static String hex16(long bits) {
        return HexFormat.of().toHexDigits(bits);
    }

    static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "req_unknown" : id;
    }

    // --- reading requests

    /** The body of a Reply request (camelCase) as a {@code type}, its problems added to {@code in}. */
    <T> T replyBody(Context ctx, boolean emptyAllowed, Class<T> type, JsonInput in) {
        return in.read(replyBodies, jsonBody(ctx), emptyAllowed, type);
    }

    /** The body of a Topo request (snake_case) as a {@code type}, its problems added to {@code in}. */
    <T> T topoBody(Context ctx, boolean emptyAllowed, Class<T> type, JsonInput in) {
        return in.read(topoBodies, jsonBody(ctx), emptyAllowed, type);
    }

    /**
     * The bytes of a request body declared as JSON: {@code Content-Type} {@code application/json} or a {@code +json}
     * type ({@code application/merge-patch+json}), with parameters, a charset only if UTF-8. A body declared as anything
     * else (text, a form, XML, HTML, multipart), or sent without a {@code Content-Type}, is refused with 415 before a
     * byte of it is read as JSON; an empty body without one is an absent body.
     */
    static byte[] jsonBody(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        String declared = ctx.header("Content-Type");
        if (declared == null || declared.isBlank()) {
            if (body.length == 0) {
                return body;
            }
            throw unsupportedMediaType(
                    "a request body is JSON, sent with Content-Type: application/json; this one has no"
                            + " Content-Type");
        }
        String[] parts = declared.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPE_JSON.matcher(type).matches()) {
            throw unsupportedMediaType("a request body is JSON, sent with Content-Type: application/json; not '"
                    + JsonInput.abbreviate(declared.strip()) + "'");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset =
                        parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw unsupportedMediaType(
                            "a JSON request body is UTF-8; not charset '" + JsonInput.abbreviate(charset) + "'");
                }
            }
        }
        return body;
    }

    private static Refusal unsupportedMediaType(String message) {
        return new Refusal(new Refusal.Failure.UnsupportedMediaType(
                Violation.of("request.contentType.unsupported", "/Content-Type", message)));
    }

    /**
     * {@code text} as a number when it is written with the ASCII digits 0-9 alone (after an optional {@code -}) and fits a
     * long; empty otherwise. {@link Long#parseLong} also reads every other Unicode digit (Arabic-Indic {@code ٣},
     * fullwidth {@code ８}, ...), which no number of this API is written in.
     */
    static OptionalLong asciiLong(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() - start > 19) {
            return OptionalLong.empty();
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // beyond a long
        }
    }

    /** An integer query parameter in {@code [min, max]}; a problem is added (and {@code fallback} answered) otherwise. */
    static int intParam(Context ctx, String name, int fallback, int min, int max, List<Violation> problems) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        OptionalLong parsed = asciiLong(raw.strip());
        if (parsed.isEmpty()) {
            problems.add(Violation.of(
                    "request.parameter.invalid",
                    "/" + name,
                    name + " is an integer written with the digits 0-9, not '" + JsonInput.abbreviate(raw) + "'"));
            return fallback;
        }
        long value = parsed.getAsLong();
        if (value < min || value > max) {
            problems.add(Violation.of(
                    "request.parameter.outOfRange", "/" + name, name + " is " + min + " to " + max + ", not " + value));
            return fallback;
        }
        return (int) value;
    }

    static boolean booleanParam(Context ctx, String name, boolean fallback) {
        List<Violation> problems = new java.util.ArrayList<>();
        Optional<Boolean> value = booleanParam(ctx, name, problems);
        if (!problems.isEmpty()) {
            throw Refusal.invalid(problems);
        }
        return value.orElse(fallback);
    }

    /** A boolean query parameter, {@code true} or {@code false}; empty when absent, and a problem added otherwise. */
    static Optional<Boolean> booleanParam(Context ctx, String name, List<Violation> problems) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                problems.add(Violation.of(
                        "request.parameter.invalid",
                        "/" + name,
                        "'" + JsonInput.abbreviate(raw) + "' is not true or false"));
                yield Optional.empty();
            }
        };
    }

    /**
     * The version an {@code If-Match} header expects ({@code "3"} or {@code W/"3"}, as this adapter's {@code ETag}s
     * are); empty without one or for {@code *}.
     */
    static OptionalLong ifMatch(Context ctx) {
        String raw = ctx.header("If-Match");
        if (raw == null || raw.isBlank() || raw.strip().equals("*")) {
            return OptionalLong.empty();
        }
        String value = raw.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        OptionalLong version = asciiLong(value);
        if (version.isPresent() && version.getAsLong() >= 1) {
            return version;
        }
        throw Refusal.invalid(
                "request.header.ifMatch.invalid",
                "/If-Match",
                "If-Match names one version as this API's ETags do, such as \"3\"; not " + JsonInput.abbreviate(raw));
    }

    /** The entity tag of a task: its version. */
    static String etag(Task task) {
        return "\"" + task.version() + "\"";
    }

    // --- writing answers

    void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer could not be written", e);
        }
    }

    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private static byte[] openApiDocument() {
        try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests and hosts: the adapter's JSON settings (ISO-8601 times, strict parsing). */
    public static ObjectMapper objectMapper() {
        return mapper();
    }
}
