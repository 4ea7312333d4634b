package dev.taskengine.adapter.http;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The port through which the adapter learns who a request acts for. A host implements it to plug in its own scheme
 * (sessions, tokens it issues, a gateway's headers); {@link ApiKeys} is the implementation the adapter ships.
 *
 * <p>Every {@code /v3} and {@code /v1} request is authenticated before its route runs: an empty answer is a 401 in the
 * dialect of the route ({@code WWW-Authenticate: Bearer}). An implementation is called from request threads at once.
 */
@FunctionalInterface
public interface Authenticator {

    /** The principal the request's credentials name, or empty when they name none. */
    Optional<Principal> authenticate(Credentials credentials);

    /**
     * What a request presents.
     *
     * @param key    the key it sends, in {@code X-API-Key} or as {@code Authorization: Bearer KEY}; empty without one
     * @param header the request's headers by name (case-insensitive), for other schemes
     */
    record Credentials(Optional<String> key, Function<String, Optional<String>> header) {
        public Credentials {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(header, "header");
        }
    }
}
