package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.HistoryPage;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.FieldChange;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SendingDecision;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingSettings;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history of tasks on top of an adapter's store: one entry per write, in the write's transaction, agreeing with the
 * write's event; queries per task and per tenant; retention after deletion. The same answers on every adapter. An
 * adapter's test extends this class and implements {@link #store()}.
 */
public abstract class HistoryContract {

    protected abstract TaskStore store();

    private static final UserId SAM = UserId.of(7);
    private static final EmailAccountId SAMS_ACCOUNT = EmailAccountId.of(501);
    private static final Actor KIM = Actor.user(8);
    private static final Actor CRM_SYNC = Actor.system("crm-sync");
    private static final SchedulerOptions SCHEDULER =
            SchedulerOptions.defaults().withBatchSize(1000).withPollInterval(Duration.ofMillis(10));

    private final MutableClock clock = new MutableClock(NOW);
    private final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    private TaskStore store;
    private TimedPasses passes;
    private TenantId tenant;
    private TaskEngine engine;

    @BeforeEach
    void setUpEngine() {
        tenant = freshTenant();
        store = store();
        passes = new TimedPasses(store);
        engine = builder().build();
    }

    private dev.taskengine.api.TaskEngineBuilder builder() {
        Contact ada =
                Contact.builder(1).firstName("Ada").email("ada@example.com").build();
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
                .store(passes.store())
                .contacts((t, id) -> t.equals(tenant) && id.value() == 1 ? Optional.of(ada) : Optional.empty())
                .events(events::add)
                .clock(clock)
                .sender(new RecordingSender())
                .senderAccounts(accounts);
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

    private TaskRef ref(Actor actor, Task task) {
        return TaskRef.of(actor, tenant, task.id());
    }

    private List<HistoryEntry> history(Task task) {
        return engine.history(
                        HistoryQuery.forTask(tenant, task.id()).limit(1000).build())
                .get()
                .entries();
    }

    private HistoryEntry latest(Task task) {
        return history(task).get(0);
    }

    private List<HistoryEntry> tenantHistory(HistoryQuery.Builder query) {
        return engine.history(query.limit(1000).build()).get().entries();
    }

    private static List<String> fields(HistoryEntry entry) {
        return entry.changes().stream().map(FieldChange::field).toList();
    }

    private static List<String> codes(TaskError error) {
        assertThat(error).isInstanceOf(TaskError.InvalidInput.class);
        return ((TaskError.InvalidInput) error)
                .violations().stream().map(Violation::code).toList();
    }

    // --- one entry per write

    @Test
    void aCreationRecordsItsActorAndEveryFieldItSets() {
        Task task = create(newToDo(tenant).contact(ContactId.of(1)).priority(Priority.HOT));
        HistoryEntry created = latest(task);
        assertThat(history(task)).hasSize(1);
        assertThat(created.type()).isEqualTo(TaskEventType.CREATED);
        assertThat(created.actor()).isEqualTo(Writes.ACTOR);
        assertThat(created.at()).isEqualTo(NOW);
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.statusBefore()).isEmpty();
        assertThat(created.statusAfter()).contains(TaskStatus.NEW);
        assertThat(created.changes())
                .containsExactly(
                        new FieldChange("taskType", Optional.empty(), Optional.of(TaskType.TO_DO.wireName())),
                        new FieldChange("contactId", Optional.empty(), Optional.of("1")),
                        new FieldChange("assignedUserId", Optional.empty(), Optional.of("7")),
                        new FieldChange("priority", Optional.empty(), Optional.of(Priority.HOT.wireName())),
                        new FieldChange("startAt", Optional.empty(), Optional.of(NOW.toString())),
                        new FieldChange(
                                "dueTo",
                                Optional.empty(),
                                Optional.of(NOW.plus(Duration.ofDays(1)).toString())),
                        new FieldChange("scheduled", Optional.empty(), Optional.of("false")),
                        new FieldChange(
                                "template.body", Optional.empty(), Optional.of("Prepare the quarterly review")));
    }

