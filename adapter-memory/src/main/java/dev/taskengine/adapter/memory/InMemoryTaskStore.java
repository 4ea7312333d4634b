package dev.taskengine.adapter.memory;

import dev.taskengine.api.TaskQuery;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.LimitReached;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingPolicy;
import dev.taskengine.domain.SendingUsage;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.CountedSend;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Lease;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.StoredHistory;
import dev.taskengine.store.StoredPage;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Tasks in a map, enforcing versions exactly as a database would. Every access holds the lock: writes take the write lock, so that a sequence-wide
 * reassign is atomic for every reader and writer, and a write and its events are stored together; reads take the read
 * lock and so never see half of a sequence reassign.
 */
public final class InMemoryTaskStore implements TaskStore {
    private record Claim(String owner, Instant until) {}

    private record AccountKey(TenantId tenant, SendingAccount account) {}

    private record TaskKey(TenantId tenant, TaskId id) {}

    private record ContactKey(TenantId tenant, ContactId contact) {}

    /** A history entry and the position it was kept at (the order kept). */
    private record Kept(long position, HistoryEntry entry) {}

    /** Guarded by {@link #lock}, like everything here: a plain map grows without copying its entries. */
    private final HashMap<TaskId, Task> tasks = new HashMap<>(1024);

    private final Map<UUID, TaskEvent> outbox = new LinkedHashMap<>();
    private final Map<TaskId, Claim> claims = new HashMap<>();
    /** The counted sends of each account: when, by idempotency key. */
    private final Map<AccountKey, Map<String, Instant>> sends = new HashMap<>();
    /** Every task's history, oldest first, by task (kept after the task is deleted). */
    private final Map<TaskKey, List<Kept>> history = new HashMap<>();
    /** Every history entry, oldest first, by tenant. */
    private final Map<TenantId, List<Kept>> tenantHistory = new HashMap<>();

    private final Map<ContactKey, Instant> contactPauses = new HashMap<>();
    private long nextPosition = 1;

    private final AtomicLong ids = new AtomicLong();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public TaskId nextId() {
        return TaskId.of(ids.incrementAndGet());
    }

