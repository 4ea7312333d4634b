package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingUsage;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Lease;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.StoredHistory;
import dev.taskengine.store.StoredPage;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Engine behaviour that does not depend on the store; the contract kit covers the rest on every adapter. */
class DefaultTaskEngineTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Actor ACTOR = Actor.user(1);

    /** The smallest store that works, so these tests need no adapter. */
    private static final class MapStore implements TaskStore {
        private final Map<TaskId, Task> tasks = new HashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private int queries;

        @Override
        public TaskId nextId() {
            return TaskId.of(ids.incrementAndGet());
        }

        @Override
        public void insert(Task task, HistoryEntry history, List<TaskEvent> events) {
            tasks.put(task.id(), task);
        }

        @Override
        public List<Task> findAll(TenantId tenant, Collection<TaskId> ids) {
            return ids.stream()
                    .map(id -> find(tenant, id))
                    .flatMap(Optional::stream)
                    .toList();
        }

        @Override
        public Optional<Task> find(TenantId tenant, TaskId id) {
            return Optional.ofNullable(tasks.get(id)).filter(t -> t.tenant().equals(tenant));
        }

        @Override
        public Either<TaskError, Task> update(
                Task changed, long expectedVersion, HistoryEntry history, List<TaskEvent> events) {
            tasks.put(changed.id(), changed);
            return Either.right(changed);
        }

        /** These tests set no sending limits: no write counts a send. */
        @Override
        public List<Either<TaskError, Task>> updateAll(List<TaskWrite> writes) {
            return writes.stream()
                    .map(w -> update(w.changed(), w.expectedVersion(), w.history(), w.events()))
                    .toList();
        }

        @Override
        public SendingUsage sendingUsage(TenantId tenant, SendingAccount account, SendingLimits limits, Instant at) {
            return SendingUsage.none();
        }

        @Override
        public Either<TaskError, Task> delete(
                TenantId tenant, TaskId id, long expectedVersion, HistoryEntry history, List<TaskEvent> events) {
            return Either.right(tasks.remove(id));
        }

        @Override
        public List<Task> reassignSequence(
                TenantId tenant, SequenceId sequence, UserId assignee, Actor actor, Instant now, boolean withEvents) {
            return List.of();
        }

        @Override
        public Either<TaskError, HistoryEntry> addNote(HistoryEntry note, List<TaskEvent> events) {
            return Either.right(note);
        }

        @Override
        public StoredHistory history(HistoryRequest request) {
            return new StoredHistory(List.of(), OptionalLong.empty());
        }

        @Override
        public int forgetHistory(Instant deletedBefore) {
            return 0;
        }

        @Override
        public Optional<Instant> contactPause(TenantId tenant, ContactId contact) {
            return Optional.empty();
        }

        @Override
        public void keepContactPause(TenantId tenant, ContactId contact, Instant until) {}

        @Override
        public List<Task> dueReminders(Instant now, int limit) {
            return List.of();
        }

        @Override
        public List<Task> claimDue(DueTasks request) {
            return List.of();
        }

        @Override
        public List<TaskEvent> pendingEvents(int limit) {
            return List.of();
        }

        @Override
        public dev.taskengine.api.Backlog backlog(java.time.Instant now, int limit) {
            return new dev.taskengine.api.Backlog(now, 0, java.util.Optional.empty(), 0);
        }

        private boolean outboxDown;

        @Override
        public void markPublished(List<TaskEvent> events) {
            if (outboxDown) {
                throw new dev.taskengine.api.StoreUnavailableException("outbox unreachable", null);
            }
        }

        @Override
        public void renewLeases(Lease lease, Collection<Task> held) {}

        @Override
        public StoredPage query(PageRequest request) {
            queries++;
            return new StoredPage(List.of(), false, OptionalLong.empty());
        }
    }

    private final MapStore store = new MapStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private NewTask.Builder toDo() {
        return NewTask.builder()
                .tenant(TENANT)
                .type(TaskType.TO_DO)
                .assignee(UserId.of(1))
                .startAt(NOW)
                .dueTo(NOW.plusSeconds(3600))
                .template(Template.of("Do it"));
    }

    @Test
    void aFailingEventPublisherDoesNotFailAWriteThatSucceeded() {
        TaskEngine engine = TaskEngine.builder()
                .store(store)
                .clock(clock)
                .events(event -> {
                    throw new IllegalStateException("subscriber down");
                })
                .build();
        Task task = engine.create(ACTOR, toDo().build()).get();
        assertThat(engine.complete(TaskRef.of(ACTOR, TENANT, task.id()), Completion.done())
                        .isRight())
                .isTrue();
    }

    @Test
    void aCommittedWriteIsReportedAsDoneEvenWhenMarkingItsEventPublishedFails() {
        store.outboxDown = true;
        List<dev.taskengine.spi.TaskEvent> published = new java.util.ArrayList<>();
        TaskEngine engine = TaskEngine.builder()
                .store(store)
                .clock(clock)
                .events(published::add)
                .build();
        Task task = engine.create(ACTOR, toDo().build()).get();
        assertThat(store.tasks).containsKey(task.id());
        assertThat(published).hasSize(1);
        assertThat(engine.relayPendingEvents()).isZero();
    }

    @Test
    void anEngineWithoutAnObserverIsNotWrappedAndKeepsNoTrace() {
        TaskEngine engine = TaskEngine.builder().store(store).clock(clock).build();
        assertThat(engine).isInstanceOf(DefaultTaskEngine.class);
        Task task = engine.create(ACTOR, toDo().build()).get();
        assertThat(task.trace()).isEqualTo(dev.taskengine.domain.TraceContext.NONE);
        assertThat(store.tasks.get(task.id()).trace()).isEqualTo(dev.taskengine.domain.TraceContext.NONE);
    }

    @Test
    void anEngineWithAnObserverReportsItsDrivingCalls() {
        dev.taskengine.spi.EngineObserver observer = new dev.taskengine.spi.EngineObserver() {
            @Override
            public Scope action(String action, TenantId tenant) {
                return dev.taskengine.spi.EngineObserver.none().action(action, tenant);
            }

            @Override
            public Scope execution(
                    dev.taskengine.spi.Channel channel,
                    TenantId tenant,
                    TaskId task,
                    boolean scheduled,
                    Map<String, String> trace) {
                return dev.taskengine.spi.EngineObserver.none().execution(channel, tenant, task, scheduled, trace);
            }

            @Override
            public Map<String, String> traceContext() {
                return Map.of();
            }

            @Override
            public void claimed(int wanted, int claimed) {}

            @Override
            public void sentLate(dev.taskengine.spi.Channel channel, java.time.Duration lateness) {}

            @Override
            public void deferred(String reason) {}

            @Override
            public void published(int count) {}
        };
        assertThat(TaskEngine.builder()
                        .store(store)
                        .clock(clock)
                        .observer(observer)
                        .build())
                .isInstanceOf(ObservedTaskEngine.class);
    }

    @Test
    void theContentOfAClosedTaskIsItsTemplateAsStored() {
        TaskEngine engine = TaskEngine.builder().store(store).clock(clock).build();
        Task task = engine.create(
                        ACTOR,
                        toDo().template(Template.of("Called, left a note")).build())
                .get();
        engine.complete(TaskRef.of(ACTOR, TENANT, task.id()), Completion.done()).get();
        assertThat(engine.get(TENANT, task.id(), true).get().content())
                .contains(new Rendering.Rendered(dev.taskengine.domain.Content.of(null, "Called, left a note")));
    }

    @Test
    void anInvalidQueryNeverReachesTheStore() {
        TaskEngine engine = TaskEngine.builder().store(store).clock(clock).build();
        TaskError error = engine.query(TaskQuery.forTenant(TENANT)
                        .limit(0)
                        .startingBetween(NOW, NOW.minusSeconds(1))
                        .after("x")
                        .build())
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("query.limit.outOfRange", "query.startAtTo.beforeStartAtFrom", "query.cursor.invalid");
        assertThat(store.queries).isZero();
    }

    @Test
    void aStartWindowWithEqualEndsIsEmptyNotRefused() {
        TaskEngine engine = TaskEngine.builder().store(store).clock(clock).build();
        TaskPage page = engine.query(
                        TaskQuery.forTenant(TENANT).startingBetween(NOW, NOW).build())
                .get();
        assertThat(page.tasks()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void theEngineTakesItsTimeFromTheClockItWasGiven() {
        TaskEngine engine = TaskEngine.builder().store(store).clock(clock).build();
        assertThat(engine.create(ACTOR, toDo().build()).get().times().createdAt())
                .isEqualTo(NOW);
    }

    @Test
    void anEngineNeedsAStore() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TaskEngine.builder().build())
                .isInstanceOf(IllegalStateException.class);
    }
}
