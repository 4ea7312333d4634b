package dev.taskengine.store;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One page of history a store is asked for: the entries of {@code tenant} (of one task when {@code taskId} is given)
 * that {@link #includes} keeps, newest first (by the position the store gave each entry when it kept it, in the order
 * kept), strictly before {@code before} when given, at most {@code limit}.
 */
public record HistoryRequest(
        TenantId tenant,
        Optional<TaskId> taskId,
        Optional<Actor> actor,
        Optional<Instant> from,
        Optional<Instant> to,
        Set<TaskEventType> types,
        OptionalLong before,
        int limit) {

    public HistoryRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        types = Set.copyOf(types);
        Objects.requireNonNull(before, "before");
        if (limit < 1) {
            throw new IllegalArgumentException("a history page holds at least one entry");
        }
    }

    /** Whether {@code entry} is one this request asks for (paging aside): the meaning of every filter. */
    public boolean includes(HistoryEntry entry) {
        return entry.tenant().equals(tenant)
                && taskId.map(entry.taskId()::equals).orElse(true)
                && actor.map(entry.actor()::equals).orElse(true)
                && from.map(f -> !entry.at().isBefore(f)).orElse(true)
                && to.map(entry.at()::isBefore).orElse(true)
                && (types.isEmpty() || types.contains(entry.type()));
    }
}
