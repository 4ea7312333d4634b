package dev.taskengine.api;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which task an action is about and who acts: the actor (a user of the tenant or a part of the system, recorded in the
 * task's history and on the event), tenant and id, and optionally the version the caller last read. With an expected
 * version the action is refused with a version conflict if the task changed since (compare-and-set across a
 * read-modify-write, like HTTP {@code If-Match}); without one it applies to the current version.
 */
public record TaskRef(Actor actor, TenantId tenant, TaskId id, OptionalLong expectedVersion) {
    public TaskRef {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        expectedVersion = expectedVersion == null ? OptionalLong.empty() : expectedVersion;
    }

    public static TaskRef of(Actor actor, TenantId tenant, TaskId id) {
        return new TaskRef(actor, tenant, id, OptionalLong.empty());
    }

    public static TaskRef of(Actor actor, TenantId tenant, long id) {
        return of(actor, tenant, TaskId.of(id));
    }

    public TaskRef expecting(long version) {
        return new TaskRef(actor, tenant, id, OptionalLong.of(version));
    }
}
