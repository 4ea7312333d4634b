package dev.taskengine.adapter.http;

import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.Violation;
import java.util.List;

/**
 * Why a request gets no regular answer; thrown by handlers and rendered by {@link Errors} in the dialect of the route
 * (Reply's problem+json under {@code /v3}, Topo's error body under {@code /v1}).
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    sealed interface Failure {
        /** The engine (or the adapter's reading of the request) refused with a typed error. */
        record Rejected(TaskError error) implements Failure {}

        /**
         * Invalid input outside the task family (a webhook subscription's, say): 400 with its own {@code code} and every
         * violation, as an invalid task input is answered.
         */
        record Invalid(String code, List<Violation> violations) implements Failure {
            public Invalid {
                violations = List.copyOf(violations);
            }
        }

        /** No key, or a key the server does not know. */
        record Unauthorized() implements Failure {}

        /** The key used up its allowance; it may try again after {@code retryAfterSeconds}. */
        record RateLimited(long retryAfterSeconds) implements Failure {}

        /** The store could not answer (the database is down); nothing was done, and the same request may work later. */
        record Unavailable(long retryAfterSeconds) implements Failure {}

        /** Something named by the request that is not a task id of ours (a Topo UUID of a foreign form), 404. */
        record Unknown(String code, String message) implements Failure {}

        /** What the request changes was changed by others each time it was tried; nothing was done, 409. */
        record Conflict(String code, String message) implements Failure {}

        /** No route for this method and path. */
        record NoRoute(String method, String path) implements Failure {}

        /**
         * A body that is not declared as JSON ({@code application/json} or a {@code +json} type, in UTF-8): 415, read
         * no further. {@code violation} points at {@code /Content-Type}.
         */
        record UnsupportedMediaType(Violation violation) implements Failure {}

        /** The HTTP layer refused before a handler ran (a body too large, for example). */
        record Http(int status, String message) implements Failure {}

        /** A bug or broken infrastructure; the details go to the log, not to the client. */
        record Internal() implements Failure {}
    }

    private final transient Failure failure;

    Refusal(Failure failure) {
        super(failure.toString(), null, false, false);
        this.failure = failure;
    }

    static Refusal of(TaskError error) {
        return new Refusal(new Failure.Rejected(error));
    }

    static Refusal invalid(List<Violation> violations) {
        return of(new TaskError.InvalidInput(violations));
    }

    static Refusal invalid(String code, String pointer, String message) {
        return invalid(List.of(Violation.of(code, pointer, message)));
    }

    Failure failure() {
        return failure;
    }
}
