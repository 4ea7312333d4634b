package dev.taskengine.adapter.memory;

import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.ports.Keyset;
import dev.taskengine.ports.StoredPage;
import dev.taskengine.ports.TaskQuery;
import dev.taskengine.ports.TaskStore;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Tasks in a map, enforcing versions exactly as a database would. Single-task reads take no lock; writes take the
 * write lock, so that a sequence-wide reassign is atomic for every reader and writer; queries take the read lock and so
 * never see half of a sequence reassign.
 */
public final class InMemoryTaskStore implements TaskStore {
    private final ConcurrentHashMap<TaskId, Task> tasks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public TaskId nextId() {
        return TaskId.of(ids.incrementAndGet());
    }

    @Override
    public void insert(Task task) {
        Objects.requireNonNull(task, "task");
        write(() -> {
            if (tasks.putIfAbsent(task.id(), task) != null) {
                throw new IllegalStateException("task " + task.id() + " is already stored");
            }
            return null;
        });
    }

    @Override
    public Optional<Task> find(TenantId tenant, TaskId id) {
        return Optional.ofNullable(tasks.get(id)).filter(task -> task.tenant().equals(tenant));
    }

    @Override
    public Either<TaskError, Task> update(Task changed, long expectedVersion) {
        return write(() -> {
            Optional<Task> stored = find(changed.tenant(), changed.id());
            if (stored.isEmpty()) {
                return Either.left(new TaskError.NotFound(changed.id()));
            }
            if (stored.get().version() != expectedVersion) {
                return Either.left(new TaskError.VersionConflict(changed.id(), expectedVersion, stored.get().version()));
            }
            if (changed.version() != expectedVersion + 1) {
                throw new IllegalArgumentException("a change moves the version by one: " + expectedVersion + " → " + changed.version());
            }
            tasks.put(changed.id(), changed);
            return Either.right(changed);
        });
    }

    @Override
    public Either<TaskError, Task> delete(TenantId tenant, TaskId id, long expectedVersion) {
        return write(() -> {
            Optional<Task> stored = find(tenant, id);
            if (stored.isEmpty()) {
                return Either.left(new TaskError.NotFound(id));
            }
            if (stored.get().version() != expectedVersion) {
                return Either.left(new TaskError.VersionConflict(id, expectedVersion, stored.get().version()));
            }
            tasks.remove(id);
            return Either.right(stored.get());
        });
    }

    @Override
    public List<Task> reassignSequence(TenantId tenant, SequenceId sequence, UserId assignee, Instant now) {
        return write(() -> {
            List<Task> reassigned = new ArrayList<>();
            for (Task task : tasks.values()) {
                if (task.tenant().equals(tenant) && task.active()
                        && task.sequence().map(s -> s.sequenceId().equals(sequence)).orElse(false)) {
                    Task changed = task.reassignedBySequence(assignee, now);
                    tasks.put(changed.id(), changed);
                    reassigned.add(changed);
                }
            }
            reassigned.sort((a, b) -> a.id().compareTo(b.id()));
            return reassigned;
        });
    }

    @Override
    public StoredPage query(TaskQuery query, Optional<Keyset> after, Instant now) {
        lock.readLock().lock();
        try {
            List<Task> matching = tasks.values().stream().filter(task -> query.matches(task, now)).toList();
            List<Task> page = matching.stream()
                    .filter(task -> after.map(position -> query.sort().isAfter(task, position)).orElse(true))
                    .sorted(query.sort().comparator())
                    .limit(query.limit() + 1L)
                    .toList();
            boolean hasMore = page.size() > query.limit();
            return new StoredPage(hasMore ? page.subList(0, query.limit()) : page, hasMore,
                    query.includeTotal() ? OptionalLong.of(matching.size()) : OptionalLong.empty());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many tasks are stored, all tenants together. */
    public int size() {
        return tasks.size();
    }

    private <T> T write(java.util.function.Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
