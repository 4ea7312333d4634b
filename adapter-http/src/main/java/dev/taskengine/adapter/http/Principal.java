package dev.taskengine.adapter.http;

import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.util.Objects;

/**
 * Who a request acts for: the tenant it works in and the user it acts as (the default assignee of the tasks it
 * creates), as an {@link Authenticator} answers it.
 */
public record Principal(TenantId tenant, UserId user) {
    public Principal {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(user, "user");
        if (user.value() <= 0) {
            throw new IllegalArgumentException("a user id is a positive number: " + user);
        }
    }
}
