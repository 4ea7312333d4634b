package dev.taskengine.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.adapter.http.Refusal.Failure;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.Violation;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link Failure} in the dialect of the route: Reply's {@code application/problem+json} (RFC 9457) with a
 * stable {@code code} and, for invalid input, {@code errors[]}; Topo's {@code {status_code, type, message, request_id}}.
 *
 * <p>The engine's errors take the status {@link ReplyErrors} and {@link TopoErrors} give them, one exhaustive mapping
 * per dialect. Besides: unauthorized 401 with {@code WWW-Authenticate: Bearer} (Reply: empty body); rate limited 429 with
 * {@code Retry-After}; the store unavailable (the database is down) 503 with {@code Retry-After}. A send by hand over a
 * sending limit is a 429 too, told apart from the rate limit by its code: its body names the account, the limit and
 * when the limit frees, and its {@code Retry-After} counts the seconds until then.
 */
final class Errors {
    static final String PROBLEM_JSON = "application/problem+json";
    private static final System.Logger LOG = System.getLogger(Errors.class.getName());
    /** At most this many violations are listed in an error body; a last item counts the rest. */
    static final int MAX_LISTED = 20;
    /** An error body is at most this long (fewer violations are listed otherwise). */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** The longest message an error body holds. */
    static final int MESSAGE_MAX = 400;
    /** The longest pointer an error body holds; each of its segments is at most {@link JsonInput#ECHO_MAX}. */
    static final int POINTER_MAX = 300;

    private final ObjectMapper mapper;
    private final Clock clock;

