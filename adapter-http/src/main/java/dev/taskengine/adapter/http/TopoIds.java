package dev.taskengine.adapter.http;

import dev.taskengine.domain.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How Topo's UUIDs carry our numeric ids, reversibly: number {@code N} (a task, user or sequence id) is the UUID whose
 * upper 64 bits are zero and whose lower 64 bits are {@code N}, so task 42 is
 * {@code 00000000-0000-0000-0000-00000000002a}. A UUID of another form names nothing here. The tenant, a string, is
 * carried as itself when it is a UUID, and otherwise as the name-based (version 3) UUID of {@code "taskengine-tenant:"}
 * followed by the tenant; that direction is output only.
 */
public final class TopoIds {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private TopoIds() {}

    /** The UUID that carries the positive number {@code id}. */
    public static String of(long id) {
        if (id <= 0) {
            throw new IllegalArgumentException("only positive ids are carried: " + id);
        }
        return new UUID(0, id).toString();
    }

    /** Whether {@code text} is a UUID in its canonical 8-4-4-4-12 hexadecimal form. */
    public static boolean isUuid(String text) {
        return text != null && UUID_TEXT.matcher(text).matches();
    }

    /** The number a UUID carries; empty when {@code text} is a UUID of another form. Call only with a UUID. */
    public static OptionalLong number(String text) {
        UUID uuid = UUID.fromString(text);
        return uuid.getMostSignificantBits() == 0 && uuid.getLeastSignificantBits() > 0
                ? OptionalLong.of(uuid.getLeastSignificantBits())
                : OptionalLong.empty();
    }

    /** Topo's {@code organization_id} of a tenant. */
    public static String organization(TenantId tenant) {
        if (isUuid(tenant.value())) {
            return tenant.value().toLowerCase(Locale.ROOT);
        }
        return UUID.nameUUIDFromBytes(("taskengine-tenant:" + tenant.value()).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
