package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Reopening;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's behaviour on top of an adapter's store: the same answers on every adapter. An adapter's test extends this
 * class and implements {@link #store()}.
 */
public abstract class TaskEngineContract {

    protected abstract TaskStore store();

    private final MutableClock clock = new MutableClock(NOW);
    private final Map<ContactId, Contact> contacts = new ConcurrentHashMap<>();
    private final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    private TaskEngine engine;
    private TaskStore store;
    private TenantId tenant;

    @BeforeEach
    void setUpEngine() {
        tenant = freshTenant();
        store = store();
        ContactDirectory directory =
                (t, id) -> t.equals(tenant) ? Optional.ofNullable(contacts.get(id)) : Optional.empty();
        engine = TaskEngine.builder()
                .store(store)
                .contacts(directory)
                .events(events::add)
                .clock(clock)
                .build();
        contacts.put(
                ContactId.of(1),
                Contact.builder(1)
                        .firstName("Ada")
                        .lastName("Lovelace")
                        .email("ada@example.com")
                        .phone("+44 20 7946 0000")
                        .company("Analytical <Engines>")
                        .build());
    }

    /**
     * The events of this test's writes: published ones, or, on a store inside a host's open transaction (where nothing is
     * published before the host commits), the ones waiting in the store's outbox.
     */
    private List<TaskEvent> eventsOfThisTenant() {
        List<TaskEvent> source = store.commitsEachWrite() ? List.copyOf(events) : store.pendingEvents(100_000);
        return source.stream().filter(e -> e.tenant().equals(tenant)).toList();
    }

    private Task create(NewTask.Builder task) {
        return engine.create(Writes.ACTOR, task.build()).get();
    }

    private Task createToDo() {
        return create(newToDo(tenant));
    }

    private TaskRef ref(Task task) {
        return TaskRef.of(Writes.ACTOR, tenant, task.id());
    }

    private Task stored(Task task) {
        return engine.get(tenant, task.id(), false).get().task();
    }

    private List<Task> createSequence(long sequenceId, int steps) {
        return IntStream.rangeClosed(1, steps)
                .mapToObj(step -> create(newToDo(tenant)
                        .contact(ContactId.of(1))
                        .sequence(SequenceRef.of(sequenceId, step, "Step " + step))))
                .toList();
    }

    // --- create and get

    @Test
    void aCreatedTaskIsStoredAsNewAtVersionOne() {
        Task task = createToDo();
        assertThat(task.status()).isEqualTo(TaskStatus.NEW);
        assertThat(task.version()).isEqualTo(1);
        assertThat(task.times().createdAt()).isEqualTo(NOW);
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void anInvalidTaskIsRefusedWithEveryViolationAndNothingIsStored() {
        TaskQuery everything = TaskQuery.forTenant(tenant).includeTotal().build();
        NewTask invalid = newToDo(tenant)
                .dueTo(NOW)
                .template(Template.of(" "))
                .contact(ContactId.of(999))
                .build();
        TaskError error = engine.create(Writes.ACTOR, invalid).getLeft();
        assertThat(error).isInstanceOf(TaskError.InvalidInput.class);
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactlyInAnyOrder(
                        "task.dueTo.notAfterStartAt", "task.template.body.required", "task.contactId.unknown");
        assertThat(engine.query(everything).get().total()).hasValue(0);
        assertThat(eventsOfThisTenant()).isEmpty();
    }

    @Test
    void getWithContentRendersTheTemplateWithTheContactsVariables() {
        Task task = create(newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .template(Template.of("Hello {{firstName}}", "Dear {{firstName}} of {{company}}")));
        var detail = engine.get(tenant, task.id(), true).get();
        assertThat(detail.content())
                .contains(new Rendering.Rendered(
                        dev.taskengine.domain.Content.of("Hello Ada", "Dear Ada of Analytical &lt;Engines&gt;")));
        assertThat(detail.deliveryInfo())
                .hasValueSatisfying(d -> assertThat(d.email()).contains("ada@example.com"));
    }

    @Test
    void getWithoutContentRendersNothing() {
        Task task = create(newToDo(tenant).contact(ContactId.of(1)).template(Template.of("Call {{firstName}}")));
        assertThat(engine.get(tenant, task.id(), false).get().content()).isEmpty();
    }

    @Test
    void getWithContentNamesEveryMissingVariable() {
        Task task = create(
                newToDo(tenant).contact(ContactId.of(1)).template(Template.of("{{title}} {{firstName}} {{nickname}}")));
        assertThat(engine.get(tenant, task.id(), true).get().content())
                .contains(new Rendering.MissingVariables(List.of("nickname", "title")));
    }

    // --- versions and tenants

    @Test
    void anActionExpectingAnOlderVersionIsAConflictAndChangesNothing() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        assertThat(engine.cancel(ref(task).expecting(1)).getLeft())
                .isEqualTo(new TaskError.VersionConflict(task.id(), 1, 2));
        assertThat(stored(task).status()).isEqualTo(TaskStatus.IN_PROGRESS);
    }

    @Test
    void anActionExpectingTheCurrentVersionApplies() {
        Task task = createToDo();
        assertThat(engine.start(ref(task).expecting(1)).get().version()).isEqualTo(2);
    }

    @Test
    void everyActionOnAnotherTenantsTaskIsNotFound() {
        Task task = createToDo();
        TaskRef foreign = TaskRef.of(Writes.ACTOR, freshTenant(), task.id());
        TaskError notFound = new TaskError.NotFound(task.id());
        List<Function<TaskRef, io.vavr.control.Either<TaskError, ?>>> actions = List.of(
                r -> engine.get(r.tenant(), r.id(), true),
                r -> engine.update(r, TaskUpdate.from(task)),
                r -> engine.reassign(r, UserId.of(2), ReassignScope.TASK),
                r -> engine.reassign(r, UserId.of(2), ReassignScope.SEQUENCE),
                engine::start,
                r -> engine.complete(r, Completion.done()),
                engine::skip,
                engine::cancel,
                engine::detach,
                r -> engine.reopen(r, ReopenReason.MANUAL),
                engine::archive,
                engine::delete);
        for (var action : actions) {
            assertThat(action.apply(foreign).getLeft()).isEqualTo(notFound);
        }
        assertThat(engine.completeAll(Writes.ACTOR, foreign.tenant(), List.of(task.id()), Completion.done())
                        .get()
                        .failures())
                .containsExactly(Map.entry(task.id(), notFound));
        assertThat(stored(task)).isEqualTo(task);
    }

    // --- lifecycle through the engine

    @Test
    void aCallIsCompletedWithItsDisposition() {
        Task call = create(
                newToDo(tenant).type(TaskType.CALL).contact(ContactId.of(1)).template(Template.of("Call Ada")));
        clock.advance(Duration.ofMinutes(5));
        Task done = engine.complete(ref(call), Completion.withDisposition(Disposition.ANSWERED))
                .get();
        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(done.callOutcome().disposition()).contains(Disposition.ANSWERED);
        assertThat(done.times().finishedAt()).contains(NOW.plus(Duration.ofMinutes(5)));
        assertThat(stored(call)).isEqualTo(done);
    }

    @Test
    void aSkippedTaskCanBeReopenedThenArchivedAfterCancel() {
        Task task = createToDo();
        engine.skip(ref(task)).get();
        Task reopened = engine.reopen(ref(task), ReopenReason.REMINDER_RULE).get();
        assertThat(reopened.status()).isEqualTo(TaskStatus.NEW);
        assertThat(reopened.times().skippedAt()).isEmpty();
        assertThat(reopened.reopening().map(Reopening::reason)).contains(ReopenReason.REMINDER_RULE);
        engine.cancel(ref(task)).get();
        assertThat(engine.archive(ref(task)).get().status()).isEqualTo(TaskStatus.ARCHIVED);
    }

    @Test
    void anIllegalTransitionNamesTheActionAndTheStateAndChangesNothing() {
        Task task = createToDo();
        engine.complete(ref(task), Completion.done()).get();
        Task finished = stored(task);
        assertThat(engine.start(ref(task)).getLeft())
                .isEqualTo(new TaskError.IllegalTransition(TaskAction.START, TaskStatus.FINISHED));
        assertThat(stored(task)).isEqualTo(finished);
    }

    @Test
    void anUpdateReplacesTheEditableFields() {
        Task task = createToDo();
        TaskUpdate update = TaskUpdate.from(task)
                .withType(TaskType.CALL)
                .withContact(ContactId.of(1))
                .withTemplate(Template.of("Call {{firstName}}"));
        Task updated = engine.update(ref(task), update).get();
        assertThat(updated.type()).isEqualTo(TaskType.CALL);
        assertThat(updated.fields().contactId()).contains(ContactId.of(1));
        assertThat(stored(task)).isEqualTo(updated);
    }

    @Test
    void anUpdateToAnUnknownContactIsRefused() {
        Task task = createToDo();
        TaskError error = engine.update(ref(task), TaskUpdate.from(task).withContact(ContactId.of(12345)))
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("task.contactId.unknown");
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void aDeletedTaskIsGone() {
        Task task = createToDo();
        assertThat(engine.delete(ref(task)).get()).isEqualTo(task);
        assertThat(engine.get(tenant, task.id(), false).getLeft()).isEqualTo(new TaskError.NotFound(task.id()));
    }

    // --- reassign

    @Test
    void aTaskScopeReassignMovesOnlyThatTask() {
        List<Task> sequence = createSequence(900, 3);
        var reassignment = engine.reassign(ref(sequence.get(0)), UserId.of(55), ReassignScope.TASK)
                .get();
        assertThat(reassignment.reassigned())
                .extracting(Task::id)
                .containsExactly(sequence.get(0).id());
        assertThat(stored(sequence.get(1)).assignedUserId()).isEqualTo(UserId.of(7));
    }

    @Test
    void aSequenceScopeReassignMovesEveryActiveTaskOfTheSequence() {
        List<Task> sequence = createSequence(901, 3);
        engine.complete(ref(sequence.get(2)), Completion.done()).get();
        var reassignment = engine.reassign(ref(sequence.get(0)), UserId.of(55), ReassignScope.SEQUENCE)
                .get();
        assertThat(reassignment.reassigned())
                .extracting(Task::id)
                .containsExactlyInAnyOrder(sequence.get(0).id(), sequence.get(1).id());
        assertThat(reassignment.task().assignedUserId()).isEqualTo(UserId.of(55));
        assertThat(stored(sequence.get(1)).assignedUserId()).isEqualTo(UserId.of(55));
        assertThat(stored(sequence.get(2)).assignedUserId()).isEqualTo(UserId.of(7));
        assertThat(eventsOfThisTenant())
                .filteredOn(e -> e.type() == TaskEventType.REASSIGNED)
                .hasSize(2);
    }

    @Test
    void aSequenceScopeReassignOfAUserTaskIsRefused() {
        Task task = createToDo();
        TaskError error = engine.reassign(ref(task), UserId.of(55), ReassignScope.SEQUENCE)
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("task.scope.notSequenceTask");
    }

    @Test
    void reassigningASequenceByIdAnswersTheTasksThatChanged() {
        List<Task> sequence = createSequence(902, 2);
        assertThat(engine.reassignSequence(Writes.ACTOR, tenant, SequenceId.of(902), UserId.of(8))
                        .get())
                .extracting(Task::id)
                .containsExactlyInAnyOrder(sequence.get(0).id(), sequence.get(1).id());
    }

    // --- batch calls

    @Test
    void aBatchCompleteReportsOnlyTheFailures() {
        Task open = createToDo();
        Task done = createToDo();
        engine.complete(ref(done), Completion.done()).get();
        TaskId missing = TaskId.of(Long.MAX_VALUE);
        BatchResult result = engine.completeAll(
                        Writes.ACTOR, tenant, List.of(open.id(), done.id(), missing), Completion.done())
                .get();
        assertThat(result.succeeded()).containsExactly(open.id());
        assertThat(result.failures())
                .containsExactly(
                        Map.entry(done.id(), new TaskError.IllegalTransition(TaskAction.COMPLETE, TaskStatus.FINISHED)),
                        Map.entry(missing, new TaskError.NotFound(missing)));
        assertThat(stored(open).status()).isEqualTo(TaskStatus.FINISHED);
    }

    @Test
    void aBatchAssignMovesEveryActiveTask() {
        Task first = createToDo();
        Task second = createToDo();
        BatchResult result = engine.assignAll(Writes.ACTOR, tenant, List.of(first.id(), second.id()), UserId.of(31))
                .get();
        assertThat(result.allSucceeded()).isTrue();
        assertThat(stored(first).assignedUserId()).isEqualTo(UserId.of(31));
        assertThat(stored(second).assignedUserId()).isEqualTo(UserId.of(31));
    }

    @Test
    void aBulkDeleteRemovesWhatItCanAndReportsTheRest() {
        Task task = createToDo();
        TaskId missing = TaskId.of(Long.MAX_VALUE - 1);
        BatchResult result = engine.deleteAll(Writes.ACTOR, tenant, List.of(task.id(), missing))
                .get();
        assertThat(result.succeeded()).containsExactly(task.id());
        assertThat(result.failures()).containsOnlyKeys(missing);
    }

    @Test
    void aBatchNamesOneToAHundredIds() {
        List<TaskId> tooMany =
                IntStream.rangeClosed(1, 101).mapToObj(i -> TaskId.of(i)).toList();
        assertThat(engine.completeAll(Writes.ACTOR, tenant, List.of(), Completion.done())
                        .getLeft())
                .isInstanceOf(TaskError.InvalidInput.class);
        assertThat(engine.assignAll(Writes.ACTOR, tenant, tooMany, UserId.of(1)).getLeft())
                .isInstanceOf(TaskError.InvalidInput.class);
        assertThat(engine.deleteAll(Writes.ACTOR, tenant, tooMany).getLeft())
                .isInstanceOf(TaskError.InvalidInput.class);
    }

    // --- queries through the engine

    @Test
    void cursorsPageThroughEveryTaskOnce() {
        List<TaskId> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create(newToDo(tenant).startAt(NOW.plusSeconds(i % 2)).dueTo(NOW.plusSeconds(3600)))
                    .id());
        }
        TaskQuery.Builder query = TaskQuery.forTenant(tenant).limit(2);
        List<TaskId> seen = new ArrayList<>();
        TaskPage page = engine.query(query.build()).get();
        seen.addAll(page.tasks().stream().map(Task::id).toList());
        while (page.nextCursor().isPresent()) {
            page = engine.query(query.after(page.nextCursor().get()).build()).get();
            seen.addAll(page.tasks().stream().map(Task::id).toList());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
    }

    @Test
    void aTamperedCursorIsInvalidInput() {
        TaskError error = engine.query(
                        TaskQuery.forTenant(tenant).after("not-a-cursor").build())
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("query.cursor.invalid");
    }

    @Test
    void anEditedWellFormedCursorIsInvalidInput() {
        for (int i = 0; i < 3; i++) {
            create(newToDo(tenant).startAt(NOW.plusSeconds(i)).dueTo(NOW.plusSeconds(3600)));
        }
        String cursor = engine.query(TaskQuery.forTenant(tenant).limit(1).build())
                .get()
                .nextCursor()
                .orElseThrow();
        String payload = new String(
                java.util.Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8);
        // The same shape, another position: the task id in the cursor's last field moved on by 1,000.
        long id = Long.parseLong(payload.substring(payload.lastIndexOf(':') + 1));
        String edited = payload.substring(0, payload.lastIndexOf(':') + 1) + (id + 1000);
        String forged = java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(edited.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + cursor.substring(cursor.indexOf('.'));
        TaskError error = engine.query(
                        TaskQuery.forTenant(tenant).limit(1).after(forged).build())
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("query.cursor.invalid");
    }

    @Test
    void aStartWindowWithEqualEndsIsAnEmptyPage() {
        create(newToDo(tenant).startAt(NOW).dueTo(NOW.plusSeconds(3600)));
        TaskPage page = engine.query(
                        TaskQuery.forTenant(tenant).startingBetween(NOW, NOW).build())
                .get();
        assertThat(page.tasks()).isEmpty();
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void aStartWindowThatEndsBeforeItBeginsIsInvalidInput() {
        TaskError error = engine.query(TaskQuery.forTenant(tenant)
                        .startingBetween(NOW, NOW.minusNanos(1000))
                        .build())
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code(), v -> v.pointer())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("query.startAtTo.beforeStartAtFrom", "/startAtTo"));
    }

    @Test
    void aPageLimitOutsideOneToAThousandIsInvalidInput() {
        assertThat(engine.query(TaskQuery.forTenant(tenant).limit(0).build()).getLeft())
                .isInstanceOf(TaskError.InvalidInput.class);
        assertThat(engine.query(TaskQuery.forTenant(tenant).limit(1001).build()).getLeft())
                .isInstanceOf(TaskError.InvalidInput.class);
    }

    @Test
    void myTasksDueThisWeekAreFoundByAssigneeStatusAndWindow() {
        Task mine = create(newToDo(tenant).assignee(UserId.of(3)));
        create(newToDo(tenant).assignee(UserId.of(4)));
        create(newToDo(tenant)
                .assignee(UserId.of(3))
                .startAt(NOW.plus(Duration.ofDays(9)))
                .dueTo(NOW.plus(Duration.ofDays(10))));
        TaskQuery query = TaskQuery.forTenant(tenant)
                .assignee(UserId.of(3))
                .active()
                .startingBetween(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(6)))
                .build();
        assertThat(engine.query(query).get().tasks()).extracting(Task::id).containsExactly(mine.id());
    }

    // --- concurrency

    @Test
    void concurrentWritersNeverLoseAnAcknowledgedWrite() throws Exception {
        Task task = createToDo();
        int threads = 4;
        int attempts = 50;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.atomic.AtomicInteger acknowledged = new java.util.concurrent.atomic.AtomicInteger();
        List<TaskError> refusals = Collections.synchronizedList(new ArrayList<>());
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long user = 100 + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < attempts; i++) {
                        engine.reassign(ref(task), UserId.of(user), ReassignScope.TASK)
                                .fold(refusals::add, done -> acknowledged.incrementAndGet());
                    }
                }));
            }
            for (var future : futures) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(refusals).allSatisfy(error -> assertThat(error).isInstanceOf(TaskError.VersionConflict.class));
        assertThat(acknowledged.get() + refusals.size()).isEqualTo(threads * attempts);
        assertThat(stored(task).version()).isEqualTo(1L + acknowledged.get());
    }

    @Test
    void aSequenceReassignIsAllOrNothingForConcurrentReaders() throws Exception {
        List<Task> sequence = createSequence(903, 6);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var writer = pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    engine.reassignSequence(Writes.ACTOR, tenant, SequenceId.of(903), UserId.of(200 + i))
                            .get();
                }
            });
            TaskQuery wholeSequence = TaskQuery.forTenant(tenant)
                    .sequence(SequenceId.of(903))
                    .limit(100)
                    .build();
            while (!writer.isDone()) {
                List<Task> seen = engine.query(wholeSequence).get().tasks();
                assertThat(seen).hasSize(sequence.size());
                assertThat(seen.stream().map(Task::assignedUserId).distinct()).hasSize(1);
            }
            writer.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(engine.query(TaskQuery.forTenant(tenant)
                                .sequence(SequenceId.of(903))
                                .build())
                        .get()
                        .tasks())
                .allSatisfy(t -> assertThat(t.assignedUserId()).isEqualTo(UserId.of(219)));
    }

    // --- events

    @Test
    void eachSuccessfulActionPublishesOneEventWithTheNewVersion() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        engine.complete(ref(task), Completion.done()).get();
        engine.start(ref(task));
        assertThat(eventsOfThisTenant())
                .extracting(TaskEvent::type, TaskEvent::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.CREATED, 1L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.STARTED, 2L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.COMPLETED, 3L));
    }
}