    /** {@code clock}: the engine's, which a sending limit's {@code freesAt} is counted on. */
    Errors(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    static boolean topo(Context ctx) {
        return topo(ctx.path());
    }

    /** Whether {@code path} is one of Topo's, which answers errors in Topo's shape. */
    static boolean topo(String path) {
        return path != null && (path.equals("/v1") || path.startsWith("/v1/"));
    }

    void render(Context ctx, Failure failure) {
        boolean topo = topo(ctx);
        int status = status(failure, topo);
        ctx.status(status);
        if (failure instanceof Failure.Unauthorized) {
            ctx.header("WWW-Authenticate", "Bearer");
            if (!topo) {
                ctx.result(new byte[0]);
                return;
            }
        }
        if (failure instanceof Failure.RateLimited limited) {
            ctx.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
        }
        if (failure instanceof Failure.Unavailable unavailable) {
            ctx.header("Retry-After", Long.toString(unavailable.retryAfterSeconds()));
        }
        Instant now = clock.instant();
        sendingLimit(failure)
                .ifPresent(reached -> ctx.header("Retry-After", Long.toString(secondsUntilFree(reached, now))));
        ctx.contentType(contentType(topo)).result(body(topo, failure, status, HttpApi.requestId(ctx), now));
    }

    static String contentType(boolean topo) {
        return topo ? "application/json" : PROBLEM_JSON;
    }

    /** The error body of {@code failure} in a dialect; at most MAX_LISTED violations, fewer past MAX_BODY_BYTES. */
    byte[] body(boolean topo, Failure failure, int status, String requestId) {
        return body(topo, failure, status, requestId, clock.instant());
    }

    /** The same, with the seconds of a sending limit counted from {@code now}, as its {@code Retry-After} is. */
    private byte[] body(boolean topo, Failure failure, int status, String requestId, Instant now) {
        byte[] bytes;
        int listed = MAX_LISTED;
        try {
            do {
                Map<String, Object> body =
                        topo ? topoBody(requestId, failure, status, listed, now) : problem(failure, status, listed);
                bytes = mapper.writeValueAsBytes(body);
                listed /= 2;
            } while (bytes.length > MAX_BODY_BYTES && listed > 0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body could not be written", e);
        }
        return bytes;
    }

    static int status(Failure failure, boolean topo) {
        if (failure instanceof Failure.Rejected rejected) {
            return topo ? TopoErrors.issue(rejected.error()).status() : ReplyErrors.status(rejected.error());
        }
        if (failure instanceof Failure.Invalid) {
            return 400;
        }
        if (failure instanceof Failure.Unauthorized) {
            return 401;
        }
        if (failure instanceof Failure.Unavailable) {
            return 503;
        }
        if (failure instanceof Failure.RateLimited) {
            return 429;
        }
        if (failure instanceof Failure.NoRoute || failure instanceof Failure.Unknown) {
            return 404;
        }
        if (failure instanceof Failure.Conflict) {
            return 409;
        }
        if (failure instanceof Failure.UnsupportedMediaType) {
            return 415;
        }
        if (failure instanceof Failure.Http http) {
            return http.status();
        }
        return 500;
    }

    static String code(Failure failure) {
        if (failure instanceof Failure.Rejected rejected) {
            return rejected.error().code();
        }
        if (failure instanceof Failure.Invalid invalid) {
            return invalid.code();
        }
        if (failure instanceof Failure.Unauthorized) {
            return "auth.unauthorized";
        }
        if (failure instanceof Failure.RateLimited) {
            return "auth.rateLimited";
        }
        if (failure instanceof Failure.Unavailable) {
            return "store.unavailable";
        }
        if (failure instanceof Failure.NoRoute) {
            return "route.notFound";
        }
        if (failure instanceof Failure.Unknown unknown) {
            return unknown.code();
        }
        if (failure instanceof Failure.Conflict conflict) {
            return conflict.code();
        }
        if (failure instanceof Failure.UnsupportedMediaType unsupported) {
            return unsupported.violation().code();
        }
        if (failure instanceof Failure.Http http) {
            return "http." + http.status();
        }
        return "server.internal";
    }

    static String message(Failure failure) {
        if (failure instanceof Failure.Rejected rejected) {
            return violationsOf(rejected.error())
                    .map(Errors::summary)
                    .orElseGet(() -> rejected.error().message());
        }
        if (failure instanceof Failure.Invalid invalid) {
            return summary(invalid.violations());
        }
        if (failure instanceof Failure.Unauthorized) {
            return "a valid API key is required, in the X-API-Key header or as Authorization: Bearer";
        }
        if (failure instanceof Failure.RateLimited limited) {
            return "too many requests for this API key; try again in " + limited.retryAfterSeconds() + " s";
        }
        if (failure instanceof Failure.Unavailable unavailable) {
            return "the task store is unavailable; nothing was done; try again in " + unavailable.retryAfterSeconds()
                    + " s";
        }
        if (failure instanceof Failure.NoRoute noRoute) {
            return "no route for " + noRoute.method() + " " + JsonInput.abbreviate(noRoute.path());
        }
        if (failure instanceof Failure.UnsupportedMediaType unsupported) {
            return unsupported.violation().message();
        }
        if (failure instanceof Failure.Http http) {
            return bounded(http.message(), MESSAGE_MAX);
        }
        if (failure instanceof Failure.Unknown unknown) {
            return unknown.message();
        }
        if (failure instanceof Failure.Conflict conflict) {
            return conflict.message();
        }
        return "the server failed; the request may or may not have been carried out";
    }

    /** The detail of an invalid input: its one problem, or how many there are. */
    private static String summary(List<Violation> violations) {
        return violations.size() == 1
                ? "1 problem: " + bounded(violations.get(0).message(), MESSAGE_MAX)
                : violations.size() + " problems; see errors";
    }

    private static Map<String, Object> problem(Failure failure, int status, int listed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", message(failure));
        body.put("code", code(failure));
        listed(failure).ifPresent(violations -> body.put("errors", violations(violations, listed)));
        sendingLimit(failure).ifPresent(reached -> {
            body.put("account", reached.account().value());
            body.put("limit", reached.limit());
            body.put("freesAt", reached.freesAt());
        });
        return body;
    }

    private static Map<String, Object> topoBody(
            String requestId, Failure failure, int status, int listed, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status_code", status);
        body.put("type", topoType(failure, status));
        body.put("message", message(failure));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", code(failure));
        listed(failure).ifPresent(violations -> data.put("errors", violations(violations, listed)));
        if (failure instanceof Failure.RateLimited limited) {
            data.put("retry_after_seconds", limited.retryAfterSeconds());
        }
        if (failure instanceof Failure.Unavailable unavailable) {
            data.put("retry_after_seconds", unavailable.retryAfterSeconds());
        }
        sendingLimit(failure).ifPresent(reached -> {
            data.put("account", reached.account().value());
            data.put("limit", reached.limit());
            data.put("frees_at", reached.freesAt());
            data.put("retry_after_seconds", secondsUntilFree(reached, now));
        });
        body.put("data", data);
        body.put("request_id", requestId);
        return body;
    }

    private static String topoType(Failure failure, int status) {
        if (failure instanceof Failure.Rejected rejected) {
            return TopoErrors.issue(rejected.error()).type();
        }
        if (failure instanceof Failure.RateLimited) {
            return "RateLimitIssue";
        }
        return switch (status) {
            case 400 -> "ValidationIssue";
            case 401, 403 -> "UnauthorizedIssue";
            case 404 -> "NotFoundIssue";
            case 409 -> "CommitIssue";
            case 422 -> "BusinessIssue";
            default -> status >= 500 ? "InternalIssue" : "ValidationIssue";
        };
    }

    /** The sending limit a send by hand ran into, when that is the failure. */
    private static Optional<TaskError.SendingLimitReached> sendingLimit(Failure failure) {
        return failure instanceof Failure.Rejected rejected
                        && rejected.error() instanceof TaskError.SendingLimitReached reached
                ? Optional.of(reached)
                : Optional.empty();
    }

    /**
     * Whole seconds from {@code now} until the limit frees, rounded up so that a retry after them is not refused again
     * for a fraction of a second; at least 1, since 0 would invite a retry at once.
     */
    static long secondsUntilFree(TaskError.SendingLimitReached reached, Instant now) {
        Duration wait = Duration.between(now, reached.freesAt());
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** The violations an error body lists: those of an invalid input, or the one of an unsupported body. */
    static Optional<List<Violation>> listed(Failure failure) {
        if (failure instanceof Failure.Rejected rejected) {
            return violationsOf(rejected.error());
        }
        if (failure instanceof Failure.UnsupportedMediaType unsupported) {
            return Optional.of(List.of(unsupported.violation()));
        }
        if (failure instanceof Failure.Invalid invalid) {
            return Optional.of(invalid.violations());
        }
        return Optional.empty();
    }

    /** The violations of an invalid input; empty for every other error. */
    static Optional<List<Violation>> violationsOf(TaskError error) {
        return error.fold(new TaskError.Cases<>() {
            @Override
            public Optional<List<Violation>> invalidInput(TaskError.InvalidInput invalid) {
                return Optional.of(invalid.violations());
            }

            @Override
            public Optional<List<Violation>> notFound(TaskError.NotFound notFound) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> versionConflict(TaskError.VersionConflict conflict) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> illegalTransition(TaskError.IllegalTransition illegal) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> notExecutable(TaskError.NotExecutable notExecutable) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> executionUnderWay(TaskError.ExecutionUnderWay underWay) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> deliveryFailed(TaskError.DeliveryFailed failed) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> executionInsideTransaction(TaskError.ExecutionInsideTransaction inside) {
                return Optional.empty();
            }

            @Override
            public Optional<List<Violation>> sendingLimitReached(TaskError.SendingLimitReached reached) {
                return Optional.empty();
            }
        });
    }

    /** The same error with the pointers of its violations renamed to a route's field names ({@code pointers}: old to new). */
    static TaskError renamed(TaskError error, Map<String, String> pointers) {
        return violationsOf(error)
                .<TaskError>map(violations -> new TaskError.InvalidInput(violations.stream()
                        .map(v -> Violation.of(v.code(), pointers.getOrDefault(v.pointer(), v.pointer()), v.message()))
                        .toList()))
                .orElse(error);
    }

    static List<Map<String, Object>> violations(List<Violation> violations) {
        return violations(violations, MAX_LISTED);
    }

    /**
     * The first {@code listed} violations as an error body lists them, pointers and messages bounded, and, when there are
     * more, a last item {@code request.errors.truncated} that counts the rest.
     */
    static List<Map<String, Object>> violations(List<Violation> violations, int listed) {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (Violation v : violations.subList(0, Math.min(listed, violations.size()))) {
            items.add(item(boundedPointer(v.pointer()), bounded(v.message(), MESSAGE_MAX), v.code()));
        }
        if (violations.size() > listed) {
            int rest = violations.size() - listed;
            items.add(item(
                    "", rest + " more problem" + (rest == 1 ? "" : "s") + " not listed", "request.errors.truncated"));
        }
        return items;
    }

    private static Map<String, Object> item(String pointer, String message, String code) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("pointer", pointer);
        item.put("message", message);
        item.put("code", code);
        return item;
    }

    static String bounded(String text, int max) {
        return JsonInput.abbreviate(text, max);
    }

    /** A pointer as an error body holds it: each segment at most {@link JsonInput#ECHO_MAX} characters, the whole bounded. */
    static String boundedPointer(String pointer) {
        if (pointer == null || pointer.length() <= JsonInput.ECHO_MAX) {
            return pointer;
        }
        if (!pointer.startsWith("/")) {
            return bounded(pointer, JsonInput.ECHO_MAX);
        }
        StringBuilder bounded = new StringBuilder();
        for (String segment : pointer.substring(1).split("/", -1)) {
            bounded.append('/').append(JsonInput.abbreviate(segment));
        }
        return bounded(bounded.toString(), POINTER_MAX);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    static void logInternal(Context ctx, Throwable e) {
        LOG.log(
                System.Logger.Level.ERROR,
                "request " + HttpApi.requestId(ctx) + " " + ctx.method() + " " + ctx.path() + " failed",
                e);
    }
}