    @Test
    void anUpdateOfPriorityAndStartRecordsExactlyThoseFieldsWithOldAndNewValues() {
        Task task = createToDo();
        clock.advance(Duration.ofMinutes(1));
        Instant later = NOW.plus(Duration.ofHours(2));
        engine.update(
                        ref(task),
                        TaskUpdate.from(task)
                                .withPriority(Priority.HOT)
                                .withTimes(later, task.schedule().dueTo()))
                .get();
        HistoryEntry updated = latest(task);
        assertThat(updated.type()).isEqualTo(TaskEventType.UPDATED);
        assertThat(updated.at()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.changes())
                .containsExactly(
                        new FieldChange(
                                "priority",
                                Optional.of(task.fields().priority().wireName()),
                                Optional.of(Priority.HOT.wireName())),
                        new FieldChange("startAt", Optional.of(NOW.toString()), Optional.of(later.toString())));
    }

    @Test
    void eachWriteRecordsExactlyOneEntryWithItsVersion() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        engine.reassign(ref(task), UserId.of(9), ReassignScope.TASK).get();
        engine.snooze(ref(task), NOW.plus(Duration.ofHours(1))).get();
        engine.unsnooze(ref(task)).get();
        engine.complete(ref(task), Completion.done()).get();
        engine.reopen(ref(task), ReopenReason.MANUAL).get();
        engine.skip(ref(task)).get();
        engine.archive(ref(task)).get();
        assertThat(history(task))
                .extracting(HistoryEntry::type, HistoryEntry::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.ARCHIVED, 9L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.SKIPPED, 8L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.REOPENED, 7L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.COMPLETED, 6L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.UNSNOOZED, 5L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.SNOOZED, 4L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.REASSIGNED, 3L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.STARTED, 2L),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.CREATED, 1L));
    }

    @Test
    void aStatusChangeRecordsTheStatusBeforeAndAfter() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        engine.complete(ref(task), Completion.done()).get();
        HistoryEntry completed = latest(task);
        assertThat(completed.statusBefore()).contains(TaskStatus.IN_PROGRESS);
        assertThat(completed.statusAfter()).contains(TaskStatus.FINISHED);
    }

    @Test
    void eachEntryNamesTheActorOfItsWrite() {
        Task task = createToDo();
        engine.start(ref(KIM, task)).get();
        engine.snooze(ref(CRM_SYNC, task), NOW.plus(Duration.ofHours(1))).get();
        assertThat(history(task))
                .extracting(e -> e.actor().wireName())
                .containsExactly("system:crm-sync", "user:8", "user:1");
    }

    @Test
    void aReopenRecordsItsReason() {
        Task task = createToDo();
        engine.skip(ref(task)).get();
        engine.reopen(ref(task), ReopenReason.REMINDER_RULE).get();
        HistoryEntry reopened = latest(task);
        assertThat(reopened.type()).isEqualTo(TaskEventType.REOPENED);
        assertThat(reopened.reason()).contains(ReopenReason.REMINDER_RULE.wireName());
        assertThat(reopened.statusBefore()).contains(TaskStatus.SKIPPED);
        assertThat(reopened.statusAfter()).contains(TaskStatus.NEW);
    }

    @Test
    void aSnoozeAndARescheduleRecordTheTimesTheyMoved() {
        Task task = createToDo();
        Instant until = NOW.plus(Duration.ofHours(3));
        engine.snooze(ref(task), until).get();
        assertThat(latest(task).changes())
                .containsExactly(new FieldChange("snoozedUntil", Optional.empty(), Optional.of(until.toString())));
        engine.rescheduleAll(
                        Writes.ACTOR, TaskSelection.ids(tenant, List.of(task.id())), Reschedule.by(Duration.ofDays(1)))
                .get();
        HistoryEntry rescheduled = latest(task);
        assertThat(rescheduled.type()).isEqualTo(TaskEventType.RESCHEDULED);
        assertThat(fields(rescheduled)).containsExactly("startAt", "dueTo");
    }

    @Test
    void aDeferralIsRecordedAsTheSendingPolicysWithItsReason() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        SendingWindows weekdays9To17 = SendingWindows.on(
                ZoneOffset.UTC, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), TimeRange.of("09:00", "17:00"));
        engine = builder()
                .sendingRules(SendingSettings.builder()
                        .tenantWindows(tenant, weekdays9To17)
                        .build())
                .build();
        Task task = create(newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .template(Template.of("Hello", "Hi {{firstName}}"))
                .scheduled(true)
                .startAt(clock.instant())
                .dueTo(clock.instant().plus(Duration.ofDays(30))));
        engine.scheduler(SCHEDULER).pollOnce();
        HistoryEntry deferred = latest(task);
        assertThat(deferred.type()).isEqualTo(TaskEventType.DEFERRED);
        assertThat(deferred.actor()).isEqualTo(Actor.SENDING_POLICY);
        assertThat(deferred.actor().wireName()).isEqualTo("system:sendingPolicy");
        assertThat(deferred.reason()).contains(SendingDecision.OUTSIDE_WINDOW);
        assertThat(deferred.changes())
                .containsExactly(
                        new FieldChange("deferredUntil", Optional.empty(), Optional.of("2026-03-03T09:00:00Z")));
    }

    private NewTask.Builder emailToAda() {
        return newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .template(Template.of("Hello", "Hi {{firstName}}"));
    }

    @Test
    void aFailedExecutionRecordsItsReasonAndItsActor() {
        engine = builder()
                .sender(new RecordingSender().failFor("ada@example.com", "mailbox full", false))
                .build();
        Task email = create(emailToAda());
        engine.execute(ref(KIM, email));
        HistoryEntry failed = latest(email);
        assertThat(failed.type()).isEqualTo(TaskEventType.EXECUTION_FAILED);
        assertThat(failed.actor()).isEqualTo(KIM);
        assertThat(failed.reason()).hasValueSatisfying(r -> assertThat(r).contains("mailbox full"));
        assertThat(fields(failed)).contains("failureReason");
        assertThat(history(email))
                .extracting(HistoryEntry::type)
                .containsExactly(
                        TaskEventType.EXECUTION_FAILED, TaskEventType.EXECUTION_STARTED, TaskEventType.CREATED);
    }

    @Test
    void aScheduledExecutionIsRecordedAsTheSchedulersAndAgreesWithItsEvents() {
        Task email = create(emailToAda().scheduled(true));
        engine.scheduler(SCHEDULER).pollOnce();
        List<HistoryEntry> entries = history(email);
        assertThat(entries)
                .extracting(HistoryEntry::type, HistoryEntry::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.EXECUTED, Actor.SCHEDULER),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.EXECUTION_STARTED, Actor.SCHEDULER),
                        org.assertj.core.groups.Tuple.tuple(TaskEventType.CREATED, Writes.ACTOR));
        assertThat(entries.get(0).statusAfter()).contains(TaskStatus.FINISHED);
        assertThat(eventsOf(email)).containsExactlyElementsOf(oldestFirst(entries));
    }

    @Test
    void aSequenceReassignRecordsOneEntryPerTaskAgreeingWithItsEvent() {
        Task step1 = create(newToDo(tenant)
                .contact(ContactId.of(1))
                .sequence(dev.taskengine.domain.SequenceRef.of(600, 1, "Step 1")));
        Task step2 = create(newToDo(tenant)
                .contact(ContactId.of(1))
                .sequence(dev.taskengine.domain.SequenceRef.of(600, 2, "Step 2")));
        engine.reassignSequence(KIM, tenant, SequenceId.of(600), UserId.of(9)).get();
        for (Task task : List.of(step1, step2)) {
            HistoryEntry reassigned = latest(task);
            assertThat(reassigned.type()).isEqualTo(TaskEventType.REASSIGNED);
            assertThat(reassigned.actor()).isEqualTo(KIM);
            assertThat(reassigned.changes())
                    .containsExactly(new FieldChange("assignedUserId", Optional.of("7"), Optional.of("9")));
            assertThat(eventsOf(task)).containsExactlyElementsOf(oldestFirst(history(task)));
        }
    }

    @Test
    void aRefusedWriteRecordsNothing() {
        Task task = createToDo();
        engine.start(ref(task).expecting(5));
        engine.archive(ref(task));
        engine.update(ref(task), TaskUpdate.from(task).withTimes(NOW, NOW));
        engine.snooze(ref(task), NOW.minusSeconds(1));
        engine.addNote(ref(task), " ");
        assertThat(history(task)).extracting(HistoryEntry::type).containsExactly(TaskEventType.CREATED);
    }

    @Test
    void aDeletionRecordsTheDeletedVersionAndNoStatusAfter() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        engine.delete(ref(task)).get();
        HistoryEntry deleted = latest(task);
        assertThat(deleted.type()).isEqualTo(TaskEventType.DELETED);
        assertThat(deleted.version()).isEqualTo(2);
        assertThat(deleted.statusBefore()).contains(TaskStatus.IN_PROGRESS);
        assertThat(deleted.statusAfter()).isEmpty();
    }

    // --- queries

    @Test
    void aTasksHistoryIsNewestFirstAndPagedByCursorWithoutGapsOrRepeats() {
        Task task = createToDo();
        for (int i = 0; i < 11; i++) {
            clock.advance(Duration.ofSeconds(1));
            engine.addNote(ref(task), "note " + i).get();
        }
        List<HistoryEntry> all = history(task);
        assertThat(all).hasSize(12);
        assertThat(all).extracting(HistoryEntry::at).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        List<HistoryEntry> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        HistoryQuery query = HistoryQuery.forTask(tenant, task.id()).limit(5).build();
        while (true) {
            HistoryPage page = engine.history(query).get();
            paged.addAll(page.entries());
            sizes.add(page.entries().size());
            if (page.nextCursor().isEmpty()) {
                break;
            }
            query = query.after(page.nextCursor().get());
        }
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(sizes).containsExactly(5, 5, 2);
    }

    @Test
    void entriesOfOneInstantKeepTheOrderTheyWereWrittenIn() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        engine.addNote(ref(task), "same instant").get();
        engine.complete(ref(task), Completion.done()).get();
        assertThat(history(task))
                .extracting(HistoryEntry::type)
                .containsExactly(
                        TaskEventType.COMPLETED,
                        TaskEventType.NOTE_ADDED,
                        TaskEventType.STARTED,
                        TaskEventType.CREATED);
    }

    @Test
    void aTenantsHistoryIsFilteredByActor() {
        Task first = createToDo();
        Task second = createToDo();
        engine.start(ref(KIM, first)).get();
        engine.addNote(ref(KIM, second), "picked up").get();
        engine.start(ref(second)).get();
        assertThat(tenantHistory(HistoryQuery.forTenant(tenant).actor(KIM)))
                .extracting(HistoryEntry::taskId, HistoryEntry::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(second.id(), TaskEventType.NOTE_ADDED),
                        org.assertj.core.groups.Tuple.tuple(first.id(), TaskEventType.STARTED));
    }

    @Test
    void aTenantsHistoryIsFilteredByATimeWindowThatIncludesItsStartAndExcludesItsEnd() {
        Task task = createToDo();
        clock.advance(Duration.ofHours(1));
        engine.start(ref(task)).get();
        clock.advance(Duration.ofHours(1));
        engine.addNote(ref(task), "at two hours").get();
        Instant oneHour = NOW.plus(Duration.ofHours(1));
        Instant twoHours = NOW.plus(Duration.ofHours(2));
        assertThat(tenantHistory(HistoryQuery.forTenant(tenant).from(oneHour).to(twoHours)))
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.STARTED);
        assertThat(tenantHistory(HistoryQuery.forTenant(tenant).from(oneHour)))
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.NOTE_ADDED, TaskEventType.STARTED);
        assertThat(tenantHistory(HistoryQuery.forTenant(tenant).to(oneHour)))
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.CREATED);
    }

    @Test
    void aHistoryQueryKeepsOnlyTheTypesItNames() {
        Task task = createToDo();
        engine.addNote(ref(task), "one").get();
        engine.start(ref(task)).get();
        engine.addNote(ref(task), "two").get();
        assertThat(tenantHistory(HistoryQuery.forTask(tenant, task.id()).types(TaskEventType.NOTE_ADDED)))
                .extracting(e -> e.note().orElseThrow())
                .containsExactly("two", "one");
    }

    @Test
    void anotherTenantsHistoryIsInvisible() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        TenantId other = freshTenant();
        assertThat(engine.history(HistoryQuery.forTask(other, task.id()).build())
                        .get()
                        .entries())
                .isEmpty();
        assertThat(engine.history(HistoryQuery.forTenant(other).build()).get().entries())
                .isEmpty();
        assertThat(tenantHistory(HistoryQuery.forTenant(tenant))).hasSize(2);
    }

    @Test
    void aHistoryQueryOutsideItsLimitsIsInvalidInput() {
        assertThat(codes(engine.history(HistoryQuery.forTenant(tenant).limit(0).build())
                        .getLeft()))
                .containsExactly("history.limit.outOfRange");
        assertThat(codes(engine.history(
                                HistoryQuery.forTenant(tenant).limit(1001).build())
                        .getLeft()))
                .containsExactly("history.limit.outOfRange");
        assertThat(codes(engine.history(HistoryQuery.forTenant(tenant)
                                .from(NOW)
                                .to(NOW.minusSeconds(1))
                                .build())
                        .getLeft()))
                .containsExactly("history.to.beforeFrom");
    }

    @Test
    void aTamperedHistoryCursorIsInvalidInput() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        String cursor = engine.history(
                        HistoryQuery.forTask(tenant, task.id()).limit(1).build())
                .get()
                .nextCursor()
                .orElseThrow();
        String tampered = (cursor.charAt(0) == 'A' ? "B" : "A") + cursor.substring(1);
        assertThat(engine.history(HistoryQuery.forTask(tenant, task.id())
                                .after(tampered)
                                .build())
                        .getLeft())
                .isInstanceOf(TaskError.InvalidInput.class);
    }

    // --- deletion and retention

    @Test
    void theHistoryOfADeletedTaskIsKept() {
        Task task = createToDo();
        engine.start(ref(task)).get();
        engine.delete(ref(task)).get();
        assertThat(history(task))
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.DELETED, TaskEventType.STARTED, TaskEventType.CREATED);
    }

    @Test
    void theSchedulerForgetsTheHistoryOfATaskDeletedLongerAgoThanTheRetention() {
        engine = builder().historyRetention(Duration.ofHours(1)).build();
        Task deleted = createToDo();
        Task kept = createToDo();
        engine.delete(ref(deleted)).get();
        try (TaskScheduler scheduler = engine.scheduler(SCHEDULER.withOwner("history-" + UUID.randomUUID()))
                .start()) {
            passes.awaitFullPass();
            assertThat(history(deleted)).as("within the retention").hasSize(2);
            clock.advance(Duration.ofMinutes(61));
            TimedPasses.await(
                    "the deleted task's history forgotten",
                    () -> history(deleted).isEmpty());
        }
        assertThat(history(kept)).extracting(HistoryEntry::type).containsExactly(TaskEventType.CREATED);
        assertThat(tenantHistory(HistoryQuery.forTenant(tenant)))
                .extracting(HistoryEntry::taskId)
                .containsOnly(kept.id());
    }

    // --- events and history agree

    @Test
    void publishedEventsAndHistoryEntriesAgreeInIdTypeVersionTimeActorAndOrder() {
        Task task = createToDo();
        clock.advance(Duration.ofMinutes(1));
        engine.start(ref(KIM, task)).get();
        engine.update(ref(task), TaskUpdate.from(task).withPriority(Priority.HOT))
                .get();
        engine.addNote(ref(CRM_SYNC, task), "synced").get();
        clock.advance(Duration.ofMinutes(1));
        engine.snoozeAll(KIM, TaskSelection.ids(tenant, List.of(task.id())), NOW.plus(Duration.ofHours(1)))
                .get();
        engine.rescheduleAll(
                        Writes.ACTOR, TaskSelection.ids(tenant, List.of(task.id())), Reschedule.by(Duration.ofHours(2)))
                .get();
        engine.handOver(dev.taskengine.api.HandOver.of(CRM_SYNC, tenant, SAM, UserId.of(9)))
                .get();
        engine.complete(ref(task), Completion.done()).get();
        engine.reopen(ref(task), ReopenReason.MANUAL).get();
        engine.delete(ref(task)).get();

        List<HistoryEntry> entries = history(task);
        assertThat(entries).hasSize(10);
        assertThat(eventsOf(task)).containsExactlyElementsOf(oldestFirst(entries));
    }

    /** What the events published about {@code task} say, in the order published. */
    private List<Said> eventsOf(Task task) {
        synchronized (events) {
            return events.stream()
                    .filter(e -> e.tenant().equals(tenant) && e.taskId().equals(task.id()))
                    .map(e -> new Said(e.id(), e.type(), e.version(), e.occurredAt(), e.actor()))
                    .toList();
        }
    }

    /** What the events {@code newestFirst} entries agree with say, oldest first. */
    private static List<Said> oldestFirst(List<HistoryEntry> newestFirst) {
        List<Said> agreeing = new ArrayList<>(newestFirst.stream()
                .map(e -> new Said(e.id(), e.type(), e.version(), e.at(), e.actor()))
                .toList());
        Collections.reverse(agreeing);
        return agreeing;
    }

    /** What an event and a history entry both say: they agree when these are equal. */
    private record Said(
            java.util.UUID id,
            TaskEventType type,
            long version,
            java.time.Instant at,
            dev.taskengine.domain.Actor actor) {}
}
