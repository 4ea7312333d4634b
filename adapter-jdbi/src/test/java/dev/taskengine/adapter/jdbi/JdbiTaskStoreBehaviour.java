package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static dev.taskengine.contract.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSort;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.FieldChange;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.Keyset;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.StoredHistory;
import dev.taskengine.store.StoredPage;
import dev.taskengine.store.TaskWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the SQL store must do beyond the contract kit, on each database: exact round trips of times, texts and lists,
 * filters that agree with {@link TaskQuery#matches} at every precision, failures that are never business answers, a
 * schema that lives beside the host's, and writes inside the host's transaction.
 */
abstract class JdbiTaskStoreBehaviour {
    private static final Instant LATE = Instant.parse("9999-12-31T23:59:58.999999Z");
    private static final Actor ACTOR = Actor.user(7);

    protected abstract TestDatabase database();

    private JdbiTaskStore store;
    private TenantId tenant;

    @BeforeEach
    void setUp() {
        store = database().store();
        tenant = freshTenant();
    }

    private Task insert(Task task) {
        store.insert(task, created(task), List.of());
        return task;
    }

    private static HistoryEntry created(Task task) {
        return HistoryEntry.created(UUID.randomUUID(), task, ACTOR);
    }

    private TaskId id() {
        return store.nextId();
    }

    // --- round trips

    @Test
    void timesRoundTripAsUtcInstantsWithMicroseconds() {
        Instant created = Instant.parse("2015-01-01T00:00:00.000001Z");
        Instant updated = Instant.parse("2026-07-01T23:59:59.999999Z");
        Instant reopened = Instant.parse("2020-03-29T01:00:00.500001Z");
        Task task = insert(Task.stored()
                .id(id())
                .tenant(tenant)
                .version(4)
                .type(TaskType.TO_DO)
                .status(TaskStatus.FINISHED)
                .priority(Priority.TODAY)
                .assignedUserId(UserId.of(7))
                .creationSource(CreationSource.USER)
                .createdAt(created)
                .updatedAt(updated)
                .startAt(LATE)
                .dueTo(Limits.LATEST_TIME)
                .finishedAt(updated)
                .reopenedAt(reopened)
                .reopenReason(ReopenReason.MANUAL)
                .template(Template.of("Times"))
                .build());

        assertThat(store.find(tenant, task.id())).contains(task);
        // The database holds the same absolute instants, whatever the JVM's zone (the build runs in Pacific/Chatham).
        long matching = database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM te_task WHERE id = :id"
                                + " AND created_at = TIMESTAMP WITH TIME ZONE '2015-01-01 00:00:00.000001+00:00'"
                                + " AND start_at = TIMESTAMP WITH TIME ZONE '9999-12-31 23:59:58.999999+00:00'"
                                + " AND reopened_at = TIMESTAMP WITH TIME ZONE '2020-03-29 02:30:00.500001+01:30'")
                        .bind("id", task.id().value())
                        .mapTo(Long.class)
                        .one());
        assertThat(matching).isEqualTo(1);
    }

    @Test
    void timesFinerThanAMicrosecondAreTruncatedAsTheDomainDoesNotRounded() {
        Instant start = Instant.parse("2026-03-02T10:00:00.123456789Z");
        Task task = insert(
                task(tenant, id()).startAt(start).dueTo(start.plusSeconds(60)).build());

        assertThat(store.find(tenant, task.id()).orElseThrow().schedule().startAt())
                .isEqualTo(Instant.parse("2026-03-02T10:00:00.123456Z"));
    }

    @Test
    void anUpdateAnswersTheTaskAsStoredWhenItsTimesAreFinerThanAMicrosecond() {
        Task task = insert(task(tenant, id()).build());
        Instant start = Instant.parse("2026-03-02T10:00:00.123456789Z");
        Task changed = task(tenant, task.id())
                .version(task.version() + 1)
                .startAt(start)
                .dueTo(start.plusSeconds(60))
                .build();

        Task answered = store.update(
                        changed,
                        task.version(),
                        HistoryEntry.changed(UUID.randomUUID(), TaskEventType.UPDATED, task, changed, ACTOR),
                        List.of())
                .get();

        assertThat(answered.schedule().startAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00.123456Z"));
        assertThat(store.find(tenant, task.id())).contains(answered);
    }

    @Test
    void storesOnOneDatabaseNeverHandOutTheSameId() {
        JdbiTaskStore other = new JdbiTaskStore(database().dataSource());
        java.util.Set<TaskId> handedOut = new java.util.HashSet<>();
        for (int i = 0; i < 3 * Dialect.LARGEST_ID_BLOCK; i++) {
            assertThat(handedOut.add(store.nextId())).isTrue();
            assertThat(handedOut.add(other.nextId())).isTrue();
        }
    }

    @Test
    void aStoreHandsOutIdsInAscendingOrder() {
        TaskId previous = store.nextId();
        for (int i = 0; i < 3 * Dialect.LARGEST_ID_BLOCK; i++) {
            TaskId next = store.nextId();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void attachmentIdsRoundTripExactlyInOrderWithDuplicatesAndEmpty() {
        for (List<Long> ids : List.of(List.<Long>of(), List.of(1L), List.of(Long.MAX_VALUE, 3L, 3L, 1L))) {
            Task task = insert(withTemplate(id(), Template.of("Subject", "Body", ids), Optional.empty()));
            assertThat(store.find(tenant, task.id())
                            .orElseThrow()
                            .fields()
                            .template()
                            .attachmentIds())
                    .isEqualTo(ids);
        }
    }

    @Test
    void emptyTextsStayEmptyAndAbsentTextsStayAbsent() {
        Task empty = insert(withTemplate(
                id(),
                Template.of("", "", List.of()),
                Optional.of(new SequenceRef(
                        SequenceId.of(1), dev.taskengine.domain.SequenceStepId.of(2), Optional.of("")))));
        Task absent = insert(withTemplate(
                id(),
                Template.of(null, "Body", List.of()),
                Optional.of(new SequenceRef(
                        SequenceId.of(1), dev.taskengine.domain.SequenceStepId.of(2), Optional.empty()))));

        assertThat(store.find(tenant, empty.id())).contains(empty);
        assertThat(store.find(tenant, absent.id())).contains(absent);
    }

    @Test
    void theLargestValuesTheDomainAcceptsRoundTrip() {
        TenantId longTenant =
                TenantId.of(("L" + UUID.randomUUID()).concat("-".repeat(64)).substring(0, TenantId.MAX_LENGTH));
        String subject = "😀".repeat(Limits.SUBJECT_MAX_CHARS / 2);
        String body = "ab😀\n".repeat(Limits.BODY_MAX_CHARS / 5) + "x".repeat(Limits.BODY_MAX_CHARS % 5);
        List<Long> attachments = LongStream.range(0, Limits.ATTACHMENTS_MAX)
                .map(i -> Long.MAX_VALUE - i)
                .boxed()
                .toList();
        NewTask command = NewTask.builder()
                .tenant(longTenant)
                .type(TaskType.MANUAL_EMAIL)
                .creationSource(CreationSource.SEQUENCE)
                .sequence(
                        SequenceRef.of(Long.MAX_VALUE, Long.MAX_VALUE, "é".repeat(Limits.STEP_DISPLAY_NAME_MAX_CHARS)))
                .contact(ContactId.of(Long.MAX_VALUE))
                .assignee(UserId.of(Long.MAX_VALUE))
                .startAt(LATE)
                .dueTo(Limits.LATEST_TIME)
                .template(Template.of(subject, body, attachments))
                .build();
        Task task = Task.create(command, TemplateEngine.create(), NOW, store::nextId)
                .get();
        assertThat(body).hasSize(Limits.BODY_MAX_CHARS);
        assertThat(subject).hasSize(Limits.SUBJECT_MAX_CHARS);

        store.insert(task, created(task), List.of());

        assertThat(store.find(longTenant, task.id())).contains(task);
    }

    // --- failures are never business answers

    @Test
    void storingATaskTwiceIsABugNotAnOutage() {
        Task task = insert(task(tenant, id()).build());

        assertThatThrownBy(() -> store.insert(task, created(task), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already stored");
    }

    @Test
    void aRowThatIsNotAValidTaskIsReportedNotSkipped() {
        Task task = insert(task(tenant, id()).build());
        database()
                .jdbi()
                .useHandle(h -> h.execute(
                        "UPDATE te_task SET status = 99 WHERE id = ?", task.id().value()));

        assertThatThrownBy(() -> store.find(tenant, task.id()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("te_task row " + task.id())
                .hasMessageContaining("TaskStatus code 99");
    }

    @Test
    void aDatabaseWithoutTheSchemaIsAnOutageNeverNotFound() {
        try (TestDatabase.Isolated empty = database().isolated()) {
            JdbiTaskStore unmigrated = new JdbiTaskStore(empty.dataSource());
            TaskEngine engine = TaskEngine.builder().store(unmigrated).build();

            assertThatThrownBy(() -> unmigrated.find(tenant, TaskId.of(1)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> unmigrated.query(
                            PageRequest.first(TaskQuery.forTenant(tenant).build(), NOW)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> engine.get(tenant, TaskId.of(1), false))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("find task 1");
        }
    }

    // --- the sequence-wide reassign is Task.reassignedBySequence, in SQL

    @Test
    void aSequenceReassignNeverMovesTheChangeTimeBack() {
        Instant later = NOW.plus(1, ChronoUnit.HOURS);
        Task task = insert(task(tenant, id())
                .sequence(800, 1)
                .createdAt(NOW.minus(1, ChronoUnit.DAYS))
                .updatedAt(later)
                .build());
        Instant now = NOW.plusNanos(789);

        List<Task> reassigned = store.reassignSequence(tenant, SequenceId.of(800), UserId.of(3), ACTOR, now, false);

        assertThat(reassigned).containsExactly(task.reassignedBySequence(UserId.of(3), now));
        assertThat(reassigned.get(0).times().updatedAt()).isEqualTo(later);
        assertThat(store.find(tenant, task.id())).contains(reassigned.get(0));
    }

    @Test
    void aSequenceReassignAnswersTheChangedTasksInIdOrder() {
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(insert(task(tenant, id()).sequence(801, i + 1).build()).id());
        }

        List<Task> reassigned = store.reassignSequence(tenant, SequenceId.of(801), UserId.of(4), ACTOR, NOW, false);

        assertThat(reassigned).extracting(Task::id).containsExactlyElementsOf(ids);
    }

    // --- queries agree with TaskQuery.matches at every precision and range

    @Test
    void boundsFinerThanAMicrosecondSelectExactlyWhatMatchesSays() {
        Instant base = NOW;
        List<Task> tasks = new ArrayList<>();
        for (Instant start : List.of(base.minus(1, ChronoUnit.MICROS), base, base.plus(1, ChronoUnit.MICROS))) {
            tasks.add(insert(task(tenant, id())
                    .startAt(start)
                    .dueTo(start.plusSeconds(1))
                    .build()));
        }
        List<Instant> bounds = List.of(
                base.minusNanos(1),
                base,
                base.plusNanos(1),
                base.plusNanos(999),
                base.plusNanos(1_001),
                base.minusNanos(1_001));
        for (Instant from : bounds) {
            for (Instant to : bounds) {
                agrees(
                        TaskQuery.forTenant(tenant)
                                .startingBetween(from, to)
                                .limit(100)
                                .build(),
                        Optional.empty(),
                        NOW,
                        tasks);
            }
            agrees(
                    TaskQuery.forTenant(tenant).overdue(true).limit(100).build(),
                    Optional.empty(),
                    from.plusSeconds(1),
                    tasks);
            for (TaskSort sort : List.of(TaskSort.START_AT_ASC, TaskSort.START_AT_DESC)) {
                for (Task at : tasks) {
                    agrees(
                            TaskQuery.forTenant(tenant).sort(sort).limit(100).build(),
                            Optional.of(new Keyset(from, at.id())),
                            NOW,
                            tasks);
                }
            }
        }
    }

    @Test
    void boundsBeyondWhatTheDatabaseHoldsAreAnsweredNotRefused() {
        List<Task> tasks = List.of(
                insert(task(tenant, id())
                        .startAt(Limits.EARLIEST_START)
                        .dueTo(NOW)
                        .build()),
                insert(task(tenant, id())
                        .startAt(LATE)
                        .dueTo(Limits.LATEST_TIME)
                        .build()));
        List<Instant> extremes = List.of(Instant.MIN, Instant.EPOCH, Instant.MAX);
        for (Instant from : extremes) {
            for (Instant to : extremes) {
                agrees(
                        TaskQuery.forTenant(tenant)
                                .startingBetween(from, to)
                                .limit(100)
                                .build(),
                        Optional.empty(),
                        NOW,
                        tasks);
            }
            agrees(TaskQuery.forTenant(tenant).overdue(true).limit(100).build(), Optional.empty(), from, tasks);
            for (TaskSort sort : TaskSort.values()) {
                agrees(
                        TaskQuery.forTenant(tenant).sort(sort).limit(100).build(),
                        Optional.of(new Keyset(from, TaskId.of(1))),
                        NOW,
                        tasks);
            }
        }
    }

    private void agrees(TaskQuery query, Optional<Keyset> after, Instant now, List<Task> tasks) {
        PageRequest request = after.map(position -> PageRequest.after(query, position, now))
                .orElseGet(() -> PageRequest.first(query, now));
        List<TaskId> expected = tasks.stream()
                .filter(request::includes)
                .sorted(query.sort().comparator())
                .map(Task::id)
                .toList();
        StoredPage page = store.query(request);
        assertThat(page.tasks())
                .as("%s after %s at %s", query, after, now)
                .extracting(Task::id)
                .isEqualTo(expected);
    }

    // --- the working day: reminders, snoozes, pauses, history, notes, who acted

    /** A scheduled email of this test's tenant with the working day's times, built as a store rebuilds one. */
    private Task workdayTask(TaskId id, Instant remindAt, Instant snoozedUntil, Instant pausedUntil) {
        return Task.stored()
                .id(id)
                .tenant(tenant)
                .version(1)
                .type(TaskType.MANUAL_EMAIL)
                .status(TaskStatus.NEW)
                .priority(Priority.TODAY)
                .contactId(ContactId.of(5))
                .assignedUserId(UserId.of(7))
                .creationSource(CreationSource.USER)
                .createdAt(NOW)
                .updatedAt(NOW)
                .startAt(NOW)
                .dueTo(NOW.plus(1, ChronoUnit.DAYS))
                .scheduled(true)
                .template(Template.of("Follow-up", "Hi {{firstName}}"))
                .remindAt(remindAt)
                .snoozedUntil(snoozedUntil)
                .pausedUntil(pausedUntil)
                .build();
    }

    @Test
    void theWorkdayTimesRoundTripAndTheDerivedColumnsAreTheDomains() {
        Instant snoozed = NOW.plus(2, ChronoUnit.HOURS);
        Instant paused = NOW.plus(3, ChronoUnit.HOURS);
        Task task = insert(workdayTask(id(), NOW.plus(1, ChronoUnit.HOURS), snoozed, paused));

        assertThat(store.find(tenant, task.id())).contains(task);
        long derived = database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM te_task WHERE tenant = :tenant AND id = :id"
                                + " AND hidden_until = :paused AND next_execution_at = :paused")
                        .bind("paused", SqlTimes.stored(paused))
                        .bind("tenant", tenant.value())
                        .bind("id", task.id().value())
                        .mapTo(Long.class)
                        .one());
        assertThat(task.hiddenUntil()).contains(paused);
        assertThat(task.nextExecutionAt()).contains(paused);
        assertThat(derived).isEqualTo(1);
    }

    @Test
    void theHiddenDueAndExecutingFiltersSelectExactlyWhatMatchesSays() {
        Instant base = NOW.plus(1, ChronoUnit.HOURS);
        List<Task> tasks = List.of(
                insert(workdayTask(id(), null, null, null)),
                insert(workdayTask(id(), null, base.plus(1, ChronoUnit.MICROS), null)),
                insert(workdayTask(id(), null, null, base)),
                insert(workdayTask(id(), null, base.minus(1, ChronoUnit.MICROS), base.plusSeconds(1))),
                insert(dev.taskengine.contract.TaskFixtures.executingEmail(tenant, id())));
        List<Instant> nows = List.of(
                base.minusNanos(1),
                base,
                base.plusNanos(1),
                base.plusNanos(999),
                base.plusNanos(1_001),
                base.minusNanos(1_001));
        for (Instant now : nows) {
            for (boolean hidden : List.of(true, false)) {
                agrees(TaskQuery.forTenant(tenant).hidden(hidden).limit(100).build(), Optional.empty(), now, tasks);
            }
            agrees(
                    TaskQuery.forTenant(tenant)
                            .dueToBefore(now.plus(1, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS))
                            .limit(100)
                            .build(),
                    Optional.empty(),
                    now,
                    tasks);
        }
        for (boolean executing : List.of(true, false)) {
            agrees(TaskQuery.forTenant(tenant).executing(executing).limit(100).build(), Optional.empty(), NOW, tasks);
        }
    }

    /** Writes a new version of {@code task} recorded by an entry of {@code type} by {@code actor} at {@code at}. */
    private HistoryEntry write(Task task, long version, Instant at, Actor actor, TaskEventType type) {
        Task changed = task(tenant, task.id()).version(version).build();
        HistoryEntry entry = new HistoryEntry(
                UUID.randomUUID(),
                tenant,
                task.id(),
                version,
                at,
                actor,
                type,
                Optional.of(TaskStatus.NEW),
                Optional.of(TaskStatus.NEW),
                List.of(new FieldChange("priority", Optional.of("hot"), Optional.of("today"))),
                Optional.empty(),
                Optional.empty());
        assertThat(store.update(changed, version - 1, entry, List.of()).isRight())
                .isTrue();
        return entry;
    }

    private StoredHistory history(Optional<TaskId> task, int limit) {
        return store.history(new HistoryRequest(
                tenant,
                task,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                OptionalLong.empty(),
                limit));
    }

    @Test
    void aHistoryEntryRoundTripsWithEveryField() {
        Task task = insert(task(tenant, id()).build());
        String body = "Hi {{firstName}},\n\tsee you 😀 — ok?";
        Task changed = task(tenant, task.id()).version(2).build();
        HistoryEntry reopened = new HistoryEntry(
                        UUID.randomUUID(),
                        tenant,
                        task.id(),
                        2,
                        Instant.parse("2026-03-02T09:30:00.000001Z"),
                        Actor.system("crm-sync.v2"),
                        TaskEventType.REOPENED,
                        Optional.of(TaskStatus.FINISHED),
                        Optional.of(TaskStatus.NEW),
                        List.of(
                                new FieldChange("template.body", Optional.of(""), Optional.of(body)),
                                new FieldChange("remindAt", Optional.of(NOW.toString()), Optional.empty())),
                        Optional.empty(),
                        Optional.empty())
                .withReason("reminderRule");
        store.update(changed, 1, reopened, List.of());
        HistoryEntry note = HistoryEntry.note(UUID.randomUUID(), changed, ACTOR, NOW, "Called:\nno answer 📞")
                .get();
        assertThat(store.addNote(note, List.of()).get()).isEqualTo(note);

        assertThat(history(Optional.of(task.id()), 10).entries()).containsExactly(note, reopened, creationAsKept(task));
    }

    /** The entry {@link #insert} kept for {@code task}, as the store reads it back. */
    private HistoryEntry creationAsKept(Task task) {
        return history(Optional.of(task.id()), 100).entries().stream()
                .filter(e -> e.type() == TaskEventType.CREATED)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void historyFiltersSelectExactlyWhatIncludesSays() {
        Task first = insert(task(tenant, id()).build());
        Task second = insert(task(tenant, id()).build());
        List<HistoryEntry> kept = new ArrayList<>();
        kept.add(creationAsKept(first));
        kept.add(creationAsKept(second));
        List<Actor> actors = List.of(ACTOR, Actor.SCHEDULER);
        List<TaskEventType> types = List.of(TaskEventType.UPDATED, TaskEventType.SNOOZED, TaskEventType.REMINDED);
        List<Instant> ats = List.of(NOW.minus(1, ChronoUnit.MICROS), NOW, NOW.plus(1, ChronoUnit.MICROS));
        for (int i = 0; i < 6; i++) {
            Task task = i % 2 == 0 ? first : second;
            kept.add(
                    write(task, 2 + i / 2, ats.get(i % 3), actors.get(i % 2 == 0 ? (i / 2) % 2 : 1), types.get(i % 3)));
        }
        List<Instant> bounds = List.of(NOW.minusNanos(1), NOW, NOW.plusNanos(1), NOW.plusNanos(1_001));
        List<Optional<Instant>> times = new ArrayList<>();
        times.add(Optional.empty());
        bounds.forEach(b -> times.add(Optional.of(b)));
        for (Optional<TaskId> task : List.of(Optional.<TaskId>empty(), Optional.of(first.id()))) {
            for (Optional<Actor> actor : List.of(Optional.<Actor>empty(), Optional.of(ACTOR))) {
                for (Optional<Instant> from : times) {
                    for (Optional<Instant> to : times) {
                        for (Set<TaskEventType> typed : List.of(
                                Set.<TaskEventType>of(),
                                Set.of(TaskEventType.SNOOZED),
                                Set.of(TaskEventType.CREATED, TaskEventType.REMINDED))) {
                            HistoryRequest request =
                                    new HistoryRequest(tenant, task, actor, from, to, typed, OptionalLong.empty(), 100);
                            List<HistoryEntry> expected = new ArrayList<>(
                                    kept.stream().filter(request::includes).toList());
                            java.util.Collections.reverse(expected);
                            assertThat(store.history(request).entries())
                                    .as("%s", request)
                                    .isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void historyPagesWalkNewestFirstAndSayWhereTheNextStarts() {
        Task task = insert(task(tenant, id()).build());
        List<HistoryEntry> kept = new ArrayList<>();
        kept.add(creationAsKept(task));
        for (int version = 2; version <= 5; version++) {
            kept.add(write(task, version, NOW, ACTOR, TaskEventType.UPDATED));
        }
        java.util.Collections.reverse(kept);

        List<HistoryEntry> walked = new ArrayList<>();
        OptionalLong before = OptionalLong.empty();
        int pages = 0;
        do {
            StoredHistory page = store.history(new HistoryRequest(
                    tenant,
                    Optional.of(task.id()),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    before,
                    2));
            walked.addAll(page.entries());
            before = page.next();
            pages++;
        } while (before.isPresent());

        assertThat(walked).isEqualTo(kept);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aRefusedWriteKeepsNoHistory() {
        Task task = insert(task(tenant, id()).build());
        Task changed = task(tenant, task.id()).version(3).build();
        HistoryEntry stale = HistoryEntry.changed(UUID.randomUUID(), TaskEventType.UPDATED, task, changed, ACTOR);

        assertThat(store.update(changed, 2, stale, List.of()).getLeft())
                .isEqualTo(new TaskError.VersionConflict(task.id(), 2, 1));
        assertThat(store.delete(
                                tenant,
                                task.id(),
                                2,
                                HistoryEntry.deleted(UUID.randomUUID(), task, ACTOR, NOW),
                                List.of())
                        .isLeft())
                .isTrue();
        assertThat(history(Optional.of(task.id()), 10).entries())
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.CREATED);
    }

    @Test
    void aBatchKeepsTheHistoryOfItsKeptWritesOnly() {
        Task kept = insert(task(tenant, id()).build());
        Task refused = insert(task(tenant, id()).build());
        Task keptChange = task(tenant, kept.id()).version(2).build();
        Task staleChange = task(tenant, refused.id()).version(3).build();
        HistoryEntry keptEntry =
                HistoryEntry.changed(UUID.randomUUID(), TaskEventType.UPDATED, kept, keptChange, ACTOR);

        store.updateAll(List.of(
                new TaskWrite(
                        staleChange,
                        2,
                        HistoryEntry.changed(UUID.randomUUID(), TaskEventType.UPDATED, refused, staleChange, ACTOR),
                        List.of()),
                new TaskWrite(keptChange, 1, keptEntry, List.of())));

        assertThat(history(Optional.of(kept.id()), 10).entries()).first().isEqualTo(keptEntry);
        assertThat(history(Optional.of(refused.id()), 10).entries())
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.CREATED);
    }

    @Test
    void aDeletedTasksHistoryStaysUntilItIsForgotten() {
        Task kept = insert(task(tenant, id()).build());
        Task deleted = insert(task(tenant, id()).build());
        Instant at = Instant.parse("2000-01-01T00:00:00Z");
        HistoryEntry deletion = HistoryEntry.deleted(UUID.randomUUID(), deleted, ACTOR, at);
        store.delete(tenant, deleted.id(), deleted.version(), deletion, List.of());
        assertThat(history(Optional.of(deleted.id()), 10).entries())
                .hasSize(2)
                .first()
                .isEqualTo(deletion);

        assertThat(store.forgetHistory(at)).isZero();
        assertThat(store.forgetHistory(at.plusNanos(1))).isEqualTo(2);

        assertThat(history(Optional.of(deleted.id()), 10).entries()).isEmpty();
        assertThat(history(Optional.of(kept.id()), 10).entries()).hasSize(1);
    }

    @Test
    void aTaskStoredAgainAfterItsDeletionKeepsItsHistory() {
        Task task = insert(task(tenant, id()).build());
        Instant at = Instant.parse("2000-01-01T00:00:00Z");
        store.delete(tenant, task.id(), 1, HistoryEntry.deleted(UUID.randomUUID(), task, ACTOR, at), List.of());
        insert(task);

        store.forgetHistory(NOW);

        assertThat(history(Optional.of(task.id()), 10).entries())
                .extracting(HistoryEntry::type)
                .containsExactly(TaskEventType.CREATED, TaskEventType.DELETED, TaskEventType.CREATED);
    }

    @Test
    void aSequenceReassignKeepsOneHistoryEntryPerTaskAndEventsThatNameTheActor() {
        try (TestDatabase.Isolated database = database().isolated()) {
            TaskSchema.migrate(database.dataSource());
            JdbiTaskStore isolated = new JdbiTaskStore(database.dataSource());
            Task one = task(tenant, isolated.nextId()).sequence(802, 1).build();
            Task two = task(tenant, isolated.nextId()).sequence(802, 2).build();
            isolated.insert(one, created(one), List.of());
            isolated.insert(two, created(two), List.of());
            Actor manager = Actor.user(42);

            List<Task> reassigned =
                    isolated.reassignSequence(tenant, SequenceId.of(802), UserId.of(9), manager, NOW, true);

            List<HistoryEntry> entries = isolated.history(new HistoryRequest(
                            tenant,
                            Optional.empty(),
                            Optional.of(manager),
                            Optional.empty(),
                            Optional.empty(),
                            Set.of(),
                            OptionalLong.empty(),
                            10))
                    .entries();
            assertThat(entries)
                    .extracting(HistoryEntry::taskId, HistoryEntry::version, HistoryEntry::type)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(one.id(), 2L, TaskEventType.REASSIGNED),
                            org.assertj.core.groups.Tuple.tuple(two.id(), 2L, TaskEventType.REASSIGNED));
            assertThat(entries)
                    .allSatisfy(e -> assertThat(e.changes())
                            .containsExactly(new FieldChange("assignedUserId", Optional.of("7"), Optional.of("9"))));
            java.util.Map<TaskId, Task> after =
                    reassigned.stream().collect(java.util.stream.Collectors.toMap(Task::id, t -> t));
            assertThat(isolated.pendingEvents(10))
                    .containsExactlyInAnyOrderElementsOf(entries.stream()
                            .map(e -> TaskEvent.of(e, after.get(e.taskId())))
                            .toList());
            assertThat(reassigned).extracting(Task::version).containsExactly(2L, 2L);
        }
    }

    @Test
    void aNoteForATaskThatIsNotStoredIsRefusedAndNotKept() {
        Task never = task(tenant, id()).build();
        HistoryEntry note =
                HistoryEntry.note(UUID.randomUUID(), never, ACTOR, NOW, "Lost").get();

        assertThat(store.addNote(note, List.of(TaskEvent.of(note, never))).getLeft())
                .isEqualTo(new TaskError.NotFound(never.id()));
        assertThat(history(Optional.of(never.id()), 10).entries()).isEmpty();
    }

    @Test
    void theOutboxKeepsWhoActed() {
        try (TestDatabase.Isolated database = database().isolated()) {
            TaskSchema.migrate(database.dataSource());
            JdbiTaskStore isolated = new JdbiTaskStore(database.dataSource());
            Task task = task(tenant, isolated.nextId()).build();
            HistoryEntry entry = HistoryEntry.created(UUID.randomUUID(), task, Actor.system("crm-sync"));

            TaskEvent event = TaskEvent.of(entry, task);
            isolated.insert(task, entry, List.of(event));

            assertThat(isolated.pendingEvents(10)).containsExactly(event);
        }
    }

    @Test
    void anEventWrittenBeforeActorsWereKeptReadsAsAnUnknownSystem() {
        try (TestDatabase.Isolated database = database().isolated()) {
            Flyway.configure()
                    .dataSource(database.dataSource())
                    .locations(location())
                    .table(TaskSchema.HISTORY_TABLE)
                    .target("2")
                    .load()
                    .migrate();
            UUID id = UUID.randomUUID();
            Jdbi.create(database.dataSource())
                    .useHandle(
                            h -> h.createUpdate("INSERT INTO te_task_event (id, event_type, tenant, task_id, version,"
                                            + " occurred_at) VALUES (:id, 'CREATED', :tenant, 5, 1, :at)")
                                    .bind("id", id)
                                    .bind("tenant", tenant.value())
                                    .bind("at", SqlTimes.stored(NOW))
                                    .execute());

            TaskSchema.migrate(database.dataSource());

            List<TaskEvent> pending = new JdbiTaskStore(database.dataSource()).pendingEvents(10);
            assertThat(pending)
                    .extracting(
                            TaskEvent::id,
                            TaskEvent::type,
                            TaskEvent::tenant,
                            TaskEvent::taskId,
                            TaskEvent::version,
                            TaskEvent::occurredAt,
                            TaskEvent::actor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            id, TaskEventType.CREATED, tenant, TaskId.of(5), 1L, NOW, Actor.system("unknown")));
            // Its payload is made from the row by the migration that added payloads: no task, the rest as written.
            assertThat(pending.get(0).payload().replace(" ", ""))
                    .contains(
                            "\"schemaVersion\":1",
                            "\"id\":\"" + id + "\"",
                            "\"type\":\"task.created\"",
                            "\"time\":\"" + NOW.toString().replace("Z", ""),
                            "\"tenant\":\"" + tenant.value() + "\"",
                            "\"actor\":\"system:unknown\"",
                            "\"taskId\":5",
                            "\"taskVersion\":1",
                            "\"task\":null");
        }
    }

    @Test
    void aContactPauseIsKeptReplacedAndEnded() {
        ContactId contact = ContactId.of(77);
        assertThat(store.contactPause(tenant, contact)).isEmpty();

        store.keepContactPause(tenant, contact, NOW.plus(1, ChronoUnit.DAYS));
        store.keepContactPause(tenant, contact, NOW.plus(2, ChronoUnit.DAYS));
        assertThat(store.contactPause(tenant, contact)).contains(NOW.plus(2, ChronoUnit.DAYS));
        assertThat(store.contactPause(freshTenant(), contact)).isEmpty();

        store.keepContactPause(tenant, contact, null);
        assertThat(store.contactPause(tenant, contact)).isEmpty();
    }

    @Test
    void dueRemindersAreTheActiveTasksWhoseTimeCameEarliestFirstAcrossTenants() {
        try (TestDatabase.Isolated database = database().isolated()) {
            TaskSchema.migrate(database.dataSource());
            JdbiTaskStore isolated = new JdbiTaskStore(database.dataSource());
            TenantId other = freshTenant();
            Task later = task(tenant, isolated.nextId()).build();
            List<Task> tasks = List.of(
                    workdayTask(isolated.nextId(), NOW, null, null),
                    workdayTask(isolated.nextId(), NOW.minus(1, ChronoUnit.HOURS), null, null),
                    workdayTask(isolated.nextId(), NOW.plus(1, ChronoUnit.MICROS), null, null),
                    later);
            tasks.forEach(t -> isolated.insert(t, created(t), List.of()));
            Task elsewhere = Task.stored()
                    .id(isolated.nextId())
                    .tenant(other)
                    .version(1)
                    .type(TaskType.TO_DO)
                    .status(TaskStatus.IN_PROGRESS)
                    .priority(Priority.HOT)
                    .assignedUserId(UserId.of(3))
                    .creationSource(CreationSource.USER)
                    .createdAt(NOW)
                    .updatedAt(NOW)
                    .startAt(NOW)
                    .dueTo(NOW.plusSeconds(60))
                    .template(Template.of("Call back"))
                    .remindAt(NOW.minus(2, ChronoUnit.HOURS))
                    .build();
            isolated.insert(elsewhere, created(elsewhere), List.of());

            assertThat(isolated.dueReminders(NOW.plusNanos(999), 10))
                    .containsExactly(elsewhere, tasks.get(1), tasks.get(0));
            assertThat(isolated.dueReminders(NOW, 2)).containsExactly(elsewhere, tasks.get(1));
        }
    }

    // --- values the database cannot hold are refused by the domain first

    @Test
    void valuesBeyondTheLimitsAreRefusedWithTheMemoryAdaptersTypedErrors() {
        TaskEngine engine =
                TaskEngine.builder().store(store).clock(new MutableClock(NOW)).build();
        NewTask tooMuch = newToDo(tenant)
                .template(Template.of("x".repeat(Limits.SUBJECT_MAX_CHARS + 1), "x".repeat(Limits.BODY_MAX_CHARS + 1)))
                .startAt(Limits.LATEST_TIME.plusSeconds(1))
                .dueTo(Instant.MAX)
                .build();

        TaskError error = engine.create(ACTOR, tooMuch).getLeft();

        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(Violation::code)
                .containsExactlyInAnyOrder(
                        "task.template.body.tooLong",
                        "task.template.subject.tooLong",
                        "task.startAt.afterLatest",
                        "task.dueTo.afterLatest");
        assertThat(store.query(PageRequest.first(
                                TaskQuery.forTenant(tenant).includeTotal().build(), NOW))
                        .total())
                .hasValue(0);
    }

    // --- the schema beside the host's

    @Test
    void theSchemaMigratesBesideTheHostsOwnFlyway() {
        try (TestDatabase.Isolated database = database().isolated()) {
            Flyway host = Flyway.configure()
                    .dataSource(database.dataSource())
                    .locations("classpath:host/migration")
                    .load();
            assertThat(host.migrate().migrationsExecuted).isEqualTo(1);

            assertThat(TaskSchema.migrate(database.dataSource())).isEqualTo(new TaskSchema.Migration(9, "9"));
            assertThat(TaskSchema.migrate(database.dataSource())).isEqualTo(new TaskSchema.Migration(0, "9"));
            assertThat(host.migrate().migrationsExecuted).isZero();

            Jdbi jdbi = Jdbi.create(database.dataSource());
            // Flyway quotes its history tables: lower case on H2 too.
            assertThat(
                            strings(
                                    jdbi,
                                    "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                    .containsExactly("1");
            assertThat(
                            strings(
                                    jdbi,
                                    "SELECT \"version\" FROM \"te_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\""))
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            worksOn(database);
        }
    }

    @Test
    void theShippedSqlRunsWithoutFlyway() {
        String location =
                database() == TestDatabase.POSTGRESQL ? TaskSchema.POSTGRESQL_LOCATION : TaskSchema.H2_LOCATION;
        String folder = location.substring("classpath:".length());
        List<String> scripts = TaskSchema.MIGRATIONS.stream()
                .map(script -> resource(folder + "/" + script))
                .toList();
        try (TestDatabase.Isolated database = database().isolated()) {
            Jdbi.create(database.dataSource())
                    .useHandle(h -> scripts.forEach(sql -> h.createScript(sql).execute()));
            worksOn(database);
        }
    }

    private String location() {
        return database() == TestDatabase.POSTGRESQL ? TaskSchema.POSTGRESQL_LOCATION : TaskSchema.H2_LOCATION;
    }

    @Test
    void aCurrentSchemaIsLeftAsItIsAndItsHistoryIsFlywaysOwn() {
        try (TestDatabase.Isolated database = database().isolated()) {
            assertThat(TaskSchema.migrate(database.dataSource())).isEqualTo(new TaskSchema.Migration(9, "9"));

            // Flyway itself, scanning the shipped folder as a host would, validates the history it recorded.
            shippedFlyway(database, location()).validate();
            assertThat(TaskSchema.migrate(database.dataSource())).isEqualTo(new TaskSchema.Migration(0, "9"));
            assertThat(appliedVersions(database)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
            worksOn(database);
        }
    }

    @Test
    void anAppliedMigrationThatNoLongerMatchesTheShippedFileIsRefused() {
        try (TestDatabase.Isolated database = database().isolated()) {
            TaskSchema.migrate(database.dataSource());
            // As if V1 had been edited after it ran: its recorded checksum no longer matches the shipped file.
            Jdbi.create(database.dataSource())
                    .useHandle(
                            h -> h.execute(
                                    "UPDATE \"te_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'"));

            assertThatThrownBy(() -> TaskSchema.migrate(database.dataSource()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void aHistoryWithoutTheShippedMigrationGetsIt() {
        try (TestDatabase.Isolated database = database().isolated()) {
            historyOnly(database);

            assertThat(TaskSchema.migrate(database.dataSource())).isEqualTo(new TaskSchema.Migration(9, "9"));
            assertThat(appliedVersions(database)).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            worksOn(database);
        }
    }

    @Test
    void aFailedMigrationInTheHistoryIsLeftToFlyway() {
        try (TestDatabase.Isolated database = database().isolated()) {
            TaskSchema.migrate(database.dataSource());
            Jdbi.create(database.dataSource())
                    .useHandle(h ->
                            h.execute("UPDATE \"te_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '1'"));

            assertThatThrownBy(() -> TaskSchema.migrate(database.dataSource()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** Runs {@code instances} migrations of {@code database} at once; answers how many migrations they applied in all. */
    private static int migrateAtOnce(TestDatabase.Isolated database, int instances) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(instances);
        try {
            List<java.util.concurrent.Future<TaskSchema.Migration>> runs = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                runs.add(pool.submit(() -> TaskSchema.migrate(database.dataSource())));
            }
            int applied = 0;
            for (java.util.concurrent.Future<TaskSchema.Migration> run : runs) {
                applied += run.get().migrationsApplied();
            }
            return applied;
        } finally {
            pool.shutdown();
        }
    }

    private static List<String> appliedVersions(TestDatabase.Isolated database) {
        return strings(
                Jdbi.create(database.dataSource()),
                "SELECT \"version\" FROM \"te_schema_history\""
                        + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"");
    }

    @Test
    void severalInstancesMigratingAtOnceApplyEachMissingMigrationOnce() throws Exception {
        try (TestDatabase.Isolated database = database().isolated()) {
            historyOnly(database);
            assertThat(migrateAtOnce(database, 3)).isEqualTo(9);
            assertThat(appliedVersions(database)).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            worksOn(database);
        }
    }

    @Test
    void aFreshDatabaseGetsTheHistoryAHostsFlywayWouldHaveWritten() {
        try (TestDatabase.Isolated engine = database().isolated();
                TestDatabase.Isolated flyway = database().isolated()) {
            // The engine hands Flyway its files by name; a host's Flyway scans the folder: the same history either way.
            assertThat(TaskSchema.migrate(engine.dataSource())).isEqualTo(new TaskSchema.Migration(9, "9"));
            assertThat(shippedFlyway(flyway, location()).migrate().migrationsExecuted)
                    .isEqualTo(9);

            String rows = "SELECT \"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"success\" FROM \"te_schema_history\" ORDER BY \"installed_rank\"";
            // On H2 Flyway's marker row comes first; on PostgreSQL it writes none.
            assertThat(rows(engine, rows))
                    .isEqualTo(rows(flyway, rows))
                    .hasSize(database() == TestDatabase.POSTGRESQL ? 9 : 10);
            String columns =
                    "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns"
                            + " WHERE table_name = 'te_schema_history' AND table_schema = CURRENT_SCHEMA ORDER BY ordinal_position";
            assertThat(rows(engine, columns)).isEqualTo(rows(flyway, columns)).hasSize(10);
            assertThat(rows(
                            engine,
                            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name LIKE 'te_task%'"
                                    + " AND table_schema = CURRENT_SCHEMA ORDER BY table_name, ordinal_position"))
                    .isEqualTo(
                            rows(
                                    flyway,
                                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name LIKE"
                                            + " 'te_task%' AND table_schema = CURRENT_SCHEMA ORDER BY table_name, ordinal_position"));
            if (database() != TestDatabase.POSTGRESQL) {
                String indexes = "SELECT index_name FROM information_schema.indexes WHERE table_schema = CURRENT_SCHEMA"
                        + " ORDER BY index_name";
                assertThat(rows(engine, indexes))
                        .isEqualTo(rows(flyway, indexes))
                        .contains(List.of("te_schema_history_s_idx"));
            }

            // Flyway itself, as the host or a later engine runs it, accepts that history and has nothing to do.
            Flyway later = shippedFlyway(engine, location());
            later.validate();
            assertThat(later.migrate().migrationsExecuted).isZero();
            worksOn(engine);
        }
    }

    @Test
    void aLaterMigrationAppliesOnTopOfAFreshStart() {
        try (TestDatabase.Isolated database = database().isolated()) {
            TaskSchema.migrate(database.dataSource());
            String later = database() == TestDatabase.POSTGRESQL ? "classpath:later/postgresql" : "classpath:later/h2";
            Flyway withLater = shippedFlyway(database, location(), later);
            org.flywaydb.core.api.output.MigrateResult result = withLater.migrate();
            assertThat(result.migrationsExecuted).isEqualTo(1);
            assertThat(result.targetSchemaVersion).isEqualTo("10");
            assertThat(appliedVersions(database)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
            // The engine that ships only V1 to V9 now meets a newer database: Flyway ignores a future migration, and
            // so it runs.
            assertThat(TaskSchema.migrate(database.dataSource())).isEqualTo(new TaskSchema.Migration(0, "10"));
            worksOn(database);
        }
    }

    @Test
    void severalInstancesStartingOnAFreshDatabaseApplyEachMigrationOnce() throws Exception {
        try (TestDatabase.Isolated database = database().isolated()) {
            assertThat(migrateAtOnce(database, 3)).isEqualTo(9);
            assertThat(appliedVersions(database)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
            worksOn(database);
        }
    }

    @Test
    void version9CountsTheSendsCountedBeforeItPerHourOfTheirTime() {
        try (TestDatabase.Isolated database = database().isolated()) {
            Flyway.configure()
                    .configuration(shippedFlyway(database, location()).getConfiguration())
                    .target("8")
                    .load()
                    .migrate();
            Instant hour = Instant.parse("2026-03-02T10:00:00Z");
            Jdbi.create(database.dataSource()).useHandle(h -> {
                for (Instant at : List.of(hour.minusNanos(1_000), hour, hour.plus(Duration.ofMinutes(59)))) {
                    h.createUpdate("INSERT INTO te_send (tenant, account, idempotency_key, sent_at)"
                                    + " VALUES ('t', 'sms:1', :key, :at)")
                            .bind("key", "k-" + at)
                            .bind("at", SqlTimes.stored(at))
                            .execute();
                }
            });

            TaskSchema.migrate(database.dataSource());

            assertThat(rows(
                            database,
                            "SELECT tenant, account, epoch_hour, sends FROM te_send_hour ORDER BY epoch_hour"))
                    .containsExactly(
                            List.of("t", "sms:1", Long.toString(TaskSql.epochHour(hour) - 1), "1"),
                            List.of("t", "sms:1", Long.toString(TaskSql.epochHour(hour)), "2"));
        }
    }

    /** Flyway configured as {@link TaskSchema#migrate} configures it, on the given locations, scanning them itself. */
    private static Flyway shippedFlyway(TestDatabase.Isolated database, String... locations) {
        return Flyway.configure()
                .dataSource(database.dataSource())
                .locations(locations)
                .table(TaskSchema.HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholderReplacement(false)
                .failOnMissingLocations(true)
                .load();
    }

    private static List<List<String>> rows(TestDatabase.Isolated database, String sql) {
        return Jdbi.create(database.dataSource())
                .withHandle(h -> h.createQuery(sql)
                        .map((rs, ctx) -> {
                            List<String> row = new ArrayList<>();
                            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                                row.add(rs.getString(i));
                            }
                            return row;
                        })
                        .list());
    }

    /** The engine's history table, baselined at version 0 by Flyway, and none of the shipped migrations applied. */
    private void historyOnly(TestDatabase.Isolated database) {
        Flyway.configure()
                .dataSource(database.dataSource())
                .locations(location())
                .table(TaskSchema.HISTORY_TABLE)
                .baselineVersion("0")
                .placeholderReplacement(false)
                .load()
                .baseline();
    }

    @Test
    void theListedMigrationsAreEveryShippedFile() throws Exception {
        String folder = location().substring("classpath:".length());
        java.nio.file.Path shipped = java.nio.file.Path.of(
                getClass().getClassLoader().getResource(folder).toURI());
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(shipped)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(TaskSchema.MIGRATIONS);
        }
    }

    private void worksOn(TestDatabase.Isolated database) {
        JdbiTaskStore isolated = new JdbiTaskStore(database.dataSource());
        Task task = task(tenant, isolated.nextId()).build();
        isolated.insert(task, created(task), List.of());
        assertThat(isolated.find(tenant, task.id())).contains(task);
    }

    // --- writes inside the host's transaction

    @Test
    void aTaskCreatedInTheHostsTransactionIsRolledBackWithTheHostsRowsItsHistoryAndItsEvent() {
        try (TestDatabase.Isolated database = hostDatabase()) {
            Jdbi jdbi = Jdbi.create(database.dataSource());
            AtomicReference<Task> created = new AtomicReference<>();
            List<TaskEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();

            assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
                        handle.execute("INSERT INTO host_deal (id, name) VALUES (?, ?)", 1, "ACME renewal");
                        TaskEngine engine = hostEngine(handle, published);
                        created.set(
                                engine.create(ACTOR, newToDo(tenant).build()).get());
                        assertThat(engine.get(tenant, created.get().id(), false)
                                        .get()
                                        .task())
                                .isEqualTo(created.get());
                        throw new IllegalStateException("the host fails after creating the task");
                    }))
                    .hasMessage("the host fails after creating the task");

            assertThat(new JdbiTaskStore(jdbi).find(tenant, created.get().id())).isEmpty();
            assertThat(count(jdbi, "te_history")).isZero();
            assertThat(count(jdbi, "host_deal")).isZero();
            assertThat(relayed(jdbi)).isEmpty();
            assertThat(published)
                    .as("nothing is published before the host commits")
                    .isEmpty();
        }
    }

    @Test
    void aTaskCreatedInTheHostsTransactionIsCommittedWithTheHostsRowsAndItsHistoryAndItsEventIsPublishedAfterCommit() {
        try (TestDatabase.Isolated database = hostDatabase()) {
            Jdbi jdbi = Jdbi.create(database.dataSource());
            List<TaskEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();

            Task created = jdbi.inTransaction(handle -> {
                handle.execute("INSERT INTO host_deal (id, name) VALUES (?, ?)", 1, "ACME renewal");
                return hostEngine(handle, published)
                        .create(ACTOR, newToDo(tenant).build())
                        .get();
            });

            assertThat(published)
                    .as("nothing is published inside the host's transaction")
                    .isEmpty();
            assertThat(new JdbiTaskStore(jdbi).find(tenant, created.id())).contains(created);
            assertThat(count(jdbi, "te_history")).isEqualTo(1);
            assertThat(count(jdbi, "host_deal")).isEqualTo(1);
            assertThat(relayed(jdbi))
                    .extracting(TaskEvent::type, TaskEvent::taskId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(TaskEventType.CREATED, created.id()));
        }
    }

    @Test
    void executeIsRefusedInsideTheHostsTransactionWithATypedErrorAndNothingWritten() {
        try (TestDatabase.Isolated database = hostDatabase()) {
            Jdbi jdbi = Jdbi.create(database.dataSource());
            jdbi.useTransaction(handle -> {
                TaskEngine engine = hostEngine(handle, new java.util.ArrayList<>());
                Task sms = engine.create(
                                ACTOR,
                                newToDo(tenant)
                                        .type(dev.taskengine.domain.TaskType.SMS)
                                        .build())
                        .get();
                dev.taskengine.api.TaskRef ref = dev.taskengine.api.TaskRef.of(ACTOR, tenant, sms.id());
                assertThat(engine.execute(ref).getLeft()).isEqualTo(new TaskError.ExecutionInsideTransaction(sms.id()));
                assertThat(engine.get(tenant, sms.id(), false).get().task()).isEqualTo(sms);
            });
        }
    }

    @Test
    void aSchedulerIsRefusedOnAStoreBoundToTheHostsTransaction() {
        try (TestDatabase.Isolated database = hostDatabase()) {
            Jdbi jdbi = Jdbi.create(database.dataSource());
            jdbi.useTransaction(handle -> {
                TaskEngine engine = hostEngine(handle, new java.util.ArrayList<>());
                assertThatThrownBy(() -> engine.scheduler(dev.taskengine.api.SchedulerOptions.defaults()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("host's open transaction");
            });
        }
    }

    /** An engine whose store writes through the host's handle, inside the host's transaction. */
    private static TaskEngine hostEngine(org.jdbi.v3.core.Handle handle, List<TaskEvent> published) {
        return TaskEngine.builder()
                .store(JdbiTaskStore.inTransaction(handle))
                .events(published::add)
                .clock(new MutableClock(NOW))
                .build();
    }

    /** What a relay on the committed database publishes, for this test's tenant. */
    private List<TaskEvent> relayed(Jdbi jdbi) {
        List<TaskEvent> relayed = new java.util.ArrayList<>();
        TaskEngine.builder()
                .store(new JdbiTaskStore(jdbi))
                .events(relayed::add)
                .build()
                .relayPendingEvents();
        return relayed.stream().filter(e -> e.tenant().equals(tenant)).toList();
    }

    private TestDatabase.Isolated hostDatabase() {
        TestDatabase.Isolated database = database().isolated();
        Flyway.configure()
                .dataSource(database.dataSource())
                .locations("classpath:host/migration")
                .load()
                .migrate();
        TaskSchema.migrate(database.dataSource());
        return database;
    }

    private static List<String> strings(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private static long count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    private Task withTemplate(TaskId id, Template template, Optional<SequenceRef> sequence) {
        return Task.stored()
                .id(id)
                .tenant(tenant)
                .version(1)
                .type(TaskType.MANUAL_EMAIL)
                .status(TaskStatus.NEW)
                .priority(Priority.HOT)
                .contactId(ContactId.of(5))
                .assignedUserId(UserId.of(7))
                .creationSource(sequence.isPresent() ? CreationSource.SEQUENCE : CreationSource.USER)
                .sequence(sequence.orElse(null))
                .createdAt(NOW)
                .updatedAt(NOW)
                .startAt(NOW)
                .dueTo(NOW.plusSeconds(60))
                .template(template)
                .build();
    }

    private static String resource(String path) {
        try (InputStream in = JdbiTaskStoreBehaviour.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