    @Override
    public void insert(Task task, HistoryEntry entry, List<TaskEvent> events) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(entry, "history");
        lock.writeLock().lock();
        try {
            if (tasks.putIfAbsent(task.id(), task) != null) {
                throw new IllegalStateException("task " + task.id() + " is already stored");
            }
            keep(entry);
            keep(events);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<Task> find(TenantId tenant, TaskId id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(stored(tenant, id));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Task> findAll(TenantId tenant, Collection<TaskId> ids) {
        lock.readLock().lock();
        try {
            return ids.stream()
                    .distinct()
                    .map(id -> stored(tenant, id))
                    .filter(Objects::nonNull)
                    .toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The task {@code id} of {@code tenant}, or null; the caller holds a lock. */
    private Task stored(TenantId tenant, TaskId id) {
        Task task = tasks.get(id);
        return task != null && task.tenant().equals(tenant) ? task : null;
    }

    @Override
    public Either<TaskError, Task> update(
            Task changed, long expectedVersion, HistoryEntry entry, List<TaskEvent> events) {
        Objects.requireNonNull(entry, "history");
        lock.writeLock().lock();
        try {
            Task stored = stored(changed.tenant(), changed.id());
            if (stored == null) {
                return Either.left(new TaskError.NotFound(changed.id()));
            }
            if (stored.version() != expectedVersion) {
                return Either.left(new TaskError.VersionConflict(changed.id(), expectedVersion, stored.version()));
            }
            if (changed.version() != expectedVersion + 1) {
                throw new IllegalArgumentException(
                        "a change moves the version by one: " + expectedVersion + " → " + changed.version());
            }
            tasks.put(changed.id(), changed);
            if (!claims.isEmpty()) {
                claims.remove(changed.id());
            }
            keep(entry);
            keep(events);
            return Either.right(changed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Every write under one hold of the write lock: no reader sees some of them kept and not the others, and the sends
     * they count are judged one after another.
     */
    @Override
    public List<Either<TaskError, Task>> updateAll(List<TaskWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        for (TaskWrite w : writes) {
            if (w.changed().version() != w.expectedVersion() + 1) {
                throw new IllegalArgumentException("a change moves the version by one: " + w.expectedVersion() + " → "
                        + w.changed().version());
            }
        }
        return write(() -> writes.stream()
                .map(w -> {
                    if (w.send().isPresent()) {
                        CountedSend send = w.send().get();
                        Optional<LimitReached> reached = SendingPolicy.limitReached(
                                send.limits(),
                                usage(
                                        w.changed().tenant(),
                                        send.account(),
                                        send.limits(),
                                        send.at(),
                                        send.idempotencyKey()),
                                send.at());
                        if (reached.isPresent()) {
                            return Either.<TaskError, Task>left(
                                    TaskError.SendingLimitReached.of(w.changed().id(), send.account(), reached.get()));
                        }
                    }
                    Either<TaskError, Task> written = update(w.changed(), w.expectedVersion(), w.history(), w.events());
                    if (written.isRight() && w.send().isPresent()) {
                        count(w.changed().tenant(), w.send().get());
                    }
                    if (written.isRight()) {
                        w.lease()
                                .ifPresent(
                                        lease -> claims.put(w.changed().id(), new Claim(lease.owner(), lease.until())));
                    }
                    return written;
                })
                .toList());
    }

    @Override
    public SendingUsage sendingUsage(TenantId tenant, SendingAccount account, SendingLimits limits, Instant at) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(at, "at");
        lock.readLock().lock();
        try {
            return usage(tenant, account, limits, at, null);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The sends {@code limits} look at for a send at {@code at}, leaving out {@code exceptKey}'s; the caller holds a lock. */
    private SendingUsage usage(
            TenantId tenant, SendingAccount account, SendingLimits limits, Instant at, String exceptKey) {
        Map<String, Instant> counted = sends.get(new AccountKey(tenant, account));
        if (counted == null) {
            return SendingUsage.none();
        }
        Instant since = at.minus(limits.lookBack());
        List<Instant> latest = counted.entrySet().stream()
                .filter(e -> !e.getKey().equals(exceptKey) && e.getValue().isAfter(since))
                .map(Map.Entry::getValue)
                .sorted(Comparator.reverseOrder())
                .limit(limits.sendsCounted())
                .toList();
        return SendingUsage.of(latest);
    }

    /** Counts {@code send} under its key (moving an earlier count of the key), and forgets sends no limit can see. */
    private void count(TenantId tenant, CountedSend send) {
        Map<String, Instant> counted =
                sends.computeIfAbsent(new AccountKey(tenant, send.account()), k -> new HashMap<>());
        counted.put(send.idempotencyKey(), send.at());
        Instant forgotten = send.at().minus(CountedSend.keptFor(send.limits()));
        counted.values().removeIf(at -> at.isBefore(forgotten));
    }

    @Override
    public void renewLeases(Lease lease, Collection<Task> held) {
        Objects.requireNonNull(lease, "lease");
        write(() -> {
            for (Task task : held) {
                Claim claim = claims.get(task.id());
                Task stored = tasks.get(task.id());
                if (claim != null
                        && claim.owner().equals(lease.owner())
                        && stored != null
                        && stored.tenant().equals(task.tenant())) {
                    claims.put(task.id(), new Claim(lease.owner(), lease.until()));
                }
            }
            return null;
        });
    }

    @Override
    public Either<TaskError, Task> delete(
            TenantId tenant, TaskId id, long expectedVersion, HistoryEntry entry, List<TaskEvent> events) {
        Objects.requireNonNull(entry, "history");
        return write(() -> {
            Optional<Task> stored = find(tenant, id);
            if (stored.isEmpty()) {
                return Either.left(new TaskError.NotFound(id));
            }
            if (stored.get().version() != expectedVersion) {
                return Either.left(new TaskError.VersionConflict(
                        id, expectedVersion, stored.get().version()));
            }
            tasks.remove(id);
            claims.remove(id);
            keep(entry);
            keep(events);
            return Either.right(stored.get());
        });
    }

    @Override
    public List<Task> reassignSequence(
            TenantId tenant, SequenceId sequence, UserId assignee, Actor actor, Instant now, boolean withEvents) {
        Objects.requireNonNull(actor, "actor");
        return write(() -> {
            List<Task> reassigned = new ArrayList<>();
            Map<TaskId, Task> before = new HashMap<>();
            for (Task task : tasks.values()) {
                if (task.tenant().equals(tenant)
                        && task.active()
                        && task.origin()
                                .sequence()
                                .map(s -> s.sequenceId().equals(sequence))
                                .orElse(false)) {
                    Task changed = task.reassignedBySequence(assignee, now);
                    before.put(task.id(), task);
                    if (changed.execution().isEmpty()) {
                        // An execution under way keeps its lease: its engine is alive and still renewing it.
                        claims.remove(changed.id());
                    }
                    reassigned.add(changed);
                }
            }
            reassigned.sort(Comparator.comparing(Task::id));
            for (Task changed : reassigned) {
                tasks.put(changed.id(), changed);
                HistoryEntry entry = HistoryEntry.changed(
                        UUID.randomUUID(), TaskEventType.REASSIGNED, before.get(changed.id()), changed, actor);
                keep(entry);
                if (withEvents) {
                    keep(List.of(TaskEvent.of(entry, changed)));
                }
            }
            return reassigned;
        });
    }

    @Override
    public Either<TaskError, HistoryEntry> addNote(HistoryEntry note, List<TaskEvent> events) {
        Objects.requireNonNull(note, "note");
        if (note.type() != TaskEventType.NOTE_ADDED) {
            throw new IllegalArgumentException(
                    "a note is a " + TaskEventType.NOTE_ADDED + " entry, not " + note.type());
        }
        return write(() -> {
            if (stored(note.tenant(), note.taskId()) == null) {
                return Either.left(new TaskError.NotFound(note.taskId()));
            }
            keep(note);
            keep(events);
            return Either.right(note);
        });
    }

    @Override
    public StoredHistory history(HistoryRequest request) {
        Objects.requireNonNull(request, "request");
        lock.readLock().lock();
        try {
            List<Kept> kept = request.taskId().isPresent()
                    ? history.getOrDefault(
                            new TaskKey(request.tenant(), request.taskId().get()), List.of())
                    : tenantHistory.getOrDefault(request.tenant(), List.of());
            List<Kept> page = new ArrayList<>();
            for (int i = kept.size() - 1; i >= 0 && page.size() <= request.limit(); i--) {
                Kept k = kept.get(i);
                if (request.before().isPresent()
                        && k.position() >= request.before().getAsLong()) {
                    continue;
                }
                if (request.includes(k.entry())) {
                    page.add(k);
                }
            }
            boolean more = page.size() > request.limit();
            List<Kept> answered = more ? page.subList(0, request.limit()) : page;
            return new StoredHistory(
                    answered.stream().map(Kept::entry).toList(),
                    more ? OptionalLong.of(answered.get(answered.size() - 1).position()) : OptionalLong.empty());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int forgetHistory(Instant deletedBefore) {
        Objects.requireNonNull(deletedBefore, "deletedBefore");
        return write(() -> {
            int forgotten = 0;
            for (java.util.Iterator<Map.Entry<TaskKey, List<Kept>>> it =
                            history.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<TaskKey, List<Kept>> entry = it.next();
                List<Kept> kept = entry.getValue();
                HistoryEntry last = kept.get(kept.size() - 1).entry();
                if (last.type() == TaskEventType.DELETED && last.at().isBefore(deletedBefore)) {
                    it.remove();
                    forgotten += kept.size();
                    java.util.Set<Long> positions = new java.util.HashSet<>();
                    kept.forEach(k -> positions.add(k.position()));
                    tenantHistory.get(entry.getKey().tenant()).removeIf(k -> positions.contains(k.position()));
                }
            }
            return forgotten;
        });
    }

    @Override
    public Optional<Instant> contactPause(TenantId tenant, ContactId contact) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(contactPauses.get(new ContactKey(tenant, contact)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<ContactId, Instant> contactPauses(TenantId tenant, Collection<ContactId> contacts) {
        Objects.requireNonNull(tenant, "tenant");
        lock.readLock().lock();
        try {
            Map<ContactId, Instant> pauses = new HashMap<>();
            for (ContactId contact : contacts) {
                Instant until = contactPauses.get(new ContactKey(tenant, contact));
                if (until != null) {
                    pauses.put(contact, until);
                }
            }
            return pauses;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void keepContactPause(TenantId tenant, ContactId contact, Instant until) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(contact, "contact");
        write(() -> until == null
                ? contactPauses.remove(new ContactKey(tenant, contact))
                : contactPauses.put(new ContactKey(tenant, contact), until.truncatedTo(ChronoUnit.MICROS)));
    }

    @Override
    public List<Task> dueReminders(Instant now, int limit) {
        lock.readLock().lock();
        try {
            return tasks.values().stream()
                    .filter(task -> task.reminderDue(now))
                    .sorted(Comparator.comparing(
                                    (Task task) -> task.fields().remindAt().orElseThrow())
                            .thenComparing(Task::id))
                    .limit(limit)
                    .toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StoredPage query(PageRequest request) {
        TaskQuery query = request.query();
        lock.readLock().lock();
        try {
            List<Task> matching = tasks.values().stream()
                    .filter(task -> query.matches(task, request.now()))
                    .toList();
            List<Task> page = matching.stream()
                    .filter(request::includes)
                    .sorted(query.sort().comparator())
                    .limit(query.limit() + 1L)
                    .toList();
            boolean hasMore = page.size() > query.limit();
            return new StoredPage(
                    hasMore ? page.subList(0, query.limit()) : page,
                    hasMore,
                    query.includeTotal() ? OptionalLong.of(matching.size()) : OptionalLong.empty());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Task> claimDue(DueTasks request) {
        return write(() -> {
            List<Task> claimed = new ArrayList<>();
            tasks.values().stream()
                    .filter(task ->
                            !request.dueOnly() && executionGone(task, request) && unclaimed(task, request.now()))
                    .sorted(Comparator.comparing((Task task) ->
                                    task.execution().orElseThrow().startedAt())
                            .thenComparing(Task::id))
                    .limit(request.limit())
                    .forEach(claimed::add);
            tasks.values().stream()
                    .filter(task -> task.dueForExecution(request.now()) && unclaimed(task, request.now()))
                    .sorted(Comparator.comparing(
                                    (Task task) -> task.nextExecutionAt().orElseThrow())
                            .thenComparing(Task::id))
                    .limit(request.limit() - claimed.size())
                    .forEach(claimed::add);
            claimed.forEach(task -> claims.put(task.id(), new Claim(request.owner(), request.leaseUntil())));
            return claimed;
        });
    }

    /**
     * An execution without outcome whose engine is taken to be gone: recorded under a lease (by a scheduler) that is
     * still on record, expired, or recorded without one (by hand) before the request's stale time; or a resend the
     * sending policy deferred, once its deferral ended.
     */
    private boolean executionGone(Task task, DueTasks request) {
        if (task.execution().isEmpty()) {
            return false;
        }
        if (task.deferral().isPresent()) {
            return !task.deferral().get().until().isAfter(request.now());
        }
        return claims.containsKey(task.id()) || task.executionStale(request.staleBefore());
    }

    private boolean unclaimed(Task task, Instant now) {
        Claim claim = claims.get(task.id());
        return claim == null || claim.until().isBefore(now);
    }

    @Override
    public dev.taskengine.api.Backlog backlog(Instant now, int limit) {
        lock.readLock().lock();
        try {
            List<Instant> due = tasks.values().stream()
                    .filter(task -> task.dueForExecution(now))
                    .map(task -> task.nextExecutionAt().orElseThrow())
                    .sorted()
                    .limit(limit)
                    .toList();
            return new dev.taskengine.api.Backlog(
                    now,
                    due.size(),
                    due.isEmpty() ? Optional.empty() : Optional.of(due.get(0)),
                    Math.min(outbox.size(), limit));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<TaskEvent> pendingEvents(int limit) {
        lock.readLock().lock();
        try {
            return outbox.values().stream().limit(limit).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void markPublished(List<TaskEvent> events) {
        write(() -> {
            events.forEach(event -> outbox.remove(event.id()));
            return null;
        });
    }

    /** Keeps {@code entry} in its task's history at the next position; the caller holds the write lock. */
    private void keep(HistoryEntry entry) {
        Kept kept = new Kept(nextPosition++, entry);
        history.computeIfAbsent(new TaskKey(entry.tenant(), entry.taskId()), k -> new ArrayList<>())
                .add(kept);
        tenantHistory.computeIfAbsent(entry.tenant(), k -> new ArrayList<>()).add(kept);
    }

    private void keep(List<TaskEvent> events) {
        for (TaskEvent event : events) {
            outbox.put(event.id(), event);
        }
    }

    /** How many tasks are stored, all tenants together. */
    public int size() {
        lock.readLock().lock();
        try {
            return tasks.size();
        } finally {
            lock.readLock().unlock();
        }
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
