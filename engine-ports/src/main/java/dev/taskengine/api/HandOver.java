package dev.taskengine.api;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.util.List;
import java.util.Objects;

/**
 * Hand a user's open work over: every active task assigned to {@code from} moves to {@code to} (one user, or several
 * round-robin), {@code batchSize} tasks a transaction, committed as it goes. Run it again after a
 * crash or a refusal: it moves what is still assigned to {@code from}, and never a task twice. Tasks move oldest first
 * (by creation time, then id).
 */
public record HandOver(Actor actor, TenantId tenant, UserId from, List<UserId> to, int batchSize) {
    public static final int DEFAULT_BATCH_SIZE = 100;

    public HandOver {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(tenant, "tenant");
        to = to == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(to));
    }

    /** Every active task of {@code from} to {@code to}, {@link #DEFAULT_BATCH_SIZE} a batch. */
    public static HandOver of(Actor actor, TenantId tenant, UserId from, UserId... to) {
        return new HandOver(actor, tenant, from, java.util.Arrays.asList(to), DEFAULT_BATCH_SIZE);
    }

    public HandOver withBatchSize(int value) {
        return new HandOver(actor, tenant, from, to, value);
    }
}
