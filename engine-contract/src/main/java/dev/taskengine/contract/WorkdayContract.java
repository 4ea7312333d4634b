package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.StaleRules;
import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.FieldChange;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.StaleRule;
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
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rep's working day on top of an adapter's store: snooze, bulk reschedule, stale tasks, hand-over, contact pauses,
 * notes and reminders; the same answers on every adapter. An adapter's test extends this class and implements
 * {@link #store()}.
 */
public abstract class WorkdayContract {

    protected abstract TaskStore store();

    private static final UserId SAM = UserId.of(7);
    private static final UserId KIM = UserId.of(8);
    private static final UserId LEE = UserId.of(9);
    private static final UserId MAX = UserId.of(10);
    private static final EmailAccountId SAMS_ACCOUNT = EmailAccountId.of(501);
    private static final ContactId ADA = ContactId.of(1);
    private static final ContactId GRACE = ContactId.of(2);
    private static final SchedulerOptions SCHEDULER = SchedulerOptions.defaults()
            .withBatchSize(1000)
            .withStaleExecutionAfter(Duration.ofMinutes(5))
            .withPollInterval(Duration.ofMillis(10));

    private final MutableClock clock = new MutableClock(NOW);
    private final Map<ContactId, Contact> contacts = new ConcurrentHashMap<>();
    private final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final RecordingSender sender = new RecordingSender();
    private TaskStore store;
    private TimedPasses passes;
    private TenantId tenant;
    private TaskEngine engine;

    @BeforeEach
    void setUpEngine() {
        tenant = freshTenant();
        store = store();
        passes = new TimedPasses(store);
        engine = engine(passes.store(), StaleRules.none());
        contacts.put(
                ADA,
                Contact.builder(1)
                        .firstName("Ada")
                        .email("ada@example.com")
                        .phone("+44 20 7946 0000")
                        .build());
        contacts.put(
                GRACE,
                Contact.builder(2).firstName("Grace").phone("+1 202 555 0102").build());
    }

    private TaskEngine engine(TaskStore taskStore, StaleRules staleRules) {
        SenderAccounts accounts = new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId t, UserId user) {
                return user.equals(SAM) ? Optional.of(SAMS_ACCOUNT) : Optional.empty();
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId t, SequenceId sequence) {
                return Optional.empty();
            }

            @Override
            public boolean usable(TenantId t, UserId user, EmailAccountId account) {
                return user.equals(SAM) && account.equals(SAMS_ACCOUNT);
            }
        };
        return TaskEngine.builder()
                .store(taskStore)
                .contacts((t, id) -> t.equals(tenant) ? Optional.ofNullable(contacts.get(id)) : Optional.empty())
                .events(events::add)
                .clock(clock)
                .sender(sender)
                .senderAccounts(accounts)
                .staleRules(staleRules)
                .build();
    }

    private Task create(NewTask.Builder task) {
        return engine.create(Writes.ACTOR, task.build()).get();
    }

    private Task createToDo() {
        return create(newToDo(tenant));
    }

    /** A to-do due {@code overdueBy} before now, started a day before its due time. */
    private Task overdue(Duration overdueBy) {
        Instant due = clock.instant().minus(overdueBy);
        return create(newToDo(tenant).startAt(due.minus(Duration.ofDays(1))).dueTo(due));
    }

    private Task scheduledSms(Instant startAt) {
        return create(newToDo(tenant)
                .type(TaskType.SMS)
                .contact(GRACE)
                .template(Template.of("Hi {{firstName}}"))
                .scheduled(true)
                .startAt(startAt)
                .dueTo(startAt.plus(Duration.ofHours(1))));
    }

    private Task scheduledEmail(ContactId contact, Instant startAt) {
        return create(newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(contact)
                .template(Template.of("Hello", "Hi {{firstName}}"))
                .scheduled(true)
                .startAt(startAt)
                .dueTo(startAt.plus(Duration.ofHours(1))));
    }

    /** Records an execution of {@code sms} as under way (its message with the sender), as an engine does before sending. */
    private Task executing(Task sms) {
        Execution execution = new Execution(
                "held-" + sms.id(),
                clock.instant(),
                new Content(Optional.empty(), "Hi"),
                "+1 202 555 0102",
                Optional.empty());
        Task started = sms.executionStarted(execution, clock.instant()).get();
        return store.update(
                        started,
                        sms.version(),
                        Writes.changed(TaskEventType.EXECUTION_STARTED, sms, started),
                        List.of())
                .get();
    }

    /** Records the outcome of {@code executing}'s execution: it failed for good, and the task is free again. */
    private Task executionEnded(Task executing) {
        Task failed = executing.executionFailed("refused", clock.instant()).get();
        return store.update(
                        failed,
                        executing.version(),
                        Writes.changed(TaskEventType.EXECUTION_FAILED, executing, failed),
                        List.of())
                .get();
    }

    private Task unscheduledSms(ContactId contact) {
        return create(newToDo(tenant).type(TaskType.SMS).contact(contact).template(Template.of("Hi {{firstName}}")));
    }

    private TaskRef ref(Task task) {
        return TaskRef.of(Writes.ACTOR, tenant, task.id());
    }

    private Task stored(Task task) {
        return store.find(tenant, task.id()).orElseThrow();
    }

    private List<TaskId> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }

    private TaskSelection selection(Task... tasks) {
        return TaskSelection.ids(tenant, ids(List.of(tasks)));
    }

    private static List<String> codes(TaskError error) {
        assertThat(error).isInstanceOf(TaskError.InvalidInput.class);
        return ((TaskError.InvalidInput) error)
                .violations().stream().map(Violation::code).toList();
    }

    private TaskQuery myTasksNow(UserId user) {
        return TaskQuery.forTenant(tenant).assignee(user).active().hidden(false).build();
    }

    private List<TaskId> idsOf(TaskQuery query) {
        return ids(engine.query(query).get().tasks());
    }

    private List<HistoryEntry> history(Task task) {
        return engine.history(
                        HistoryQuery.forTask(tenant, task.id()).limit(1000).build())
                .get()
                .entries();
    }

    private List<HistoryEntry> history(Task task, TaskEventType type) {
        return history(task).stream().filter(e -> e.type() == type).toList();
    }

    /**
     * The events of {@code type} about {@code task} as a subscriber sees them: deduplicated by id, since publishing is at
     * least once (two engines' relays may both publish a pending event).
     */
    private List<TaskEvent> events(Task task, TaskEventType type) {
        synchronized (events) {
            return List.copyOf(events.stream()
                    .filter(e -> e.tenant().equals(tenant) && e.taskId().equals(task.id()) && e.type() == type)
                    .collect(java.util.stream.Collectors.toMap(
                            TaskEvent::id, e -> e, (first, again) -> first, java.util.LinkedHashMap::new))
                    .values());
        }
    }

    private List<OutgoingMessage> sentToThisTenant() {
        return sender.delivered().stream()
                .filter(m -> m.tenant().equals(tenant))
                .toList();
    }

    private TaskScheduler running(TaskEngine on) {
        return on.scheduler(SCHEDULER.withOwner("workday-" + UUID.randomUUID())).start();
    }

    // --- snooze

    @Test
    void aSnoozedTaskIsHiddenUntilTheGivenTime() {
        Task task = createToDo();
        Instant until = NOW.plus(Duration.ofHours(2));
        Task snoozed = engine.snooze(ref(task), until).get();
        assertThat(snoozed.snoozedUntil()).contains(until);
        assertThat(snoozed.version()).isEqualTo(2);
        assertThat(snoozed.hiddenAt(NOW)).isTrue();
        assertThat(stored(task)).isEqualTo(snoozed);
    }

    @Test
    void aSnoozedTaskIsNotInMyTasksNow() {
        Task snoozed = createToDo();
        Task visible = createToDo();
        engine.snooze(ref(snoozed), NOW.plus(Duration.ofHours(2))).get();
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(visible.id());
        assertThat(idsOf(TaskQuery.forTenant(tenant).hidden(true).build())).containsExactly(snoozed.id());
    }

    @Test
    void aTaskWhoseSnoozeEndedIsInMyTasksNowAgain() {
        Task task = createToDo();
        engine.snooze(ref(task), NOW.plus(Duration.ofHours(2))).get();
        clock.advance(Duration.ofHours(2));
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(task.id());
    }

    @Test
    void aSnoozeThatDoesNotEndAfterNowIsRefusedAndChangesNothing() {
        Task task = createToDo();
        assertThat(codes(engine.snooze(ref(task), NOW).getLeft())).containsExactly("task.snoozedUntil.notInFuture");
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void snoozingASnoozedTaskMovesItsSnooze() {
        Task task = createToDo();
        engine.snooze(ref(task), NOW.plus(Duration.ofHours(2))).get();
        engine.snooze(ref(task), NOW.plus(Duration.ofHours(5))).get();
        assertThat(stored(task).snoozedUntil()).contains(NOW.plus(Duration.ofHours(5)));
    }

    @Test
    void aClosedTaskCannotBeSnoozed() {
        Task task = createToDo();
        engine.cancel(ref(task)).get();
        assertThat(engine.snooze(ref(task), NOW.plus(Duration.ofHours(1))).getLeft())
                .isEqualTo(new TaskError.IllegalTransition(TaskAction.SNOOZE, TaskStatus.CANCELLED));
    }

    @Test
    void closingASnoozedTaskEndsItsSnooze() {
        Task task = createToDo();
        engine.snooze(ref(task), NOW.plus(Duration.ofHours(2))).get();
        assertThat(engine.skip(ref(task)).get().snoozedUntil()).isEmpty();
    }

    @Test
    void anUnsnoozedTaskIsBackNow() {
        Task task = createToDo();
        engine.snooze(ref(task), NOW.plus(Duration.ofHours(2))).get();
        Task back = engine.unsnooze(ref(task)).get();
        assertThat(back.snoozedUntil()).isEmpty();
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(task.id());
    }

    @Test
    void unsnoozingATaskThatIsNotSnoozedIsRefused() {
        Task task = createToDo();
        assertThat(codes(engine.unsnooze(ref(task)).getLeft())).containsExactly("task.snoozedUntil.notSnoozed");
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void aBulkSnoozeByIdsSnoozesEachTaskAndReportsEachFailureByIdInOrder() {
        Task first = createToDo();
        Task closed = createToDo();
        engine.cancel(ref(closed)).get();
        Task second = createToDo();
        TaskId unknown = TaskId.of(Long.MAX_VALUE - 1);
        Instant until = NOW.plus(Duration.ofHours(3));
        BatchResult result = engine.snoozeAll(
                        Writes.ACTOR,
                        TaskSelection.ids(tenant, List.of(first.id(), closed.id(), unknown, second.id())),
                        until)
                .get();
        assertThat(result.succeeded()).containsExactly(first.id(), second.id());
        assertThat(result.failures())
                .containsExactly(
                        Map.entry(
                                closed.id(), new TaskError.IllegalTransition(TaskAction.SNOOZE, TaskStatus.CANCELLED)),
                        Map.entry(unknown, new TaskError.NotFound(unknown)));
        assertThat(stored(first).snoozedUntil()).contains(until);
        assertThat(stored(second).snoozedUntil()).contains(until);
    }

    @Test
    void aBulkSnoozeByQuerySnoozesTheTasksOfItsFirstPage() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(create(newToDo(tenant).startAt(NOW.plus(Duration.ofMinutes(i)))));
        }
        Task kims = create(newToDo(tenant).assignee(KIM));
        TaskQuery samsFirstTwo =
                TaskQuery.forTenant(tenant).assignee(SAM).active().limit(2).build();
        BatchResult result = engine.snoozeAll(
                        Writes.ACTOR, TaskSelection.matching(samsFirstTwo), NOW.plus(Duration.ofHours(1)))
                .get();
        assertThat(result.succeeded())
                .containsExactly(tasks.get(0).id(), tasks.get(1).id());
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(tasks.get(2).id());
        assertThat(stored(kims).snoozedUntil()).isEmpty();
    }

    @Test
    void aBulkCallNamesOneToAThousandIds() {
        Instant until = NOW.plus(Duration.ofHours(1));
        assertThat(codes(engine.snoozeAll(Writes.ACTOR, TaskSelection.ids(tenant, List.of()), until)
                        .getLeft()))
                .containsExactly("batch.ids.countOutOfRange");
        List<TaskId> tooMany = IntStream.range(0, Limits.BULK_MAX + 1)
                .mapToObj(i -> TaskId.of(1_000_000_000L + i))
                .toList();
        assertThat(codes(engine.snoozeAll(Writes.ACTOR, TaskSelection.ids(tenant, tooMany), until)
                        .getLeft()))
                .containsExactly("batch.ids.countOutOfRange");
        assertThat(codes(engine.unsnoozeAll(Writes.ACTOR, TaskSelection.ids(tenant, Arrays.asList(TaskId.of(1), null)))
                        .getLeft()))
                .containsExactly("batch.ids.null");
    }

    @Test
    void aBulkCallOfAThousandIdsAnswersForEachOfThem() {
        Task task = createToDo();
        List<TaskId> ids = new ArrayList<>();
        ids.add(task.id());
        IntStream.range(1, Limits.BULK_MAX).forEach(i -> ids.add(TaskId.of(1_000_000_000L + i)));
        BatchResult result = engine.snoozeAll(
                        Writes.ACTOR, TaskSelection.ids(tenant, ids), NOW.plus(Duration.ofHours(1)))
                .get();
        assertThat(result.succeeded()).containsExactly(task.id());
        assertThat(result.failures()).hasSize(Limits.BULK_MAX - 1);
        assertThat(result.failures().values()).allSatisfy(e -> assertThat(e).isInstanceOf(TaskError.NotFound.class));
    }

    @Test
    void aBulkCallOverAQueryOfMoreThanAThousandTasksIsRefused() {
        TaskQuery tooBig =
                TaskQuery.forTenant(tenant).limit(Limits.BULK_MAX + 1).build();
        assertThat(codes(engine.rescheduleAll(
                                Writes.ACTOR, TaskSelection.matching(tooBig), Reschedule.by(Duration.ofDays(1)))
                        .getLeft()))
                .containsExactly("query.limit.outOfRange");
    }

    @Test
    void aBulkSnoozeOfMoreTasksThanOneBatchSnoozesEveryOne() {
        List<Task> tasks = IntStream.range(0, 150).mapToObj(i -> createToDo()).toList();
        BatchResult result = engine.snoozeAll(
                        Writes.ACTOR,
                        TaskSelection.matching(myTasksNow(SAM).withPage(1000)),
                        NOW.plus(Duration.ofHours(1)))
                .get();
        assertThat(result.succeeded()).containsExactlyInAnyOrderElementsOf(ids(tasks));
        assertThat(idsOf(myTasksNow(SAM))).isEmpty();
    }

    @Test
    void aBulkUnsnoozeBringsEachTaskBackAndReportsThoseThatWereNotSnoozed() {
        Task snoozed = createToDo();
        Task notSnoozed = createToDo();
        engine.snooze(ref(snoozed), NOW.plus(Duration.ofHours(1))).get();
        BatchResult result =
                engine.unsnoozeAll(Writes.ACTOR, selection(snoozed, notSnoozed)).get();
        assertThat(result.succeeded()).containsExactly(snoozed.id());
        assertThat(result.failures()).containsOnlyKeys(notSnoozed.id());
        assertThat(codes(result.failures().get(notSnoozed.id()))).containsExactly("task.snoozedUntil.notSnoozed");
        assertThat(stored(snoozed).snoozedUntil()).isEmpty();
    }

    @Test
    void aSnoozedScheduledSmsIsNotSentBeforeItsSnoozeEndsAndIsSentAfter() {
        Task task = scheduledSms(NOW);
        engine.snooze(ref(task), NOW.plus(Duration.ofMinutes(30))).get();
        engine.scheduler(SCHEDULER).pollOnce();
        clock.advance(Duration.ofMinutes(29));
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(sentToThisTenant()).isEmpty();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.NEW);

        clock.advance(Duration.ofMinutes(1));
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(sentToThisTenant()).extracting(OutgoingMessage::taskId).containsExactly(task.id());
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
    }

    // --- reschedule

    @Test
    void aRescheduleByADurationShiftsStartAndDueOfEveryTask() {
        Task first = createToDo();
        Task second =
                create(newToDo(tenant).startAt(NOW.plus(Duration.ofHours(1))).dueTo(NOW.plus(Duration.ofHours(4))));
        BatchResult result = engine.rescheduleAll(
                        Writes.ACTOR, selection(first, second), Reschedule.by(Duration.ofDays(2)))
                .get();
        assertThat(result.allSucceeded()).isTrue();
        assertThat(stored(first).schedule().startAt()).isEqualTo(NOW.plus(Duration.ofDays(2)));
        assertThat(stored(first).schedule().dueTo()).isEqualTo(NOW.plus(Duration.ofDays(3)));
        assertThat(stored(second).schedule().startAt())
                .isEqualTo(NOW.plus(Duration.ofDays(2).plusHours(1)));
        assertThat(stored(second).schedule().dueTo())
                .isEqualTo(NOW.plus(Duration.ofDays(2).plusHours(4)));
    }

    @Test
    void aRescheduleStartingAtATimeKeepsEachTasksLength() {
        Task dayLong = createToDo();
        Task threeHours =
                create(newToDo(tenant).startAt(NOW.plus(Duration.ofHours(1))).dueTo(NOW.plus(Duration.ofHours(4))));
        Instant monday = Instant.parse("2026-03-09T09:00:00Z");
        engine.rescheduleAll(Writes.ACTOR, selection(dayLong, threeHours), Reschedule.startingAt(monday))
                .get();
        assertThat(stored(dayLong).schedule().startAt()).isEqualTo(monday);
        assertThat(stored(dayLong).schedule().dueTo()).isEqualTo(monday.plus(Duration.ofDays(1)));
        assertThat(stored(threeHours).schedule().startAt()).isEqualTo(monday);
        assertThat(stored(threeHours).schedule().dueTo()).isEqualTo(monday.plus(Duration.ofHours(3)));
    }

    @Test
    void aRescheduleDueAtATimeMovesOnlyTheDueTime() {
        Task task = createToDo();
        Instant due = NOW.plus(Duration.ofDays(5));
        engine.rescheduleAll(Writes.ACTOR, selection(task), Reschedule.dueAt(due))
                .get();
        assertThat(stored(task).schedule().startAt()).isEqualTo(NOW);
        assertThat(stored(task).schedule().dueTo()).isEqualTo(due);
    }

    @Test
    void aShiftThatWouldStartATaskBefore2015IsRefusedForThatTaskAloneAndTheOthersMove() {
        Task early = create(newToDo(tenant)
                .startAt(Instant.parse("2015-01-02T00:00:00Z"))
                .dueTo(Instant.parse("2015-01-03T00:00:00Z")));
        Task task = createToDo();
        BatchResult result = engine.rescheduleAll(
                        Writes.ACTOR, selection(early, task), Reschedule.by(Duration.ofDays(-3)))
                .get();
        assertThat(result.succeeded()).containsExactly(task.id());
        assertThat(codes(result.failures().get(early.id()))).containsExactly("task.startAt.beforeEarliest");
        assertThat(stored(early)).isEqualTo(early);
        assertThat(stored(task).schedule().startAt()).isEqualTo(NOW.minus(Duration.ofDays(3)));
    }

    @Test
    void aDueTimeNotAfterATasksStartIsRefusedForThatTaskAloneAndTheOthersMove() {
        Task later =
                create(newToDo(tenant).startAt(NOW.plus(Duration.ofDays(2))).dueTo(NOW.plus(Duration.ofDays(3))));
        Task task = createToDo();
        Instant due = NOW.plus(Duration.ofHours(36));
        BatchResult result = engine.rescheduleAll(Writes.ACTOR, selection(later, task), Reschedule.dueAt(due))
                .get();
        assertThat(result.succeeded()).containsExactly(task.id());
        assertThat(codes(result.failures().get(later.id()))).containsExactly("task.dueTo.notAfterStartAt");
        assertThat(stored(later)).isEqualTo(later);
        assertThat(stored(task).schedule().dueTo()).isEqualTo(due);
    }

    // --- stale tasks

    private TaskEngine engineWithRules(StaleRules rules) {
        return engine(passes.store(), rules);
    }

    @Test
    void aTaskOverdueByMoreThanTheTenantsRuleIsSkippedByTheSchedulerWithTheRulesReason() {
        StaleRule rule = StaleRule.skipAfter(Duration.ofDays(1));
        TaskEngine ruled =
                engineWithRules(StaleRules.builder().tenant(tenant, rule).build());
        Task stale = overdue(Duration.ofDays(2));
        try (TaskScheduler scheduler = running(ruled)) {
            TimedPasses.await("the stale task skipped", () -> stored(stale).status() == TaskStatus.SKIPPED);
        }
        assertThat(stored(stale).times().skippedAt()).contains(NOW);
        HistoryEntry skipped = history(stale).get(0);
        assertThat(skipped.type()).isEqualTo(TaskEventType.SKIPPED);
        assertThat(skipped.actor()).isEqualTo(Actor.STALE_RULE);
        assertThat(skipped.actor().wireName()).isEqualTo("system:staleRule");
        assertThat(skipped.reason()).contains("staleRule: overdue by more than PT24H");
        assertThat(skipped.statusBefore()).contains(TaskStatus.NEW);
        assertThat(skipped.statusAfter()).contains(TaskStatus.SKIPPED);
    }

    @Test
    void aTaskOverdueByLessThanTheRuleIsLeftActive() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(1)))
                .build());
        Task stale = overdue(Duration.ofDays(2));
        Task recent = overdue(Duration.ofHours(20));
        try (TaskScheduler scheduler = running(ruled)) {
            TimedPasses.await("the stale task skipped", () -> stored(stale).status() == TaskStatus.SKIPPED);
        }
        assertThat(stored(recent).status()).isEqualTo(TaskStatus.NEW);
    }

    @Test
    void theStaleRuleIsAppliedAtMostOnceAMinute() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(1)))
                .build());
        try (TaskScheduler scheduler = running(ruled)) {
            passes.awaitFullPass();
            Task stale = overdue(Duration.ofDays(2));
            passes.awaitFullPass();
            assertThat(stored(stale).status()).isEqualTo(TaskStatus.NEW);
            clock.advance(Duration.ofMinutes(1));
            TimedPasses.await(
                    "the stale task skipped a minute later", () -> stored(stale).status() == TaskStatus.SKIPPED);
        }
    }

    @Test
    void anArchivingRuleArchivesTheStaleTask() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(tenant, StaleRule.archiveAfter(Duration.ofDays(1)))
                .build());
        Task stale = overdue(Duration.ofDays(2));
        try (TaskScheduler scheduler = running(ruled)) {
            TimedPasses.await("the stale task archived", () -> stored(stale).status() == TaskStatus.ARCHIVED);
        }
        assertThat(stored(stale).times().skippedAt()).contains(NOW);
        HistoryEntry archived = history(stale).get(0);
        assertThat(archived.type()).isEqualTo(TaskEventType.ARCHIVED);
        assertThat(archived.actor()).isEqualTo(Actor.STALE_RULE);
        assertThat(archived.reason()).contains("staleRule: overdue by more than PT24H");
    }

    @Test
    void aRuleForATaskTypeTakesPrecedenceOverTheTenantsRule() {
        StaleRules rules = StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(7)))
                .tenant(tenant, TaskType.CALL, StaleRule.skipAfter(Duration.ofDays(1)))
                .build();
        Instant due = NOW.minus(Duration.ofDays(2));
        Task call = create(newToDo(tenant)
                .type(TaskType.CALL)
                .startAt(due.minus(Duration.ofDays(1)))
                .dueTo(due));
        Task toDo = overdue(Duration.ofDays(2));
        Task oldToDo = overdue(Duration.ofDays(8));
        assertThat(ids(engineWithRules(rules).staleTasks(tenant, 100).get().tasks()))
                .containsExactly(oldToDo.id(), call.id());
        try (TaskScheduler scheduler = running(engineWithRules(rules))) {
            TimedPasses.await(
                    "the stale call and to-do skipped",
                    () -> stored(call).status() == TaskStatus.SKIPPED
                            && stored(oldToDo).status() == TaskStatus.SKIPPED);
        }
        assertThat(stored(toDo).status()).isEqualTo(TaskStatus.NEW);
    }

    @Test
    void anotherTenantsRuleTakesNoneOfThisTenantsTasks() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(freshTenant(), StaleRule.skipAfter(Duration.ofDays(1)))
                .build());
        overdue(Duration.ofDays(2));
        assertThat(ruled.staleTasks(tenant, 100).get().tasks()).isEmpty();
    }

    @Test
    void thePreviewIsWhatTheNextPassTakesMostOverdueFirst() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(1)))
                .build());
        Task twoDays = overdue(Duration.ofDays(2));
        Task fiveDays = overdue(Duration.ofDays(5));
        Task recent = overdue(Duration.ofHours(2));
        List<TaskId> preview = ids(ruled.staleTasks(tenant, 100).get().tasks());
        assertThat(preview).containsExactly(fiveDays.id(), twoDays.id());
        try (TaskScheduler scheduler = running(ruled)) {
            passes.awaitFullPass();
        }
        assertThat(idsOf(TaskQuery.forTenant(tenant).status(TaskStatus.SKIPPED).build()))
                .containsExactlyInAnyOrderElementsOf(preview);
        assertThat(stored(recent).status()).isEqualTo(TaskStatus.NEW);
        assertThat(ruled.staleTasks(tenant, 100).get().tasks()).isEmpty();
    }

    @Test
    void thePreviewTakesAtMostItsLimit() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(1)))
                .build());
        Task mostOverdue = overdue(Duration.ofDays(9));
        overdue(Duration.ofDays(3));
        assertThat(ids(ruled.staleTasks(tenant, 1).get().tasks())).containsExactly(mostOverdue.id());
        assertThat(codes(ruled.staleTasks(tenant, 0).getLeft())).containsExactly("query.limit.outOfRange");
        assertThat(codes(ruled.staleTasks(tenant, Limits.PAGE_MAX + 1).getLeft()))
                .containsExactly("query.limit.outOfRange");
    }

    @Test
    void aSnoozedPausedOrExecutingStaleTaskIsLeftAlone() {
        TaskEngine ruled = engineWithRules(StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(1)))
                .build());
        Task stale = overdue(Duration.ofDays(2));
        Task snoozed = overdue(Duration.ofDays(2));
        engine.snooze(ref(snoozed), NOW.plus(Duration.ofHours(1))).get();
        Instant due = NOW.minus(Duration.ofDays(2));
        Task paused = create(newToDo(tenant)
                .contact(ADA)
                .startAt(due.minus(Duration.ofDays(1)))
                .dueTo(due));
        engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofHours(1)))
                .get();
        Task sms = create(newToDo(tenant)
                .type(TaskType.SMS)
                .contact(GRACE)
                .template(Template.of("Hi"))
                .startAt(due.minus(Duration.ofDays(1)))
                .dueTo(due));
        Task underWay = executing(sms);
        assertThat(ids(ruled.staleTasks(tenant, 100).get().tasks())).containsExactly(stale.id());
        try (TaskScheduler scheduler = running(ruled)) {
            TimedPasses.await("the stale task skipped", () -> stored(stale).status() == TaskStatus.SKIPPED);
        }
        assertThat(List.of(stored(snoozed), stored(paused), stored(underWay)))
                .allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.NEW));
    }

    @Test
    void twoSchedulersOnOneStoreCloseEachStaleTaskOnce() {
        StaleRules rules = StaleRules.builder()
                .tenant(tenant, StaleRule.skipAfter(Duration.ofDays(1)))
                .build();
        List<Task> stale = IntStream.range(0, 20)
                .mapToObj(i -> overdue(Duration.ofDays(2).plusMinutes(i)))
                .toList();
        TimedPasses otherPasses = new TimedPasses(store);
        TaskEngine first = engine(passes.store(), rules);
        TaskEngine second = engine(otherPasses.store(), rules);
        try (TaskScheduler a = running(first);
                TaskScheduler b = running(second)) {
            passes.awaitFullPass();
            otherPasses.awaitFullPass();
        }
        assertThat(stale).allSatisfy(task -> {
            assertThat(stored(task).status()).isEqualTo(TaskStatus.SKIPPED);
            assertThat(history(task, TaskEventType.SKIPPED)).hasSize(1);
            assertThat(events(task, TaskEventType.SKIPPED)).hasSize(1);
        });
    }

    // --- hand-over

    /** {@code count} active tasks of {@code user}, created one second apart (the order a hand-over moves them in). */
    private List<Task> tasksOf(UserId user, int count) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(create(newToDo(tenant).assignee(user)));
            clock.advance(Duration.ofSeconds(1));
        }
        return tasks;
    }

    @Test
    void aHandOverMovesEveryActiveTaskOfTheUserToAnother() {
        List<Task> sams = tasksOf(SAM, 3);
        Task closed = create(newToDo(tenant).assignee(SAM));
        engine.complete(ref(closed), dev.taskengine.domain.Completion.done()).get();
        Task kims = create(newToDo(tenant).assignee(KIM));
        HandOverReport report =
                engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM, LEE)).get();
        assertThat(report.moved())
                .extracting(HandOverReport.Move::taskId, HandOverReport.Move::to, HandOverReport.Move::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(sams.get(0).id(), LEE, 2L),
                        org.assertj.core.groups.Tuple.tuple(sams.get(1).id(), LEE, 2L),
                        org.assertj.core.groups.Tuple.tuple(sams.get(2).id(), LEE, 2L));
        assertThat(report.complete()).isTrue();
        assertThat(idsOf(myTasksNow(LEE))).containsExactlyInAnyOrderElementsOf(ids(sams));
        assertThat(idsOf(myTasksNow(SAM))).isEmpty();
        assertThat(stored(closed).assignedUserId()).isEqualTo(SAM);
        assertThat(stored(kims).assignedUserId()).isEqualTo(KIM);
    }

    @Test
    void aHandOverPublishesOneReassignedEventPerMovedTaskWithItsReason() {
        List<Task> sams = tasksOf(SAM, 2);
        engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM, LEE)).get();
        assertThat(sams).allSatisfy(task -> {
            assertThat(events(task, TaskEventType.REASSIGNED)).hasSize(1);
            HistoryEntry entry = history(task, TaskEventType.REASSIGNED).get(0);
            assertThat(entry.actor()).isEqualTo(Writes.ACTOR);
            assertThat(entry.reason()).contains("handOver: from user:7");
            assertThat(entry.changes()).contains(new FieldChange("assignedUserId", Optional.of("7"), Optional.of("9")));
        });
    }

    @Test
    void aHandOverOverTwoUsersSpreadsTheTasksRoundRobin() {
        List<Task> sams = tasksOf(SAM, 4);
        HandOverReport report = engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM, LEE, MAX))
                .get();
        assertThat(report.moved())
                .extracting(HandOverReport.Move::taskId, HandOverReport.Move::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(sams.get(0).id(), LEE),
                        org.assertj.core.groups.Tuple.tuple(sams.get(1).id(), MAX),
                        org.assertj.core.groups.Tuple.tuple(sams.get(2).id(), LEE),
                        org.assertj.core.groups.Tuple.tuple(sams.get(3).id(), MAX));
        assertThat(stored(sams.get(1)).assignedUserId()).isEqualTo(MAX);
    }

    @Test
    void aHandOverCommitsBatchByBatch() {
        tasksOf(SAM, 5);
        HandOverReport report = engine.handOver(
                        HandOver.of(Writes.ACTOR, tenant, SAM, LEE).withBatchSize(2))
                .get();
        assertThat(report.moved()).hasSize(5);
        assertThat(report.batches()).isEqualTo(3);
    }

    @Test
    void aTaskWithAnExecutionUnderWayIsReportedNotMovedAndStaysWithTheUser() {
        Task before = tasksOf(SAM, 1).get(0);
        Task underWay = executing(unscheduledSms(GRACE));
        HandOverReport report =
                engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM, LEE)).get();
        assertThat(report.moved()).extracting(HandOverReport.Move::taskId).containsExactly(before.id());
        assertThat(report.notMoved())
                .containsExactly(Map.entry(underWay.id(), new TaskError.ExecutionUnderWay(underWay.id())));
        assertThat(report.complete()).isFalse();
        assertThat(stored(underWay).assignedUserId()).isEqualTo(SAM);
    }

    @Test
    void aHandOverRunAgainAfterARefusalMovesOnlyWhatIsLeft() {
        Task first = tasksOf(SAM, 1).get(0);
        Task underWay = executing(unscheduledSms(GRACE));
        clock.advance(Duration.ofSeconds(1));
        Task last = tasksOf(SAM, 1).get(0);
        engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM, LEE)).get();
        executionEnded(stored(underWay));

        HandOverReport again =
                engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM, LEE)).get();
        assertThat(again.moved()).extracting(HandOverReport.Move::taskId).containsExactly(underWay.id());
        assertThat(again.complete()).isTrue();
        assertThat(List.of(first, underWay, last)).allSatisfy(task -> {
            assertThat(stored(task).assignedUserId()).isEqualTo(LEE);
            assertThat(history(task, TaskEventType.REASSIGNED)).hasSize(1);
            assertThat(events(task, TaskEventType.REASSIGNED)).hasSize(1);
        });
    }

    @Test
    void aHandOverResumedAfterACrashMovesOnlyWhatIsLeftAndNoTaskTwice() {
        List<Task> sams = tasksOf(SAM, 5);
        AtomicInteger batches = new AtomicInteger();
        TaskStore crashingOnSecondBatch = (TaskStore) Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateAll") && batches.incrementAndGet() == 2) {
                        throw new StoreUnavailableException("database gone", null);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HandOver handOver = HandOver.of(Writes.ACTOR, tenant, SAM, LEE).withBatchSize(2);
        assertThatThrownBy(
                        () -> engine(crashingOnSecondBatch, StaleRules.none()).handOver(handOver))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(idsOf(myTasksNow(LEE)))
                .containsExactlyInAnyOrder(sams.get(0).id(), sams.get(1).id());

        HandOverReport resumed = engine.handOver(handOver).get();
        assertThat(resumed.moved())
                .extracting(HandOverReport.Move::taskId)
                .containsExactlyElementsOf(ids(sams.subList(2, 5)));
        assertThat(sams).allSatisfy(task -> {
            assertThat(stored(task).assignedUserId()).isEqualTo(LEE);
            assertThat(history(task, TaskEventType.REASSIGNED)).hasSize(1);
            assertThat(events(task, TaskEventType.REASSIGNED)).hasSize(1);
        });
    }

    @Test
    void aTaskChangedConcurrentlyIsReportedNotMovedAndMovesOnTheNextRun() {
        List<Task> sams = tasksOf(SAM, 2);
        Task changedMeanwhile = sams.get(1);
        AtomicInteger batches = new AtomicInteger();
        TaskStore changingBeforeTheFirstBatch = (TaskStore) Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateAll") && batches.incrementAndGet() == 1) {
                        engine.start(ref(changedMeanwhile)).get();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HandOver handOver = HandOver.of(Writes.ACTOR, tenant, SAM, LEE);
        HandOverReport report = engine(changingBeforeTheFirstBatch, StaleRules.none())
                .handOver(handOver)
                .get();
        assertThat(report.moved())
                .extracting(HandOverReport.Move::taskId)
                .containsExactly(sams.get(0).id());
        assertThat(report.notMoved()).containsOnlyKeys(changedMeanwhile.id());
        assertThat(report.notMoved().get(changedMeanwhile.id())).isInstanceOf(TaskError.VersionConflict.class);
        assertThat(stored(changedMeanwhile).assignedUserId()).isEqualTo(SAM);

        assertThat(engine.handOver(handOver).get().moved())
                .extracting(HandOverReport.Move::taskId)
                .containsExactly(changedMeanwhile.id());
        assertThat(history(changedMeanwhile, TaskEventType.REASSIGNED)).hasSize(1);
    }

    @Test
    void aHandOverNamesEveryProblemOfItsRequest() {
        HandOver invalid = new HandOver(Writes.ACTOR, tenant, SAM, List.of(SAM), 0);
        assertThat(codes(engine.handOver(invalid).getLeft()))
                .containsExactly("handOver.to.sameAsFrom", "handOver.batchSize.outOfRange");
        assertThat(codes(engine.handOver(HandOver.of(Writes.ACTOR, tenant, SAM)).getLeft()))
                .containsExactly("handOver.to.countOutOfRange");
    }

    // --- contact pauses

    @Test
    void pausingAContactHoldsEveryActiveTaskOfTheContact() {
        Task toDo = create(newToDo(tenant).contact(ADA));
        Task email = scheduledEmail(ADA, NOW);
        Task closed = create(newToDo(tenant).contact(ADA));
        engine.cancel(ref(closed)).get();
        Task gracesTask = create(newToDo(tenant).contact(GRACE));
        Instant until = NOW.plus(Duration.ofDays(7));
        BatchResult result =
                engine.pauseContact(Writes.ACTOR, tenant, ADA, until).get();
        assertThat(result.succeeded()).containsExactlyInAnyOrder(toDo.id(), email.id());
        assertThat(result.allSucceeded()).isTrue();
        assertThat(stored(toDo).pausedUntil()).contains(until);
        assertThat(stored(email).pausedUntil()).contains(until);
        assertThat(stored(closed).pausedUntil()).isEmpty();
        assertThat(stored(gracesTask).pausedUntil()).isEmpty();
        assertThat(engine.contactPausedUntil(tenant, ADA)).contains(until);
        assertThat(engine.contactPausedUntil(tenant, GRACE)).isEmpty();
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(gracesTask.id());
        assertThat(history(toDo).get(0).type()).isEqualTo(TaskEventType.PAUSED);
    }

    @Test
    void aScheduledEmailOfAPausedContactIsNotSentBeforeThePauseEndsAndIsSentAfter() {
        Task email = scheduledEmail(ADA, NOW);
        engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofHours(1)))
                .get();
        engine.scheduler(SCHEDULER).pollOnce();
        clock.advance(Duration.ofMinutes(59));
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(sentToThisTenant()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(sentToThisTenant()).extracting(OutgoingMessage::taskId).containsExactly(email.id());
        assertThat(stored(email).status()).isEqualTo(TaskStatus.FINISHED);
    }

    @Test
    void aTaskThatEscapedItsContactsPauseIsHeldByTheSchedulerNotSent() {
        // The state a task is left in when it was under execution as its contact was paused (or created as the pause
        // was being applied): the pause is kept, the task does not hold it.
        Task email = scheduledEmail(ADA, NOW);
        Instant until = NOW.plus(Duration.ofHours(1));
        store.keepContactPause(tenant, ADA, until);

        engine.scheduler(SCHEDULER).pollOnce();

        assertThat(sentToThisTenant()).isEmpty();
        assertThat(stored(email).pausedUntil()).contains(until);
        HistoryEntry held = history(email).get(0);
        assertThat(held.type()).isEqualTo(TaskEventType.PAUSED);
        assertThat(held.actor()).isEqualTo(dev.taskengine.domain.Actor.SCHEDULER);
        assertThat(held.reason()).contains("contactPaused");
    }

    @Test
    void aTaskUnderExecutionWhenItsContactIsPausedIsNotSentAgainBeforeThePauseEnds() {
        Task sms = executing(scheduledSms(NOW.minus(Duration.ofMinutes(1))));
        BatchResult paused = engine.pauseContact(Writes.ACTOR, tenant, GRACE, NOW.plus(Duration.ofDays(1)))
                .get();
        assertThat(paused.failures()).containsOnlyKeys(sms.id());
        Task failed = executionEnded(stored(sms));

        assertThat(codes(engine.execute(ref(failed)).getLeft())).containsExactly("task.pausedUntil.contactPaused");
        assertThat(sentToThisTenant()).isEmpty();
    }

    @Test
    void anUpdateMovingATaskOntoAPausedContactHoldsIt() {
        Instant until = NOW.plus(Duration.ofDays(1));
        engine.pauseContact(Writes.ACTOR, tenant, ADA, until).get();
        Task task = create(newToDo(tenant).contact(GRACE));

        Task moved =
                engine.update(ref(task), TaskUpdate.from(task).withContact(ADA)).get();

        assertThat(moved.pausedUntil()).contains(until);
        assertThat(idsOf(myTasksNow(SAM))).isEmpty();
    }

    @Test
    void anUpdateMovingATaskOffAPausedContactEndsItsHold() {
        Task task = create(newToDo(tenant).contact(ADA));
        engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofDays(1)))
                .get();

        Task moved = engine.update(
                        ref(stored(task)), TaskUpdate.from(stored(task)).withContact(GRACE))
                .get();

        assertThat(moved.pausedUntil()).isEmpty();
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(task.id());
    }

    @Test
    void aTaskCreatedForAPausedContactStartsPaused() {
        Instant until = NOW.plus(Duration.ofDays(2));
        engine.pauseContact(Writes.ACTOR, tenant, ADA, until).get();
        Task created = create(newToDo(tenant).contact(ADA));
        assertThat(created.pausedUntil()).contains(until);
        assertThat(stored(created).pausedUntil()).contains(until);
        assertThat(idsOf(myTasksNow(SAM))).isEmpty();
    }

    @Test
    void aTaskReopenedForAPausedContactStartsPaused() {
        Task task = create(newToDo(tenant).contact(ADA));
        engine.complete(ref(task), dev.taskengine.domain.Completion.done()).get();
        Instant until = NOW.plus(Duration.ofDays(2));
        BatchResult paused =
                engine.pauseContact(Writes.ACTOR, tenant, ADA, until).get();
        assertThat(paused.succeeded()).isEmpty();
        Task reopened = engine.reopen(ref(task), dev.taskengine.domain.ReopenReason.MANUAL)
                .get();
        assertThat(reopened.pausedUntil()).contains(until);
        assertThat(idsOf(myTasksNow(SAM))).isEmpty();
    }

    @Test
    void aPauseHoldsEveryTaskOfAContactWithMoreTasksThanOneBatch() {
        List<Task> tasks = IntStream.range(0, 150)
                .mapToObj(i -> create(newToDo(tenant).contact(ADA)))
                .toList();
        BatchResult result = engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofDays(1)))
                .get();
        assertThat(result.succeeded()).containsExactlyInAnyOrderElementsOf(ids(tasks));
        assertThat(idsOf(TaskQuery.forTenant(tenant).hidden(true).limit(1000).build()))
                .hasSize(150);
        assertThat(engine.resumeContact(Writes.ACTOR, tenant, ADA).get().succeeded())
                .containsExactlyInAnyOrderElementsOf(ids(tasks));
    }

    @Test
    void aTaskCreatedAfterThePauseEndedIsNotPaused() {
        engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofHours(1)))
                .get();
        clock.advance(Duration.ofHours(1));
        assertThat(engine.contactPausedUntil(tenant, ADA)).isEmpty();
        assertThat(create(newToDo(tenant).contact(ADA)).pausedUntil()).isEmpty();
    }

    @Test
    void resumingAContactEndsItsHoldsNow() {
        Task toDo = create(newToDo(tenant).contact(ADA));
        engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofDays(7)))
                .get();
        clock.advance(Duration.ofHours(1));
        BatchResult result = engine.resumeContact(Writes.ACTOR, tenant, ADA).get();
        assertThat(result.succeeded()).containsExactly(toDo.id());
        assertThat(stored(toDo).pausedUntil()).isEmpty();
        assertThat(engine.contactPausedUntil(tenant, ADA)).isEmpty();
        assertThat(idsOf(myTasksNow(SAM))).containsExactly(toDo.id());
        assertThat(history(toDo).get(0).type()).isEqualTo(TaskEventType.RESUMED);
        assertThat(create(newToDo(tenant).contact(ADA)).pausedUntil()).isEmpty();
    }

    @Test
    void aPauseThatDoesNotEndAfterNowIsRefusedAndHoldsNothing() {
        Task toDo = create(newToDo(tenant).contact(ADA));
        assertThat(codes(engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW).getLeft()))
                .containsExactly("contact.pausedUntil.notInFuture");
        assertThat(stored(toDo)).isEqualTo(toDo);
        assertThat(engine.contactPausedUntil(tenant, ADA)).isEmpty();
    }

    @Test
    void aPauseReportsATaskWithAnExecutionUnderWayAsNotHeld() {
        Task underWay = executing(unscheduledSms(ADA));
        Task toDo = create(newToDo(tenant).contact(ADA));
        BatchResult result = engine.pauseContact(Writes.ACTOR, tenant, ADA, NOW.plus(Duration.ofDays(1)))
                .get();
        assertThat(result.succeeded()).containsExactly(toDo.id());
        assertThat(result.failures())
                .containsExactly(Map.entry(underWay.id(), new TaskError.ExecutionUnderWay(underWay.id())));
        assertThat(stored(underWay).pausedUntil()).isEmpty();
    }

    // --- notes

    @Test
    void aNoteIsAddedByItsActorWithoutChangingTheTask() {
        Task task = createToDo();
        Actor kim = Actor.user(KIM);
        clock.advance(Duration.ofMinutes(3));
        HistoryEntry note = engine.addNote(TaskRef.of(kim, tenant, task.id()), "Called, no answer")
                .get();
        assertThat(note.type()).isEqualTo(TaskEventType.NOTE_ADDED);
        assertThat(note.actor()).isEqualTo(kim);
        assertThat(note.at()).isEqualTo(NOW.plus(Duration.ofMinutes(3)));
        assertThat(note.note()).contains("Called, no answer");
        assertThat(note.version()).isEqualTo(task.version());
        assertThat(note.changes()).isEmpty();
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void aNoteIsAddedToAClosedOrArchivedTask() {
        Task task = createToDo();
        engine.cancel(ref(task)).get();
        assertThat(engine.addNote(ref(task), "Cancelled: the client moved").isRight())
                .isTrue();
        Task archived = engine.archive(ref(task)).get();
        assertThat(engine.addNote(ref(task), "Archived after review").get().statusAfter())
                .contains(TaskStatus.ARCHIVED);
        assertThat(stored(task)).isEqualTo(archived);
    }

    @Test
    void notesComeWithTheTaskNewestFirstOnlyWhenAskedFor() {
        Task task = createToDo();
        engine.addNote(ref(task), "first").get();
        clock.advance(Duration.ofMinutes(1));
        engine.addNote(ref(task), "second").get();
        engine.start(ref(task)).get();
        assertThat(engine.get(tenant, task.id(), false, true).get().notes())
                .map(n -> n.note().orElseThrow())
                .containsExactly("second", "first");
        assertThat(engine.get(tenant, task.id(), false).get().notes()).isEmpty();
    }

    @Test
    void aNoteIsInTheTasksHistory() {
        Task task = createToDo();
        HistoryEntry note = engine.addNote(ref(task), "Prefers mornings").get();
        assertThat(history(task)).first().isEqualTo(note);
        assertThat(events(task, TaskEventType.NOTE_ADDED))
                .extracting(TaskEvent::id)
                .containsExactly(note.id());
    }

    @Test
    void aBlankNoteIsRefusedAndNothingIsKept() {
        Task task = createToDo();
        assertThat(codes(engine.addNote(ref(task), "  \n ").getLeft())).containsExactly("note.text.required");
        assertThat(codes(engine.addNote(ref(task), null).getLeft())).containsExactly("note.text.required");
        assertThat(history(task, TaskEventType.NOTE_ADDED)).isEmpty();
    }

    @Test
    void aNoteLongerThanTheLimitIsRefusedAndOneAtTheLimitIsKept() {
        Task task = createToDo();
        assertThat(codes(engine.addNote(ref(task), "x".repeat(Limits.NOTE_MAX_CHARS + 1))
                        .getLeft()))
                .containsExactly("note.text.tooLong");
        assertThat(engine.addNote(ref(task), "x".repeat(Limits.NOTE_MAX_CHARS))
                        .get()
                        .note())
                .hasValueSatisfying(text -> assertThat(text).hasSize(Limits.NOTE_MAX_CHARS));
        assertThat(history(task, TaskEventType.NOTE_ADDED)).hasSize(1);
    }

    @Test
    void aNoteWithAControlCharacterIsRefused() {
        Task task = createToDo();
        assertThat(codes(engine.addNote(ref(task), "bell \u0007").getLeft()))
                .containsExactly("note.text.controlCharacter");
    }

    @Test
    void aNoteOnAnotherTenantsOrADeletedTaskIsNotFound() {
        Task task = createToDo();
        assertThat(engine.addNote(TaskRef.of(Writes.ACTOR, freshTenant(), task.id()), "hello")
                        .getLeft())
                .isEqualTo(new TaskError.NotFound(task.id()));
        engine.delete(ref(task)).get();
        assertThat(engine.addNote(ref(task), "hello").getLeft()).isEqualTo(new TaskError.NotFound(task.id()));
        assertThat(history(task, TaskEventType.NOTE_ADDED)).isEmpty();
    }

    // --- reminders

    private Task withReminder(Instant remindAt) {
        return create(newToDo(tenant).remindAt(remindAt));
    }

    @Test
    void aReminderIsNotEmittedBeforeItsTime() {
        Task task = withReminder(NOW.plus(Duration.ofMinutes(5)));
        try (TaskScheduler scheduler = running(engine)) {
            passes.awaitFullPass();
        }
        assertThat(stored(task).fields().remindAt()).contains(NOW.plus(Duration.ofMinutes(5)));
        assertThat(events(task, TaskEventType.REMINDED)).isEmpty();
    }

    @Test
    void aReminderIsEmittedOnceByTheSchedulerAtItsTimeAndCleared() {
        Instant remindAt = NOW.plus(Duration.ofMinutes(5));
        Task task = withReminder(remindAt);
        clock.advance(Duration.ofMinutes(5));
        try (TaskScheduler scheduler = running(engine)) {
            TimedPasses.await(
                    "the reminder", () -> stored(task).fields().remindAt().isEmpty());
            passes.awaitFullPass();
        }
        assertThat(events(task, TaskEventType.REMINDED)).hasSize(1);
        HistoryEntry reminded = history(task).get(0);
        assertThat(reminded.type()).isEqualTo(TaskEventType.REMINDED);
        assertThat(reminded.actor()).isEqualTo(Actor.SCHEDULER);
        assertThat(reminded.changes())
                .containsExactly(new FieldChange("remindAt", Optional.of(remindAt.toString()), Optional.empty()));
        assertThat(stored(task).status()).isEqualTo(TaskStatus.NEW);
        assertThat(stored(task).version()).isEqualTo(2);
    }

    @Test
    void aReminderMovedByAnUpdateIsEmittedAtItsNewTimeOnly() {
        Task task = withReminder(NOW.plus(Duration.ofMinutes(5)));
        Instant moved = NOW.plus(Duration.ofMinutes(10));
        engine.update(ref(task), dev.taskengine.domain.TaskUpdate.from(task).withRemindAt(moved))
                .get();
        clock.advance(Duration.ofMinutes(5));
        try (TaskScheduler scheduler = running(engine)) {
            passes.awaitFullPass();
            assertThat(stored(task).fields().remindAt()).as("at the old time").contains(moved);
            clock.advance(Duration.ofMinutes(5));
            TimedPasses.await(
                    "the reminder at its new time",
                    () -> stored(task).fields().remindAt().isEmpty());
        }
        assertThat(history(task, TaskEventType.REMINDED)).hasSize(1);
    }

    @Test
    void aReminderDueDuringAnExecutionWaitsForItsOutcome() throws Exception {
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        TaskEngine blocking = TaskEngine.builder()
                .store(passes.store())
                .contacts((t, id) -> t.equals(tenant) ? Optional.ofNullable(contacts.get(id)) : Optional.empty())
                .events(events::add)
                .clock(clock)
                .sender(message -> {
                    if (message.tenant().equals(tenant)) {
                        sending.countDown();
                        try {
                            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    sender.send(message);
                    return dev.taskengine.spi.Delivery.permanentFailure("number unreachable");
                })
                .build();
        Task sms = create(newToDo(tenant)
                .type(TaskType.SMS)
                .contact(GRACE)
                .template(Template.of("Hi {{firstName}}"))
                .scheduled(true)
                .remindAt(NOW.plus(Duration.ofMinutes(1))));
        try (TaskScheduler scheduler = running(blocking)) {
            assertThat(sending.await(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the send began")
                    .isTrue();
            clock.advance(Duration.ofMinutes(1));
            passes.awaitFullPass();
            // No write races the execution: its lease and its record stand until its outcome is recorded.
            assertThat(stored(sms).fields().remindAt()).isPresent();
            assertThat(stored(sms).executing()).isTrue();
            release.countDown();
            TimedPasses.await(
                    "the reminder after the outcome",
                    () -> stored(sms).fields().remindAt().isEmpty());
        } finally {
            release.countDown();
        }
        assertThat(history(sms))
                .extracting(HistoryEntry::type)
                .containsExactly(
                        TaskEventType.REMINDED,
                        TaskEventType.EXECUTION_FAILED,
                        TaskEventType.EXECUTION_STARTED,
                        TaskEventType.CREATED);
        assertThat(sentToThisTenant()).hasSize(1);
    }

    @Test
    void aTaskClosedBeforeItsReminderIsNotReminded() {
        Task closed = withReminder(NOW.plus(Duration.ofMinutes(5)));
        Task open = withReminder(NOW.plus(Duration.ofMinutes(5)));
        assertThat(engine.complete(ref(closed), dev.taskengine.domain.Completion.done())
                        .get()
                        .fields()
                        .remindAt())
                .isEmpty();
        clock.advance(Duration.ofMinutes(5));
        try (TaskScheduler scheduler = running(engine)) {
            TimedPasses.await(
                    "the open task's reminder",
                    () -> stored(open).fields().remindAt().isEmpty());
        }
        assertThat(events(closed, TaskEventType.REMINDED)).isEmpty();
        assertThat(history(closed, TaskEventType.REMINDED)).isEmpty();
    }

    @Test
    void tasksUnderExecutionDoNotHoldBackOtherReminders() {
        // As many as one pass of the timed rules takes at most (100): they must not fill it.
        for (int i = 0; i < 100; i++) {
            executing(create(newToDo(tenant)
                    .type(TaskType.SMS)
                    .contact(GRACE)
                    .template(Template.of("Hi {{firstName}}"))
                    .remindAt(NOW.plus(Duration.ofSeconds(30)))));
        }
        Task free = withReminder(NOW.plus(Duration.ofSeconds(40)));
        clock.advance(Duration.ofMinutes(1));
        try (TaskScheduler scheduler = running(engine)) {
            TimedPasses.await(
                    "the free task's reminder",
                    () -> stored(free).fields().remindAt().isEmpty());
        }
        assertThat(history(free, TaskEventType.REMINDED)).hasSize(1);
    }

    @Test
    void aBulkSnoozeNamesEveryProblemOfTheCallAtOnce() {
        assertThat(codes(engine.snoozeAll(Writes.ACTOR, TaskSelection.ids(tenant, List.of()), NOW)
                        .getLeft()))
                .containsExactly("task.snoozedUntil.notInFuture", "batch.ids.countOutOfRange");
    }

    @Test
    void twoSchedulersOnOneStoreEmitEachReminderOnce() {
        List<Task> tasks = IntStream.range(0, 20)
                .mapToObj(i -> withReminder(NOW.plusSeconds(i)))
                .toList();
        clock.advance(Duration.ofMinutes(1));
        TimedPasses otherPasses = new TimedPasses(store);
        TaskEngine other = engine(otherPasses.store(), StaleRules.none());
        try (TaskScheduler a = running(engine);
                TaskScheduler b = running(other)) {
            TimedPasses.await(
                    "every reminder",
                    () -> tasks.stream()
                            .allMatch(t -> stored(t).fields().remindAt().isEmpty()));
            passes.awaitFullPass();
            otherPasses.awaitFullPass();
        }
        assertThat(tasks).allSatisfy(task -> {
            assertThat(history(task, TaskEventType.REMINDED)).hasSize(1);
            assertThat(events(task, TaskEventType.REMINDED)).hasSize(1);
        });
    }
}
