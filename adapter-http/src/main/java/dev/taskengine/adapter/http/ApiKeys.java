package dev.taskengine.adapter.http;

import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The default {@link Authenticator}: API keys, each naming the tenant its requests work in and the user they act as (the
 * default assignee of the tasks it creates). Keys arrive in the {@code X-API-Key} header or as
 * {@code Authorization: Bearer}.
 */
public final class ApiKeys implements Authenticator {

    private final Map<String, Principal> keys;

    private ApiKeys(Map<String, Principal> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static ApiKeys of(Map<String, Principal> keys) {
        keys.keySet().forEach(ApiKeys::checkKey);
        return new ApiKeys(keys);
    }

    /**
     * Parses specifications of the form {@code KEY=TENANT:USER}, such as {@code k3y=acme:7}: the key is everything before
     * the first {@code =}, the user everything after the last {@code :}.
     */
    public static ApiKeys parse(Collection<String> specifications) {
        Map<String, Principal> keys = new LinkedHashMap<>();
        for (String spec : specifications) {
            int equals = spec.indexOf('=');
            int colon = spec.lastIndexOf(':');
            if (equals <= 0 || colon < equals + 2 || colon == spec.length() - 1) {
                throw new IllegalArgumentException(
                        "an API key is given as KEY=TENANT:USER, such as k3y=acme:7; not '" + spec + "'");
            }
            String key = spec.substring(0, equals);
            checkKey(key);
            long user;
            try {
                user = Long.parseLong(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "the user of API key " + key + " is a positive number, not '" + spec.substring(colon + 1) + "'",
                        e);
            }
            if (keys.put(key, new Principal(TenantId.of(spec.substring(equals + 1, colon)), UserId.of(user))) != null) {
                throw new IllegalArgumentException("API key " + key + " is given twice");
            }
        }
        return new ApiKeys(keys);
    }

    private static void checkKey(String key) {
        if (key == null || key.isBlank() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("an API key is printable ASCII without spaces");
        }
    }

    @Override
    public Optional<Principal> authenticate(Credentials credentials) {
        return credentials.key().flatMap(this::find);
    }

    public Optional<Principal> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(keys.get(key));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Every key with its principal, for printing at start-up. */
    public Map<String, Principal> asMap() {
        return keys;
    }
}
