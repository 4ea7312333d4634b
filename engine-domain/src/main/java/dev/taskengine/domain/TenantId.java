package dev.taskengine.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The workspace that owns a task (Topo's {@code organization_id}). Every read and write is scoped by it.
 * A tenant comes from the host's authentication, never from end-user input, so a malformed one is a bug
 * in the host and is refused with an exception.
 */
public record TenantId(String value) {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_LENGTH - 1) + "}");

    public TenantId {
        Objects.requireNonNull(value, "tenant");
        if (!ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("a tenant is 1 to " + MAX_LENGTH
                    + " characters of letters, digits, '.', '_', ':' or '-': " + value);
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
