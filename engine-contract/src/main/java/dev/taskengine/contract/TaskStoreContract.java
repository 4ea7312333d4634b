package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.everyFieldSet;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.stored;
import static dev.taskengine.contract.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceStepId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.TraceContext;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Keyset;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link TaskStore} must do. An adapter's test extends this class and implements {@link #store()}; each test
 * works in a fresh tenant, so a store shared between tests (one database) needs no cleanup.
 */
public abstract class TaskStoreContract {

    /** The store under test; may be the same instance for every test. */
    protected abstract TaskStore store();

    private TaskStore store;
    private TenantId tenant;

    @BeforeEach
    void setUpTenant() {
        store = store();
        tenant = freshTenant();
    }

    private Task insert(Task task) {
        store.insert(task, Writes.created(task), List.of());
        return task;
    }

    private TaskId id() {
        return store.nextId();
    }

    private List<TaskId> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }

    private StoredPage query(TaskQuery query) {
        return store.query(PageRequest.first(query, NOW));
    }

    // --- ids and round trips

    @Test
    void nextIdNeverRepeats() {
        Set<TaskId> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertThat(seen.add(store.nextId())).isTrue();
        }
    }

    @Test
    void aStoredTaskComesBackWithEveryField() {
        Task task = insert(everyFieldSet(tenant, id()));
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void aTaskBeingExecutedComesBackWithItsExecutionAndRetry() {
        Task task = insert(TaskFixtures.executingEmail(tenant, id()));
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void aLinkedInTaskKeepsItsLinkedInAction() {
        Task task = insert(TaskFixtures.linkedIn(tenant, id()));
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void anUnknownIdIsAbsent() {
        assertThat(store.find(tenant, id())).isEmpty();
    }

    @Test
    void findAllAnswersTheTenantsStoredTasksAmongTheIds() {
        Task first = insert(stored(tenant, id(), TaskStatus.NEW));
        Task second = insert(stored(tenant, id(), TaskStatus.FINISHED));
        TenantId otherTenant = freshTenant();
        Task foreign = insert(stored(otherTenant, id(), TaskStatus.NEW));

        List<Task> found = store.findAll(tenant, List.of(second.id(), foreign.id(), first.id(), id(), second.id()));

        assertThat(found).containsExactlyInAnyOrder(first, second);
        assertThat(store.findAll(tenant, List.of())).isEmpty();
    }

    @Test
    void anotherTenantsTaskIsAbsent() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        assertThat(store.find(freshTenant(), task.id())).isEmpty();
    }

    // --- versions

    @Test
    void anUpdateWithTheStoredVersionIsKept() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = task.start(NOW).get();
        assertThat(store.update(started, 1, Writes.entry(started), List.of()).get())
                .isEqualTo(started);
        assertThat(store.find(tenant, task.id())).contains(started);
    }

    @Test
    void anUpdateWithAStaleVersionIsAConflictAndChangesNothing() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = task.start(NOW).get();
        store.update(started, 1, Writes.entry(started), List.of());
        Task staleChange = task.cancel(NOW).get();
        assertThat(store.update(staleChange, 1, Writes.entry(staleChange), List.of())
                        .getLeft())
                .isEqualTo(new TaskError.VersionConflict(task.id(), 1, 2));
        assertThat(store.find(tenant, task.id())).contains(started);
    }

    @Test
    void anUpdateOfAnUnknownTaskIsNotFound() {
        Task neverStored = stored(tenant, id(), TaskStatus.NEW);
        assertThat(store.update(
                                neverStored.start(NOW).get(),
                                1,
                                Writes.entry(neverStored.start(NOW).get()),
                                List.of())
                        .getLeft())
                .isEqualTo(new TaskError.NotFound(neverStored.id()));
    }

    @Test
    void anUpdateCannotMoveATaskToAnotherTenant() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        Task foreign =
                stored(freshTenant(), task.id(), TaskStatus.NEW).start(NOW).get();
        assertThat(store.update(foreign, 1, Writes.entry(foreign), List.of()).getLeft())
                .isEqualTo(new TaskError.NotFound(task.id()));
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void aBatchOfUpdatesWithTheStoredVersionsKeepsEveryOne() {
        Task first = insert(stored(tenant, id(), TaskStatus.NEW));
        Task second = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = first.start(NOW).get();
        Task cancelled = second.cancel(NOW).get();
        assertThat(store.updateAll(List.of(
                        new TaskWrite(started, 1, Writes.entry(started), List.of()),
                        new TaskWrite(cancelled, 1, Writes.entry(cancelled), List.of()))))
                .extracting(Either::get)
                .containsExactly(started, cancelled);
        assertThat(store.find(tenant, first.id())).contains(started);
        assertThat(store.find(tenant, second.id())).contains(cancelled);
    }

    @Test
    void aStaleWriteInABatchIsAConflictAloneAndTheOthersAreKept() {
        Task first = insert(stored(tenant, id(), TaskStatus.NEW));
        Task second = insert(stored(tenant, id(), TaskStatus.NEW));
        store.update(first.start(NOW).get(), 1, Writes.entry(first.start(NOW).get()), List.of());
        Task staleChange = first.cancel(NOW).get();
        Task cancelled = second.cancel(NOW).get();
        List<Either<TaskError, Task>> written = store.updateAll(List.of(
                new TaskWrite(staleChange, 1, Writes.entry(staleChange), List.of()),
                new TaskWrite(cancelled, 1, Writes.entry(cancelled), List.of())));
        assertThat(written.get(0).getLeft()).isEqualTo(new TaskError.VersionConflict(first.id(), 1, 2));
        assertThat(written.get(1).get()).isEqualTo(cancelled);
        assertThat(store.find(tenant, first.id()).orElseThrow().status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(store.find(tenant, second.id())).contains(cancelled);
    }

    @Test
    void aBatchWriteOfAnUnknownTaskIsNotFound() {
        Task unknown = stored(tenant, id(), TaskStatus.NEW);
        assertThat(store.updateAll(List.of(new TaskWrite(
                                unknown.start(NOW).get(),
                                1,
                                Writes.entry(unknown.start(NOW).get()),
                                List.of())))
                        .get(0)
                        .getLeft())
                .isEqualTo(new TaskError.NotFound(unknown.id()));
    }

    @Test
    void aBatchOfUpdatesStoresTheEventsOfTheKeptWritesOnly() {
        Task first = insert(stored(tenant, id(), TaskStatus.NEW));
        Task second = insert(stored(tenant, id(), TaskStatus.NEW));
        store.update(first.start(NOW).get(), 1, Writes.entry(first.start(NOW).get()), List.of());
        Task staleChange = first.cancel(NOW).get();
        Task cancelled = second.cancel(NOW).get();
        TaskEvent kept = Writes.event(TaskEventType.CANCELLED, cancelled, NOW);
        store.updateAll(List.of(
                new TaskWrite(
                        staleChange,
                        1,
                        Writes.entry(staleChange),
                        List.of(Writes.event(TaskEventType.CANCELLED, staleChange, NOW))),
                new TaskWrite(cancelled, 1, Writes.entry(cancelled), List.of(kept))));
        assertThat(pendingOfThisTenant()).containsExactly(kept);
    }

    @Test
    void aDeleteWithTheStoredVersionRemovesTheTask() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        assertThat(store.delete(tenant, task.id(), 1, Writes.deleted(tenant, task.id(), 1), List.of())
                        .get())
                .isEqualTo(task);
        assertThat(store.find(tenant, task.id())).isEmpty();
    }

    @Test
    void aDeleteWithAStaleVersionIsAConflictAndKeepsTheTask() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        assertThat(store.delete(tenant, task.id(), 3, Writes.deleted(tenant, task.id(), 3), List.of())
                        .getLeft())
                .isEqualTo(new TaskError.VersionConflict(task.id(), 3, 1));
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void anotherTenantCannotDeleteATask() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        assertThat(store.delete(freshTenant(), task.id(), 1, Writes.deleted(freshTenant(), task.id(), 1), List.of())
                        .getLeft())
                .isEqualTo(new TaskError.NotFound(task.id()));
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    // --- sequence-wide reassign

    @Test
    void aSequenceReassignMovesEveryActiveTaskOfThatSequenceOnly() {
        Task first = insert(task(tenant, id()).sequence(500, 1).build());
        Task second = insert(task(tenant, id())
                .sequence(500, 2)
                .status(TaskStatus.IN_PROGRESS)
                .build());
        Task closed = insert(
                task(tenant, id()).sequence(500, 3).status(TaskStatus.FINISHED).build());
        Task otherSequence = insert(task(tenant, id()).sequence(501, 1).build());
        TenantId otherTenant = freshTenant();
        Task otherTenantsTask = task(otherTenant, id()).sequence(500, 1).build();
        store.insert(otherTenantsTask, Writes.created(otherTenantsTask), List.of());

        List<Task> reassigned =
                store.reassignSequence(tenant, SequenceId.of(500), UserId.of(99), Writes.ACTOR, NOW, false);

        assertThat(ids(reassigned)).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(reassigned).allSatisfy(t -> {
            assertThat(t.assignedUserId()).isEqualTo(UserId.of(99));
            assertThat(t.version()).isEqualTo(2);
            assertThat(t.times().updatedAt()).isEqualTo(NOW);
        });
        assertThat(store.find(tenant, first.id())).contains(first.reassignedBySequence(UserId.of(99), NOW));
        assertThat(store.find(tenant, second.id())).contains(second.reassignedBySequence(UserId.of(99), NOW));
        assertThat(store.find(tenant, closed.id())).contains(closed);
        assertThat(store.find(tenant, otherSequence.id())).contains(otherSequence);
        assertThat(store.find(otherTenant, otherTenantsTask.id())).contains(otherTenantsTask);
    }

    @Test
    void aSequenceReassignOfASequenceWithoutActiveTasksChangesNothing() {
        assertThat(store.reassignSequence(tenant, SequenceId.of(404), UserId.of(1), Writes.ACTOR, NOW, false))
                .isEmpty();
    }

    // --- query filters

    @Test
    void aQueryFiltersByStatus() {
        Task open = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = insert(stored(tenant, id(), TaskStatus.IN_PROGRESS));
        insert(stored(tenant, id(), TaskStatus.FINISHED));
        insert(stored(tenant, id(), TaskStatus.CANCELLED));
        assertThat(ids(query(TaskQuery.forTenant(tenant).active().build()).tasks()))
                .containsExactlyInAnyOrder(open.id(), started.id());
    }

    @Test
    void aQueryFiltersByType() {
        Task call = insert(task(tenant, id()).type(TaskType.CALL).build());
        insert(task(tenant, id()).type(TaskType.TO_DO).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant).type(TaskType.CALL).build())
                        .tasks()))
                .containsExactly(call.id());
    }

    @Test
    void aQueryFiltersByAssignee() {
        Task mine = insert(task(tenant, id()).assignee(11).build());
        insert(task(tenant, id()).assignee(12).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant).assignee(UserId.of(11)).build())
                        .tasks()))
                .containsExactly(mine.id());
    }

    @Test
    void aQueryFiltersBySequence() {
        Task inSequence = insert(task(tenant, id()).sequence(700, 1).build());
        insert(task(tenant, id()).sequence(701, 1).build());
        insert(stored(tenant, id(), TaskStatus.NEW));
        assertThat(ids(query(TaskQuery.forTenant(tenant)
                                .sequence(SequenceId.of(700))
                                .build())
                        .tasks()))
                .containsExactly(inSequence.id());
    }

    @Test
    void aQueryFiltersBySequenceStep() {
        Task stepTwo = insert(task(tenant, id()).sequence(700, 2).build());
        insert(task(tenant, id()).sequence(700, 1).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant)
                                .sequenceStep(SequenceStepId.of(2))
                                .build())
                        .tasks()))
                .containsExactly(stepTwo.id());
    }

    @Test
    void aQueryFiltersByContact() {
        Task forAda = insert(task(tenant, id()).contact(1).build());
        insert(task(tenant, id()).contact(2).build());
        insert(stored(tenant, id(), TaskStatus.NEW));
        assertThat(ids(query(TaskQuery.forTenant(tenant)
                                .contact(ContactId.of(1))
                                .build())
                        .tasks()))
                .containsExactly(forAda.id());
    }

    @Test
    void aQueryStartWindowIncludesItsStartAndExcludesItsEnd() {
        Instant from = NOW;
        Instant to = NOW.plus(1, ChronoUnit.DAYS);
        Task atStart = insert(
                task(tenant, id()).startAt(from).dueTo(to.plusSeconds(60)).build());
        Task inside = insert(task(tenant, id())
                .startAt(from.plusSeconds(1))
                .dueTo(to.plusSeconds(60))
                .build());
        insert(task(tenant, id()).startAt(to).dueTo(to.plusSeconds(60)).build());
        insert(task(tenant, id()).startAt(from.minusNanos(1000)).dueTo(to).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant)
                                .startingBetween(from, to)
                                .build())
                        .tasks()))
                .containsExactlyInAnyOrder(atStart.id(), inside.id());
    }

    @Test
    void aQueryForOverdueTasksKeepsActiveTasksPastTheirDueTime() {
        Instant start = NOW.minus(2, ChronoUnit.DAYS);
        Task late = insert(
                task(tenant, id()).startAt(start).dueTo(NOW.minusSeconds(1)).build());
        insert(task(tenant, id()).startAt(start).dueTo(NOW).build());
        insert(task(tenant, id())
                .startAt(start)
                .dueTo(NOW.minusSeconds(1))
                .status(TaskStatus.FINISHED)
                .build());
        assertThat(ids(query(TaskQuery.forTenant(tenant).overdue(true).build()).tasks()))
                .containsExactly(late.id());
    }

    @Test
    void aQueryFiltersByPriority() {
        Task hot = insert(task(tenant, id()).priority(Priority.HOT).build());
        Task extra = insert(task(tenant, id()).priority(Priority.EXTRA).build());
        insert(task(tenant, id()).priority(Priority.TODAY).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant)
                                .priority(Priority.HOT, Priority.EXTRA)
                                .build())
                        .tasks()))
                .containsExactlyInAnyOrder(hot.id(), extra.id());
    }

    @Test
    void aQueryFiltersByScheduled() {
        Task scheduled = insert(task(tenant, id()).scheduled(true).build());
        Task manual = insert(task(tenant, id()).scheduled(false).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant).scheduled(true).build())
                        .tasks()))
                .containsExactly(scheduled.id());
        assertThat(ids(query(TaskQuery.forTenant(tenant).scheduled(false).build())
                        .tasks()))
                .containsExactly(manual.id());
    }

    @Test
    void aQueryForHiddenTasksKeepsThoseSnoozedOrPausedUntilAfterItsNow() {
        Task snoozed =
                insert(task(tenant, id()).snoozedUntil(NOW.plusSeconds(60)).build());
        Task paused = insert(
                task(tenant, id()).contact(5).pausedUntil(NOW.plusSeconds(60)).build());
        Task snoozeEnded = insert(task(tenant, id()).snoozedUntil(NOW).build());
        Task pauseEnded = insert(
                task(tenant, id()).contact(5).pausedUntil(NOW.minusSeconds(1)).build());
        Task visible = insert(task(tenant, id()).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant).hidden(true).build()).tasks()))
                .containsExactlyInAnyOrder(snoozed.id(), paused.id());
        assertThat(ids(query(TaskQuery.forTenant(tenant).hidden(false).build()).tasks()))
                .containsExactlyInAnyOrder(snoozeEnded.id(), pauseEnded.id(), visible.id());
        assertThat(ids(store.query(PageRequest.first(
                                TaskQuery.forTenant(tenant).hidden(false).build(), NOW.plusSeconds(60)))
                        .tasks()))
                .hasSize(5);
    }

    @Test
    void aQueryFiltersByDueTimeBefore() {
        Task early = insert(task(tenant, id()).dueTo(NOW.plusSeconds(10)).build());
        insert(task(tenant, id()).dueTo(NOW.plusSeconds(20)).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant)
                                .dueToBefore(NOW.plusSeconds(20))
                                .build())
                        .tasks()))
                .containsExactly(early.id());
    }

    @Test
    void aQueryFiltersByAnExecutionUnderWay() {
        Task executing = insert(TaskFixtures.executingEmail(tenant, id()));
        Task idle = insert(task(tenant, id()).type(TaskType.MANUAL_EMAIL).build());
        assertThat(ids(query(TaskQuery.forTenant(tenant).executing(true).build())
                        .tasks()))
                .containsExactly(executing.id());
        assertThat(ids(query(TaskQuery.forTenant(tenant).executing(false).build())
                        .tasks()))
                .containsExactly(idle.id());
    }

    @Test
    void aStoredTaskKeepsItsSnoozePauseAndReminder() {
        Task task = insert(task(tenant, id())
                .contact(5)
                .snoozedUntil(NOW.plusSeconds(60))
                .pausedUntil(NOW.plusSeconds(120))
                .remindAt(NOW.plusSeconds(30))
                .build());
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void aStoredTaskKeepsItsTraceContextThroughAnUpdate() {
        TraceContext trace = TraceContext.of(Map.of(
                TraceContext.TRACEPARENT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                TraceContext.TRACESTATE,
                "congo=t61rcWkgMzE"));
        Task task = insert(task(tenant, id()).trace(trace).build());
        assertThat(store.find(tenant, task.id())).contains(task);
        Task untraced = insert(task(tenant, id()).build());
        assertThat(store.find(tenant, untraced.id()).orElseThrow().trace()).isEqualTo(TraceContext.NONE);

        Task changed = task(tenant, task.id())
                .version(2)
                .trace(TraceContext.of(
                        Map.of(TraceContext.TRACEPARENT, "00-11111111111111111111111111111111-2222222222222222-00")))
                .build();
        assertThat(store.update(changed, 1, Writes.entry(changed), List.of()).isRight())
                .isTrue();
        assertThat(store.find(tenant, task.id())).contains(changed);
    }

    @Test
    void aQueryCombinesItsFilters() {
        Task wanted = insert(task(tenant, id())
                .type(TaskType.CALL)
                .assignee(5)
                .priority(Priority.HOT)
                .build());
        insert(task(tenant, id())
                .type(TaskType.CALL)
                .assignee(5)
                .priority(Priority.EXTRA)
                .build());
        insert(task(tenant, id())
                .type(TaskType.CALL)
                .assignee(6)
                .priority(Priority.HOT)
                .build());
        insert(task(tenant, id())
                .type(TaskType.TO_DO)
                .assignee(5)
                .priority(Priority.HOT)
                .build());
        TaskQuery query = TaskQuery.forTenant(tenant)
                .type(TaskType.CALL)
                .assignee(UserId.of(5))
                .priority(Priority.HOT)
                .build();
        assertThat(ids(query(query).tasks())).containsExactly(wanted.id());
    }

    @Test
    void aQueryNeverReturnsAnotherTenantsTasks() {
        TenantId other = freshTenant();
        store.insert(
                stored(other, id(), TaskStatus.NEW), Writes.created(stored(other, id(), TaskStatus.NEW)), List.of());
        assertThat(query(TaskQuery.forTenant(tenant).includeTotal().build()).tasks())
                .isEmpty();
        assertThat(query(TaskQuery.forTenant(tenant).includeTotal().build()).total())
                .hasValue(0);
    }

    // --- order, paging, totals

    @ParameterizedTest
    @EnumSource(TaskSort.class)
    void aQuerySortsByItsKeyThenById(TaskSort sort) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant time = NOW.plus(i % 3, ChronoUnit.HOURS);
            tasks.add(insert(task(tenant, id())
                    .createdAt(time.minus(1, ChronoUnit.DAYS))
                    .updatedAt(time)
                    .startAt(time)
                    .dueTo(time.plus(i % 2 + 1, ChronoUnit.DAYS))
                    .build()));
        }
        List<TaskId> expected =
                tasks.stream().sorted(sort.comparator()).map(Task::id).toList();
        assertThat(ids(query(TaskQuery.forTenant(tenant).sort(sort).limit(100).build())
                        .tasks()))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskSort.class,
            names = {"START_AT_ASC", "DUE_TO_DESC"})
    void keysetPagingVisitsEveryTaskOnceInOrder(TaskSort sort) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Instant start = NOW.plus(i % 3, ChronoUnit.MINUTES);
            tasks.add(insert(task(tenant, id())
                    .startAt(start)
                    .dueTo(start.plus(i % 2 + 1, ChronoUnit.HOURS))
                    .build()));
        }
        TaskQuery query = TaskQuery.forTenant(tenant).sort(sort).limit(3).build();
        List<TaskId> visited = new ArrayList<>();
        Optional<Keyset> after = Optional.empty();
        List<Boolean> hasMore = new ArrayList<>();
        do {
            StoredPage page = store.query(after.map(position -> PageRequest.after(query, position, NOW))
                    .orElseGet(() -> PageRequest.first(query, NOW)));
            visited.addAll(ids(page.tasks()));
            hasMore.add(page.hasMore());
            Task last = page.tasks().get(page.tasks().size() - 1);
            after = page.hasMore() ? Optional.of(Keyset.of(last, sort)) : Optional.empty();
        } while (after.isPresent());
        assertThat(visited)
                .isEqualTo(
                        tasks.stream().sorted(sort.comparator()).map(Task::id).toList());
        assertThat(hasMore).containsExactly(true, true, false);
    }

    @Test
    void theTotalIsCountedOnlyWhenAskedFor() {
        for (int i = 0; i < 5; i++) {
            insert(stored(tenant, id(), TaskStatus.NEW));
        }
        assertThat(query(TaskQuery.forTenant(tenant).limit(2).build()).total()).isEmpty();
        StoredPage counted =
                query(TaskQuery.forTenant(tenant).limit(2).includeTotal().build());
        assertThat(counted.total()).hasValue(5);
        assertThat(counted.tasks()).hasSize(2);
        assertThat(counted.hasMore()).isTrue();
    }

    @Test
    void aPageThatHoldsTheLastTaskHasNoMore() {
        insert(stored(tenant, id(), TaskStatus.NEW));
        insert(stored(tenant, id(), TaskStatus.NEW));
        StoredPage page = query(TaskQuery.forTenant(tenant).limit(2).build());
        assertThat(page.tasks()).hasSize(2);
        assertThat(page.hasMore()).isFalse();
    }

    // --- the outbox

    private List<TaskEvent> pendingOfThisTenant() {
        return store.pendingEvents(100_000).stream()
                .filter(e -> e.tenant().equals(tenant))
                .toList();
    }

    @Test
    void writesStoreTheirEventsUntilTheyAreMarkedPublished() {
        Task task = stored(tenant, id(), TaskStatus.NEW);
        TaskEvent created = Writes.event(TaskEventType.CREATED, task, NOW);
        store.insert(task, Writes.created(task), List.of(created));
        Task started = task.start(NOW).get();
        TaskEvent startedEvent = Writes.event(TaskEventType.STARTED, started, NOW);
        store.update(started, 1, Writes.entry(started), List.of(startedEvent));
        TaskEvent deleted = Writes.event(TaskEventType.DELETED, started, NOW);
        store.delete(tenant, task.id(), 2, Writes.deleted(tenant, task.id(), 2), List.of(deleted));

        assertThat(pendingOfThisTenant()).containsExactly(created, startedEvent, deleted);
        TaskEvent unknown = Writes.event(TaskEventType.CREATED, stored(tenant, id(), TaskStatus.NEW), NOW);
        store.markPublished(List.of(created, startedEvent, unknown));
        assertThat(pendingOfThisTenant()).containsExactly(deleted);
    }

    @Test
    void eventsOfSeveralTenantsAreMarkedPublishedTogetherAndTheOthersStay() {
        Task task = stored(tenant, id(), TaskStatus.NEW);
        TaskEvent created = Writes.event(TaskEventType.CREATED, task, NOW);
        store.insert(task, Writes.created(task), List.of(created));
        TenantId other = freshTenant();
        Task othersTask = stored(other, id(), TaskStatus.NEW);
        TaskEvent othersCreated = Writes.event(TaskEventType.CREATED, othersTask, NOW);
        store.insert(othersTask, Writes.created(othersTask), List.of(othersCreated));
        Task othersStarted = othersTask.start(NOW).get();
        TaskEvent othersStartedEvent = Writes.event(TaskEventType.STARTED, othersStarted, NOW);
        store.update(othersStarted, 1, Writes.entry(othersStarted), List.of(othersStartedEvent));

        store.markPublished(List.of(created, othersCreated));

        assertThat(pendingOfThisTenant()).isEmpty();
        assertThat(store.pendingEvents(100_000)).contains(othersStartedEvent).doesNotContain(othersCreated);
    }

    @Test
    void aRefusedWriteStoresNoEvent() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        store.update(task.start(NOW).get(), 1, Writes.entry(task.start(NOW).get()), List.of());
        Task staleChange = task.cancel(NOW).get();
        store.update(
                staleChange,
                1,
                Writes.entry(staleChange),
                List.of(Writes.event(TaskEventType.CANCELLED, staleChange, NOW)));
        store.delete(
                tenant,
                task.id(),
                1,
                Writes.deleted(tenant, task.id(), 1),
                List.of(Writes.event(TaskEventType.DELETED, task, NOW)));
        assertThat(pendingOfThisTenant()).isEmpty();
    }

    @Test
    void aSequenceReassignStoresOneEventPerTaskWhenAsked() {
        Task first = insert(task(tenant, id()).sequence(600, 1).build());
        Task second = insert(task(tenant, id()).sequence(600, 2).build());
        store.reassignSequence(tenant, SequenceId.of(600), UserId.of(3), Writes.ACTOR, NOW, true);
        assertThat(pendingOfThisTenant())
                .extracting(TaskEvent::type, TaskEvent::taskId, TaskEvent::version)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.REASSIGNED, first.id(), 2L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.REASSIGNED, second.id(), 2L));
    }

    // --- claims of due scheduled tasks

    /** A time of its own for each claim test, so that due tasks other tests left behind are not due at it. */
    private final Instant claimTime = Instant.parse("2015-06-01T00:00:00Z")
            .plusSeconds(ThreadLocalRandom.current().nextLong(0, 5L * 365 * 24 * 3600));

    private Task scheduledEmail(Instant startAt) {
        return insert(task(tenant, id())
                .type(TaskType.MANUAL_EMAIL)
                .scheduled(true)
                .createdAt(startAt.minusSeconds(3600))
                .startAt(startAt)
                .dueTo(startAt.plusSeconds(3600))
                .build());
    }

    private List<TaskId> claim(Instant now, String owner) {
        DueTasks request = new DueTasks(now, now.minusSeconds(300), 100_000, owner, now.plusSeconds(60));
        return store.claimDue(request).stream()
                .filter(t -> t.tenant().equals(tenant))
                .map(Task::id)
                .toList();
    }

    /** Before any claim test's time (those start in June 2015), so that only this test's tasks are due at it. */
    private static final Instant BACKLOG_TIME = Instant.parse("2015-03-01T00:00:00Z");

    @Test
    void theBacklogCountsTheDueTasksAndNamesWhenTheOldestFellDue() {
        dev.taskengine.api.Backlog before = store.backlog(BACKLOG_TIME, 100_000);
        List<Task> due = List.of(
                scheduledEmail(BACKLOG_TIME.minusSeconds(10)),
                scheduledEmail(BACKLOG_TIME.minusSeconds(30)),
                scheduledEmail(BACKLOG_TIME.minusSeconds(20)));
        Task notYet = scheduledEmail(BACKLOG_TIME.plusSeconds(60));
        try {
            dev.taskengine.api.Backlog backlog = store.backlog(BACKLOG_TIME, 100_000);

            assertThat(backlog.dueTasks() - before.dueTasks()).isEqualTo(3);
            assertThat(backlog.oldestDue()).contains(BACKLOG_TIME.minusSeconds(30));
            assertThat(backlog.oldestDueLag()).isEqualTo(java.time.Duration.ofSeconds(30));
            assertThat(store.backlog(BACKLOG_TIME, 1).dueTasks()).isEqualTo(1);
        } finally {
            for (Task task : List.of(due.get(0), due.get(1), due.get(2), notYet)) {
                store.delete(
                        tenant,
                        task.id(),
                        task.version(),
                        Writes.deleted(tenant, task.id(), task.version()),
                        List.of());
            }
        }
    }

    @Test
    void theBacklogCountsTheEventsNotYetPublished() {
        long before = store.backlog(BACKLOG_TIME, 100_000).pendingEvents();
        Task task = task(tenant, id()).build();
        TaskEvent event = Writes.event(TaskEventType.CREATED, task, NOW);
        store.insert(task, Writes.created(task), List.of(event));

        assertThat(store.backlog(BACKLOG_TIME, 100_000).pendingEvents() - before)
                .isEqualTo(1);
        store.markPublished(List.of(event));
        assertThat(store.backlog(BACKLOG_TIME, 100_000).pendingEvents()).isEqualTo(before);
    }

    @Test
    void aClaimTakesScheduledEmailAndSmsTasksWhoseStartHasComeOldestFirst() {
        Task later = scheduledEmail(claimTime.minusSeconds(10));
        Task earlier = scheduledEmail(claimTime.minusSeconds(20));
        Task sms = insert(task(tenant, id())
                .type(TaskType.SMS)
                .scheduled(true)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime)
                .dueTo(claimTime.plusSeconds(60))
                .build());
        scheduledEmail(claimTime.plusSeconds(1));
        insert(task(tenant, id())
                .type(TaskType.MANUAL_EMAIL)
                .scheduled(false)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(30))
                .dueTo(claimTime.plusSeconds(60))
                .build());
        insert(task(tenant, id())
                .type(TaskType.CALL)
                .scheduled(true)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(30))
                .dueTo(claimTime.plusSeconds(60))
                .build());
        insert(task(tenant, id())
                .type(TaskType.MANUAL_EMAIL)
                .scheduled(true)
                .status(TaskStatus.CANCELLED)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(30))
                .dueTo(claimTime.plusSeconds(60))
                .build());
        assertThat(claim(claimTime, "engine-a")).containsExactly(earlier.id(), later.id(), sms.id());
    }

    @Test
    void aClaimedTaskIsNotClaimedAgainUntilItsLeaseExpires() {
        Task task = scheduledEmail(claimTime.minusSeconds(10));
        assertThat(claim(claimTime, "engine-a")).containsExactly(task.id());
        assertThat(claim(claimTime.plusSeconds(30), "engine-b")).isEmpty();
        assertThat(claim(claimTime.plusSeconds(61), "engine-b")).containsExactly(task.id());
    }

    @Test
    void aWriteEndsTheClaim() {
        Task task = scheduledEmail(claimTime.minusSeconds(10));
        claim(claimTime, "engine-a");
        store.update(
                task.reassign(UserId.of(5), claimTime).get(),
                1,
                Writes.entry(task.reassign(UserId.of(5), claimTime).get()),
                List.of());
        assertThat(claim(claimTime.plusSeconds(1), "engine-b")).containsExactly(task.id());
    }

    @Test
    void aBatchWriteEndsTheClaim() {
        Task task = scheduledEmail(claimTime.minusSeconds(10));
        claim(claimTime, "engine-a");
        store.updateAll(List.of(new TaskWrite(
                task.reassign(UserId.of(5), claimTime).get(),
                1,
                Writes.entry(task.reassign(UserId.of(5), claimTime).get()),
                List.of())));
        assertThat(claim(claimTime.plusSeconds(1), "engine-b")).containsExactly(task.id());
    }

    @Test
    void aFailedTaskIsClaimedOnlyOnceItsRetryTimeHasCome() {
        Task retried = insert(task(tenant, id())
                .type(TaskType.SMS)
                .scheduled(true)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(600))
                .dueTo(claimTime.plusSeconds(600))
                .failed("timeout", claimTime.plusSeconds(5))
                .build());
        insert(task(tenant, id())
                .type(TaskType.SMS)
                .scheduled(true)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(600))
                .dueTo(claimTime.plusSeconds(600))
                .failed("invalid number", null)
                .build());
        assertThat(claim(claimTime, "engine-a")).isEmpty();
        assertThat(claim(claimTime.plusSeconds(5), "engine-a")).containsExactly(retried.id());
    }

    @Test
    void anExecutionWithoutOutcomeIsClaimedOnceItIsStale() {
        Execution execution = new Execution(
                tenant + "/x/2",
                claimTime.minusSeconds(200),
                new Content(Optional.empty(), "Hi"),
                "+1 555 0100",
                Optional.empty());
        Task executing = insert(task(tenant, id())
                .type(TaskType.SMS)
                .scheduled(false)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(600))
                .dueTo(claimTime.plusSeconds(600))
                .executing(execution)
                .build());
        assertThat(claim(claimTime, "engine-a")).isEmpty();
        assertThat(claim(claimTime.plusSeconds(101), "engine-a")).containsExactly(executing.id());
    }

    /** A scheduled email claimed by {@code owner} at {@link #claimTime}, its execution recorded under {@code lease}. */
    private Task executingUnderLease(String owner, Lease lease) {
        return executingUnderLease(scheduledEmail(claimTime.minusSeconds(10)), owner, lease);
    }

    private Task executingUnderLease(Task task, String owner, Lease lease) {
        assertThat(claim(claimTime, owner)).containsExactly(task.id());
        Execution execution = new Execution(
                tenant + "/" + task.id() + "/2",
                claimTime,
                new Content(Optional.of("Hi"), "Hi"),
                "ada@example.com",
                Optional.empty());
        Task started = task.executionStarted(execution, claimTime).get();
        assertThat(store.updateAll(List.of(new TaskWrite(started, task.version(), Writes.entry(started), List.of())
                                .holding(lease)))
                        .get(0)
                        .isRight())
                .isTrue();
        return started;
    }

    @Test
    void anExecutionRecordedUnderALeaseIsTakenOverOnceTheLeaseRunsOutLongBeforeItIsStale() {
        Task executing = executingUnderLease("engine-a", new Lease("engine-a", claimTime.plusSeconds(15)));
        assertThat(claim(claimTime.plusSeconds(10), "engine-b")).isEmpty();
        assertThat(claim(claimTime.plusSeconds(16), "engine-b")).containsExactly(executing.id());
    }

    @Test
    void aRenewedLeaseKeepsTheExecutionFromOtherEngines() {
        Task executing = executingUnderLease("engine-a", new Lease("engine-a", claimTime.plusSeconds(15)));
        store.renewLeases(new Lease("engine-a", claimTime.plusSeconds(30)), List.of(executing));
        assertThat(claim(claimTime.plusSeconds(16), "engine-b")).isEmpty();
        assertThat(claim(claimTime.plusSeconds(31), "engine-b")).containsExactly(executing.id());
    }

    @Test
    void aSequenceWideReassignKeepsTheLeaseOfAnExecutionUnderWay() {
        Instant start = claimTime.minusSeconds(10);
        Task inSequence = insert(task(tenant, id())
                .type(TaskType.MANUAL_EMAIL)
                .scheduled(true)
                .sequence(700, 1)
                .createdAt(start.minusSeconds(3600))
                .startAt(start)
                .dueTo(start.plusSeconds(3600))
                .build());
        Task executing = executingUnderLease(inSequence, "engine-a", new Lease("engine-a", claimTime.plusSeconds(15)));
        store.reassignSequence(tenant, SequenceId.of(700), UserId.of(9), Writes.ACTOR, claimTime.plusSeconds(1), false);
        store.renewLeases(new Lease("engine-a", claimTime.plusSeconds(30)), List.of(executing));
        assertThat(claim(claimTime.plusSeconds(16), "engine-b")).isEmpty();
        assertThat(claim(claimTime.plusSeconds(31), "engine-b")).containsExactly(executing.id());
    }

    @Test
    void onlyTheOwnerOfALeaseRenewsIt() {
        Task executing = executingUnderLease("engine-a", new Lease("engine-a", claimTime.plusSeconds(15)));
        store.renewLeases(new Lease("engine-b", claimTime.plusSeconds(300)), List.of(executing));
        assertThat(claim(claimTime.plusSeconds(16), "engine-c")).containsExactly(executing.id());
    }

    @Test
    void anExecutionTakenOverIsHeldByItsNewOwner() {
        Task executing = executingUnderLease("engine-a", new Lease("engine-a", claimTime.plusSeconds(15)));
        assertThat(claim(claimTime.plusSeconds(16), "engine-b")).containsExactly(executing.id());
        store.renewLeases(new Lease("engine-a", claimTime.plusSeconds(300)), List.of(executing));
        // engine-b's claim lasts 60 s (see claim): engine-a, back from the dead, renews nothing.
        assertThat(claim(claimTime.plusSeconds(77), "engine-c")).containsExactly(executing.id());
    }

    @Test
    void aDueOnlyClaimLeavesStaleExecutionsForTheNextFullClaim() {
        Task due = scheduledEmail(claimTime.minusSeconds(10));
        Execution execution = new Execution(
                tenant + "/stale/2",
                claimTime.minusSeconds(400),
                new Content(Optional.empty(), "Sent before the crash"),
                "+15550100",
                Optional.empty());
        Task executing = insert(task(tenant, id())
                .type(TaskType.SMS)
                .scheduled(true)
                .createdAt(claimTime.minusSeconds(3600))
                .startAt(claimTime.minusSeconds(600))
                .dueTo(claimTime.plusSeconds(600))
                .executing(execution)
                .build());
        DueTasks dueOnly = new DueTasks(
                claimTime, claimTime.minusSeconds(300), 100_000, "engine-a", claimTime.plusSeconds(60), true);

        assertThat(store.claimDue(dueOnly).stream()
                        .filter(t -> t.tenant().equals(tenant))
                        .map(Task::id))
                .containsExactly(due.id());
        assertThat(claim(claimTime, "engine-a")).containsExactly(executing.id());
    }

    @Test
    void aClaimTakesNoMoreThanItsLimit() {
        for (int i = 0; i < 5; i++) {
            scheduledEmail(claimTime.minusSeconds(1000 - i));
        }
        DueTasks request =
                new DueTasks(claimTime, claimTime.minusSeconds(300), 2, "engine-a", claimTime.plusSeconds(60));
        assertThat(store.claimDue(request)).hasSizeLessThanOrEqualTo(2);
    }

    // --- history, notes, contact pauses and reminders

    private List<HistoryEntry> historyOf(TaskId task) {
        return store.history(new HistoryRequest(
                        tenant,
                        Optional.of(task),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Set.of(),
                        OptionalLong.empty(),
                        1000))
                .entries();
    }

    private HistoryRequest request(
            Optional<TaskId> task,
            Optional<Actor> actor,
            Optional<Instant> from,
            Optional<Instant> to,
            Set<TaskEventType> types) {
        return new HistoryRequest(tenant, task, actor, from, to, types, OptionalLong.empty(), 1000);
    }

    @Test
    void eachWriteKeepsItsHistoryEntryNewestFirst() {
        Task task = stored(tenant, id(), TaskStatus.NEW);
        HistoryEntry created = Writes.created(task);
        store.insert(task, created, List.of());
        Task started = task.start(NOW).get();
        HistoryEntry startedEntry = Writes.changed(TaskEventType.STARTED, task, started);
        store.update(started, 1, startedEntry, List.of());
        HistoryEntry deleted = Writes.deleted(tenant, task.id(), 2);
        store.delete(tenant, task.id(), 2, deleted, List.of());
        assertThat(historyOf(task.id())).containsExactly(deleted, startedEntry, created);
    }

    @Test
    void aRefusedBatchWriteKeepsNoHistoryEntry() {
        Task first = insert(stored(tenant, id(), TaskStatus.NEW));
        Task second = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = first.start(NOW).get();
        store.update(started, 1, Writes.changed(TaskEventType.STARTED, first, started), List.of());
        Task staleChange = first.cancel(NOW).get();
        Task cancelled = second.cancel(NOW).get();
        HistoryEntry refused = Writes.changed(TaskEventType.CANCELLED, first, staleChange);
        HistoryEntry kept = Writes.changed(TaskEventType.CANCELLED, second, cancelled);
        store.updateAll(List.of(
                new TaskWrite(staleChange, 1, refused, List.of()), new TaskWrite(cancelled, 1, kept, List.of())));
        assertThat(historyOf(first.id()))
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.STARTED, TaskEventType.CREATED);
        assertThat(historyOf(second.id())).first().isEqualTo(kept);
    }

    @Test
    void aRefusedUpdateOrDeleteKeepsNoHistoryEntry() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = task.start(NOW).get();
        store.update(started, 1, Writes.changed(TaskEventType.STARTED, task, started), List.of());
        Task staleChange = task.cancel(NOW).get();
        assertThat(store.update(staleChange, 1, Writes.changed(TaskEventType.CANCELLED, task, staleChange), List.of())
                        .getLeft())
                .isInstanceOf(TaskError.VersionConflict.class);
        assertThat(store.delete(tenant, task.id(), 1, Writes.deleted(tenant, task.id(), 1), List.of())
                        .getLeft())
                .isInstanceOf(TaskError.VersionConflict.class);
        assertThat(historyOf(task.id()))
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.STARTED, TaskEventType.CREATED);
    }

    @Test
    void aNoteIsKeptWithItsEventAndLeavesTheTaskAsItIs() {
        Task task = insert(stored(tenant, id(), TaskStatus.FINISHED));
        HistoryEntry note = HistoryEntry.note(UUID.randomUUID(), task, Writes.ACTOR, NOW, "kept")
                .get();
        TaskEvent event = TaskEvent.of(note, task);
        assertThat(store.addNote(note, List.of(event)).get()).isEqualTo(note);
        assertThat(historyOf(task.id())).first().isEqualTo(note);
        assertThat(pendingOfThisTenant()).containsExactly(event);
        assertThat(store.find(tenant, task.id())).contains(task);
    }

    @Test
    void aNoteForAMissingTaskIsNotFoundAndKeepsNothing() {
        Task neverStored = stored(tenant, id(), TaskStatus.NEW);
        HistoryEntry note = HistoryEntry.note(UUID.randomUUID(), neverStored, Writes.ACTOR, NOW, "lost")
                .get();
        assertThat(store.addNote(note, List.of(TaskEvent.of(note, neverStored))).getLeft())
                .isEqualTo(new TaskError.NotFound(neverStored.id()));
        assertThat(historyOf(neverStored.id())).isEmpty();
        assertThat(pendingOfThisTenant()).isEmpty();
    }

    @Test
    void aNoteForAnotherTenantsTaskIsNotFound() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        Task foreign = stored(freshTenant(), task.id(), TaskStatus.NEW);
        HistoryEntry note = HistoryEntry.note(UUID.randomUUID(), foreign, Writes.ACTOR, NOW, "x")
                .get();
        assertThat(store.addNote(note, List.of()).getLeft()).isEqualTo(new TaskError.NotFound(task.id()));
        assertThat(historyOf(task.id())).hasSize(1);
    }

    @Test
    void historyKeepsExactlyTheEntriesItsRequestIncludes() {
        Actor kim = Actor.user(8);
        Task first = insert(stored(tenant, id(), TaskStatus.NEW));
        Task second = insert(stored(tenant, id(), TaskStatus.NEW));
        Task started = first.start(NOW).get();
        store.update(
                started,
                1,
                HistoryEntry.changed(UUID.randomUUID(), TaskEventType.STARTED, first, started, kim),
                List.of());
        store.addNote(
                HistoryEntry.note(UUID.randomUUID(), second, kim, NOW.plusSeconds(60), "call back")
                        .get(),
                List.of());
        Task cancelled = second.cancel(NOW.plusSeconds(120)).get();
        store.update(cancelled, 1, Writes.changed(TaskEventType.CANCELLED, second, cancelled), List.of());
        insert(stored(freshTenant(), id(), TaskStatus.NEW));

        List<HistoryEntry> all = store.history(
                        request(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Set.of()))
                .entries();
        assertThat(all).hasSize(5);
        List<HistoryRequest> requests = List.of(
                request(Optional.of(first.id()), Optional.empty(), Optional.empty(), Optional.empty(), Set.of()),
                request(Optional.empty(), Optional.of(kim), Optional.empty(), Optional.empty(), Set.of()),
                request(Optional.empty(), Optional.of(Writes.ACTOR), Optional.empty(), Optional.empty(), Set.of()),
                request(Optional.empty(), Optional.empty(), Optional.of(NOW), Optional.empty(), Set.of()),
                request(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(NOW.plusSeconds(60)),
                        Set.of()),
                request(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(NOW.plusSeconds(60)),
                        Optional.of(NOW.plusSeconds(120)),
                        Set.of()),
                request(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Set.of(TaskEventType.NOTE_ADDED, TaskEventType.CANCELLED)),
                request(
                        Optional.of(second.id()),
                        Optional.of(kim),
                        Optional.of(NOW),
                        Optional.empty(),
                        Set.of(TaskEventType.NOTE_ADDED)));
        for (HistoryRequest request : requests) {
            assertThat(store.history(request).entries())
                    .as(request.toString())
                    .containsExactlyElementsOf(
                            all.stream().filter(request::includes).toList());
        }
        assertThat(all.stream().filter(requests.get(1)::includes)).hasSize(2);
    }

    @Test
    void aHistoryPageEndsWhereTheNextBegins() {
        Task task = insert(stored(tenant, id(), TaskStatus.NEW));
        for (int i = 0; i < 4; i++) {
            store.addNote(
                    HistoryEntry.note(UUID.randomUUID(), task, Writes.ACTOR, NOW.plusSeconds(i), "note " + i)
                            .get(),
                    List.of());
        }
        List<HistoryEntry> all = historyOf(task.id());
        HistoryRequest firstPage = new HistoryRequest(
                tenant,
                Optional.of(task.id()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                OptionalLong.empty(),
                3);
        StoredHistory first = store.history(firstPage);
        assertThat(first.entries()).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(first.next()).isPresent();
        StoredHistory second = store.history(new HistoryRequest(
                tenant,
                Optional.of(task.id()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                first.next(),
                3));
        assertThat(second.entries()).containsExactlyElementsOf(all.subList(3, 5));
        assertThat(second.next()).isEmpty();
    }

    @Test
    void forgettingHistoryRemovesOnlyThatOfTasksDeletedBeforeTheGivenTime() {
        Task deletedEarly = insert(stored(tenant, id(), TaskStatus.NEW));
        Task deletedLate = insert(stored(tenant, id(), TaskStatus.NEW));
        Task kept = insert(stored(tenant, id(), TaskStatus.NEW));
        store.delete(tenant, deletedEarly.id(), 1, deletedAt(deletedEarly, NOW.minusSeconds(3600)), List.of());
        store.delete(tenant, deletedLate.id(), 1, deletedAt(deletedLate, NOW), List.of());
        store.forgetHistory(NOW.minusSeconds(60));
        assertThat(historyOf(deletedEarly.id())).isEmpty();
        assertThat(historyOf(deletedLate.id())).hasSize(2);
        assertThat(historyOf(kept.id())).hasSize(1);
    }

    private static HistoryEntry deletedAt(Task task, Instant at) {
        return new HistoryEntry(
                UUID.randomUUID(),
                task.tenant(),
                task.id(),
                task.version(),
                at,
                Writes.ACTOR,
                TaskEventType.DELETED,
                Optional.of(task.status()),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void aContactPauseIsKeptReplacedAndEnded() {
        ContactId contact = ContactId.of(77);
        assertThat(store.contactPause(tenant, contact)).isEmpty();
        store.keepContactPause(tenant, contact, NOW.plusSeconds(3600));
        assertThat(store.contactPause(tenant, contact)).contains(NOW.plusSeconds(3600));
        store.keepContactPause(tenant, contact, NOW.plusSeconds(60));
        assertThat(store.contactPause(tenant, contact)).contains(NOW.plusSeconds(60));
        assertThat(store.contactPause(freshTenant(), contact)).isEmpty();
        assertThat(store.contactPause(tenant, ContactId.of(78))).isEmpty();
        store.keepContactPause(tenant, contact, null);
        assertThat(store.contactPause(tenant, contact)).isEmpty();
    }

    @Test
    void thePausesOfSeveralContactsAreReadTogether() {
        ContactId paused = ContactId.of(91);
        ContactId ended = ContactId.of(92);
        ContactId never = ContactId.of(93);
        store.keepContactPause(tenant, paused, NOW.plusSeconds(3600));
        store.keepContactPause(tenant, ended, NOW.minusSeconds(60));
        store.keepContactPause(freshTenant(), never, NOW.plusSeconds(3600));

        assertThat(store.contactPauses(tenant, List.of(paused, ended, never, paused)))
                .containsOnly(entry(paused, NOW.plusSeconds(3600)), entry(ended, NOW.minusSeconds(60)));
        assertThat(store.contactPauses(tenant, List.of())).isEmpty();
    }

    /** A time of its own for each reminder test, so that reminders other tests left behind are not due at it. */
    private final Instant reminderTime = Instant.parse("2015-06-01T00:00:00Z")
            .plusSeconds(ThreadLocalRandom.current().nextLong(0, 5L * 365 * 24 * 3600));

    private Task withReminder(TenantId owner, Instant remindAt) {
        return insert(task(owner, id())
                .createdAt(remindAt.minusSeconds(3600))
                .startAt(remindAt.minusSeconds(3600))
                .dueTo(remindAt.plusSeconds(3600))
                .remindAt(remindAt)
                .build());
    }

    @Test
    void dueRemindersAreAcrossTenantsEarliestFirstUpToTheLimit() {
        TenantId other = freshTenant();
        Task latest = withReminder(tenant, reminderTime.minusSeconds(10));
        Task earliest = withReminder(tenant, reminderTime.minusSeconds(30));
        Task othersTask = withReminder(other, reminderTime.minusSeconds(20));
        Task atNow = withReminder(tenant, reminderTime);
        Task notYet = withReminder(tenant, reminderTime.plusSeconds(1));
        assertThat(store.dueReminders(reminderTime, 100_000).stream()
                        .filter(t -> t.tenant().equals(tenant) || t.tenant().equals(other))
                        .map(Task::id))
                .containsExactly(earliest.id(), othersTask.id(), latest.id(), atNow.id());
        assertThat(store.dueReminders(reminderTime, 1)).hasSize(1);
        assertThat(store.dueReminders(reminderTime, 100_000)).noneMatch(t -> t.id().equals(notYet.id()));
    }

    @Test
    void aReminderClearedByAWriteIsNoLongerDue() {
        Task task = withReminder(tenant, reminderTime.minusSeconds(5));
        Task reminded = task.reminded(reminderTime).get();
        store.update(reminded, 1, Writes.changed(TaskEventType.REMINDED, task, reminded), List.of());
        assertThat(store.dueReminders(reminderTime, 100_000)).noneMatch(t -> t.id().equals(task.id()));
    }
}
