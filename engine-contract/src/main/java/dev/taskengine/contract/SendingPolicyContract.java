package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingDecision;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingUsage;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingSettings;
import dev.taskengine.store.CountedSend;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sending policy on top of an adapter's store: deferrals of scheduled sends (windows, holidays, limits), the limits
 * of sends by hand, and the store's counting of sends, exact under concurrency. The same answers on every adapter. An
 * adapter's test extends this class and implements {@link #store()}.
 */
public abstract class SendingPolicyContract {

    protected abstract TaskStore store();

    /** Monday 2026-03-02, 10:00 UTC. */
    private static final Instant MONDAY_10 = Instant.parse("2026-03-02T10:00:00Z");

    private static final UserId SAM = UserId.of(7);
    private static final UserId KIM = UserId.of(8);
    private static final EmailAccountId SAMS_ACCOUNT = EmailAccountId.of(501);
    private static final EmailAccountId KIMS_ACCOUNT = EmailAccountId.of(502);
    private static final SendingAccount SAMS = SendingAccount.email(SAMS_ACCOUNT);
    private static final String SAMS_SMS_NUMBER = "+1 202 555 0199";
    private static final SchedulerOptions SCHEDULER =
            SchedulerOptions.defaults().withBatchSize(1000);
    private static final SendingWindows WEEKDAYS_9_TO_17_UTC = SendingWindows.on(
            ZoneOffset.UTC, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), TimeRange.of("09:00", "17:00"));

    private final MutableClock clock = new MutableClock(MONDAY_10);
    private final Map<ContactId, Contact> contacts = new ConcurrentHashMap<>();
    private final RecordingSender sender = new RecordingSender();
    private TaskStore store;
    private TenantId tenant;

    @BeforeEach
    void setUpContacts() {
        tenant = freshTenant();
        store = store();
        contacts.put(
                ContactId.of(1),
                Contact.builder(1).firstName("Ada").email("ada@example.com").build());
        contacts.put(
                ContactId.of(2),
                Contact.builder(2)
                        .firstName("Grace")
                        .email("grace@example.com")
                        .phone("+1 202 555 0102")
                        .timeZone(ZoneId.of("America/New_York"))
                        .build());
        contacts.put(
                ContactId.of(3),
                Contact.builder(3)
                        .firstName("Kiri")
                        .email("kiri@example.com")
                        .timeZone(ZoneId.of("Pacific/Auckland"))
                        .build());
    }

    private TaskEngine engine(UnaryOperator<SendingSettings.Builder> settings) {
        SenderAccounts accounts = new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId t, UserId user) {
                return user.equals(SAM)
                        ? Optional.of(SAMS_ACCOUNT)
                        : user.equals(KIM) ? Optional.of(KIMS_ACCOUNT) : Optional.empty();
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId t, SequenceId sequence) {
                return sequence.value() == 42 ? Optional.of(SAMS_ACCOUNT) : Optional.empty();
            }

            @Override
            public boolean usable(TenantId t, UserId user, EmailAccountId account) {
                return defaultAccount(t, user).map(account::equals).orElse(false);
            }

            @Override
            public Optional<String> smsSender(TenantId t, UserId user) {
                return user.equals(SAM) ? Optional.of(SAMS_SMS_NUMBER) : Optional.empty();
            }
        };
        return TaskEngine.builder()
                .store(store)
                .contacts((t, id) -> t.equals(tenant) ? Optional.ofNullable(contacts.get(id)) : Optional.empty())
                .clock(clock)
                .sender(sender)
                .senderAccounts(accounts)
                .sendingRules(settings.apply(SendingSettings.builder()).build())
                .build();
    }

    private NewTask.Builder scheduledEmail(long contact) {
        return newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(contact))
                .assignee(SAM)
                .template(Template.of("Hello", "Hi {{firstName}}"))
                .scheduled(true)
                .startAt(clock.instant())
                .dueTo(clock.instant().plus(Duration.ofDays(30)));
    }

    private Task create(TaskEngine engine, NewTask.Builder task) {
        return engine.create(Writes.ACTOR, task.build()).get();
    }

    private Task stored(Task task) {
        return store.find(tenant, task.id()).orElseThrow();
    }

    private TaskScheduler scheduler(TaskEngine engine) {
        return engine.scheduler(SCHEDULER);
    }

    private List<OutgoingMessage> sent() {
        return sender.delivered().stream()
                .filter(m -> m.tenant().equals(tenant))
                .toList();
    }

    private boolean wasSent(Task task) {
        return sent().stream().anyMatch(m -> m.taskId().equals(task.id()));
    }

    // --- windows and holidays

    @Test
    void aScheduledSendOutsideItsWindowsIsDeferredToTheirNextOpeningWithItsReason() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task task = create(engine, scheduledEmail(1));

        scheduler(engine).pollOnce();

        assertThat(wasSent(task)).isFalse();
        assertThat(stored(task).deferral())
                .contains(new Deferral(Instant.parse("2026-03-03T09:00:00Z"), SendingDecision.OUTSIDE_WINDOW));
        assertThat(stored(task).status()).isEqualTo(TaskStatus.NEW);
        assertThat(stored(task).failure().failed()).isFalse();
    }

    @Test
    void aDeferredTaskIsNotClaimedBeforeItsDeferralEnds() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task task = create(engine, scheduledEmail(1));
        scheduler(engine).pollOnce();
        Task deferred = stored(task);

        clock.set(Instant.parse("2026-03-03T08:59:59Z"));
        scheduler(engine).pollOnce();

        assertThat(stored(task)).isEqualTo(deferred);
        assertThat(wasSent(task)).isFalse();
    }

    @Test
    void aDeferredTaskIsSentOnceItsDeferralEnds() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task task = create(engine, scheduledEmail(1));
        scheduler(engine).pollOnce();

        clock.set(Instant.parse("2026-03-03T09:00:00Z"));
        scheduler(engine).pollOnce();

        assertThat(wasSent(task)).isTrue();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(stored(task).deferral()).isEmpty();
    }

    @Test
    void windowsAreReadInTheRecipientsTimeZone() {
        // 10:00 UTC is 05:00 in New York: closed there until 09:00 EST, 14:00 UTC.
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task inLondon = create(engine, scheduledEmail(1));
        Task inNewYork = create(engine, scheduledEmail(2));

        scheduler(engine).pollOnce();

        assertThat(wasSent(inLondon)).isTrue();
        assertThat(stored(inNewYork).deferral())
                .contains(new Deferral(Instant.parse("2026-03-02T14:00:00Z"), SendingDecision.OUTSIDE_WINDOW));
    }

    @Test
    void aSequenceSendsInItsOwnWindowsOverTheTenants() {
        SendingWindows evenings =
                SendingWindows.on(ZoneOffset.UTC, EnumSet.allOf(DayOfWeek.class), TimeRange.of("18:00", "20:00"));
        TaskEngine engine = engine(s ->
                s.tenantWindows(tenant, SendingWindows.always()).sequenceWindows(tenant, SequenceId.of(42), evenings));
        Task task = create(
                engine,
                scheduledEmail(1).sequence(SequenceRef.of(42, 1, "Step 1")).assignee(SAM));

        scheduler(engine).pollOnce();

        assertThat(stored(task).deferral().map(Deferral::until)).contains(Instant.parse("2026-03-02T18:00:00Z"));
    }

    @Test
    void aHolidayInTheRecipientsZoneDefersTheSendToTheNextDay() {
        // Monday 2026-03-02 12:00 UTC is already Tuesday 2026-03-03 in Auckland (01:00 NZDT), a holiday there.
        clock.set(Instant.parse("2026-03-02T12:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantHolidays(tenant, Holidays.of(LocalDate.parse("2026-03-03"))));
        Task inAuckland = create(engine, scheduledEmail(3));
        Task inLondon = create(engine, scheduledEmail(1));

        scheduler(engine).pollOnce();

        assertThat(wasSent(inLondon)).isTrue();
        assertThat(stored(inAuckland).deferral())
                .contains(new Deferral(Instant.parse("2026-03-03T11:00:00Z"), SendingDecision.HOLIDAY));
    }

    @Test
    void aSendByHandIgnoresWindowsAndHolidays() {
        clock.set(Instant.parse("2026-03-02T23:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC)
                .tenantHolidays(tenant, Holidays.of(LocalDate.parse("2026-03-02"))));
        Task task = create(engine, scheduledEmail(1).scheduled(false));

        Task done = engine.execute(TaskRef.of(Writes.ACTOR, tenant, task.id())).get();

        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(wasSent(task)).isTrue();
    }

    // --- limits

    @Test
    void anAccountAtItsDailyLimitDefersItsNextScheduledSendUntilASlotFrees() {
        TaskEngine engine =
                engine(s -> s.accountLimits(tenant, SAMS, SendingLimits.none().withPerDay(2)));
        Task first = create(engine, scheduledEmail(1));
        scheduler(engine).pollOnce();
        clock.advance(Duration.ofMinutes(10));
        Task second = create(engine, scheduledEmail(1));
        scheduler(engine).pollOnce();
        clock.advance(Duration.ofMinutes(10));
        Task third = create(engine, scheduledEmail(1));

        scheduler(engine).pollOnce();

        assertThat(wasSent(first)).isTrue();
        assertThat(wasSent(second)).isTrue();
        assertThat(wasSent(third)).isFalse();
        assertThat(stored(third).deferral())
                .contains(new Deferral(MONDAY_10.plus(Duration.ofHours(24)), SendingDecision.DAILY_LIMIT));
    }

    @Test
    void theMinimumGapQueuesABacklogOfOneAccountInClaimOrder() {
        TaskEngine engine =
                engine(s -> s.tenantLimits(tenant, SendingLimits.none().withMinimumGap(Duration.ofSeconds(30))));
        Task first = create(engine, scheduledEmail(1));
        Task second = create(engine, scheduledEmail(1));
        Task third = create(engine, scheduledEmail(1));

        scheduler(engine).pollOnce();

        assertThat(wasSent(first)).isTrue();
        assertThat(stored(second).deferral())
                .contains(new Deferral(MONDAY_10.plusSeconds(30), SendingDecision.MINIMUM_GAP));
        assertThat(stored(third).deferral())
                .contains(new Deferral(MONDAY_10.plusSeconds(60), SendingDecision.MINIMUM_GAP));
    }

    @Test
    void aQueuedBacklogIsSentOneGapApart() {
        TaskEngine engine =
                engine(s -> s.tenantLimits(tenant, SendingLimits.none().withMinimumGap(Duration.ofSeconds(30))));
        for (int i = 0; i < 3; i++) {
            create(engine, scheduledEmail(1));
        }
        List<Instant> sendTimes = new ArrayList<>();
        for (int second = 0; second <= 60; second += 10) {
            clock.set(MONDAY_10.plusSeconds(second));
            int before = sent().size();
            scheduler(engine).pollOnce();
            if (sent().size() > before) {
                sendTimes.add(clock.instant());
            }
        }
        assertThat(sendTimes).containsExactly(MONDAY_10, MONDAY_10.plusSeconds(30), MONDAY_10.plusSeconds(60));
    }

    @Test
    void oneAccountsBacklogDoesNotDelayAnotherAccountsDueTask() {
        TaskEngine engine =
                engine(s -> s.tenantLimits(tenant, SendingLimits.none().withPerHour(1)));
        for (int i = 0; i < 5; i++) {
            create(engine, scheduledEmail(1));
        }
        scheduler(engine).pollOnce();
        Task kims = create(engine, scheduledEmail(1).assignee(KIM));

        scheduler(engine).pollOnce();

        assertThat(wasSent(kims)).isTrue();
        assertThat(sent().stream().filter(m -> m.emailAccount().equals(Optional.of(SAMS_ACCOUNT))))
                .hasSize(1);
    }

    @Test
    void anAccountWithoutLimitsOfItsOwnTakesItsTenants() {
        TaskEngine engine =
                engine(s -> s.tenantLimits(tenant, SendingLimits.none().withPerDay(1))
                        .accountLimits(tenant, SendingAccount.email(KIMS_ACCOUNT), SendingLimits.none()));
        create(engine, scheduledEmail(1));
        Task samsSecond = create(engine, scheduledEmail(1));
        Task kimsFirst = create(engine, scheduledEmail(1).assignee(KIM));
        Task kimsSecond = create(engine, scheduledEmail(1).assignee(KIM));

        scheduler(engine).pollOnce();

        assertThat(stored(samsSecond).deferral().map(Deferral::reason)).contains(SendingDecision.DAILY_LIMIT);
        assertThat(wasSent(kimsFirst)).isTrue();
        assertThat(wasSent(kimsSecond)).isTrue();
    }

    @Test
    void anSmsCountsAgainstItsSendingIdentity() {
        TaskEngine engine = engine(s -> s.accountLimits(
                tenant,
                SendingAccount.sms(SAMS_SMS_NUMBER),
                SendingLimits.none().withPerDay(1)));
        NewTask.Builder sms = scheduledEmail(2).type(TaskType.SMS).template(Template.of("Hi {{firstName}}"));
        Task first = create(engine, sms);
        Task second = create(engine, sms);
        Task email = create(engine, scheduledEmail(1));

        scheduler(engine).pollOnce();

        assertThat(wasSent(first)).isTrue();
        assertThat(sent().stream()
                        .filter(m -> m.taskId().equals(first.id()))
                        .findFirst()
                        .orElseThrow()
                        .smsSender())
                .contains(SAMS_SMS_NUMBER);
        assertThat(stored(second).deferral().map(Deferral::reason)).contains(SendingDecision.DAILY_LIMIT);
        assertThat(wasSent(email)).isTrue();
    }

    @Test
    void aSendByHandOverALimitIsRefusedNamingTheAccountTheLimitAndWhenItFrees() {
        TaskEngine engine =
                engine(s -> s.accountLimits(tenant, SAMS, SendingLimits.none().withPerHour(1)));
        Task first = create(engine, scheduledEmail(1).scheduled(false));
        engine.execute(TaskRef.of(Writes.ACTOR, tenant, first.id())).get();
        clock.advance(Duration.ofMinutes(5));
        Task second = create(engine, scheduledEmail(1).scheduled(false));

        Either<TaskError, Task> refused = engine.execute(TaskRef.of(Writes.ACTOR, tenant, second.id()));

        assertThat(refused.getLeft())
                .isEqualTo(new TaskError.SendingLimitReached(
                        second.id(), SAMS, SendingDecision.HOURLY_LIMIT, MONDAY_10.plus(Duration.ofHours(1))));
        assertThat(refused.getLeft().code()).isEqualTo("task.execute.sendingLimitReached");
        assertThat(stored(second)).isEqualTo(second);
        assertThat(wasSent(second)).isFalse();
    }

    @Test
    void aSendByHandCountsAgainstTheScheduledSendsOfItsAccount() {
        TaskEngine engine =
                engine(s -> s.accountLimits(tenant, SAMS, SendingLimits.none().withPerDay(1)));
        Task byHand = create(engine, scheduledEmail(1).scheduled(false));
        engine.execute(TaskRef.of(Writes.ACTOR, tenant, byHand.id())).get();
        Task scheduled = create(engine, scheduledEmail(1));

        scheduler(engine).pollOnce();

        assertThat(stored(scheduled).deferral().map(Deferral::reason)).contains(SendingDecision.DAILY_LIMIT);
    }

    // --- deferred tasks as a host sees them

    @Test
    void aQueryForDeferredTasksFindsThemAndOnlyThem() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task deferred = create(engine, scheduledEmail(1));
        Task notScheduled = create(engine, scheduledEmail(1).scheduled(false));
        scheduler(engine).pollOnce();

        List<Task> found = engine.query(
                        TaskQuery.forTenant(tenant).deferred(true).build())
                .get()
                .tasks();
        List<Task> others = engine.query(
                        TaskQuery.forTenant(tenant).deferred(false).build())
                .get()
                .tasks();

        assertThat(found).extracting(Task::id).containsExactly(deferred.id());
        assertThat(others).extracting(Task::id).containsExactly(notScheduled.id());
    }

    @Test
    void anUpdateOfADeferredTaskHasItsSendDecidedAgain() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task task = create(engine, scheduledEmail(1));
        scheduler(engine).pollOnce();

        Task updated = engine.update(
                        TaskRef.of(Writes.ACTOR, tenant, task.id()),
                        TaskUpdate.from(stored(task)).withTemplate(Template.of("Hello again", "Hi {{firstName}}")))
                .get();

        assertThat(updated.deferral()).isEmpty();
        assertThat(updated.nextExecutionAt()).contains(task.schedule().startAt());
    }

    // --- the store's counting

    private Task storedEmail() {
        Task task = TaskFixtures.task(tenant, store.nextId())
                .type(TaskType.MANUAL_EMAIL)
                .build();
        store.insert(task, Writes.created(task), List.of());
        return task;
    }

    private TaskWrite executionRecord(Task task, String key, Instant at, SendingLimits limits) {
        Execution execution = new Execution(
                key, at, new Content(Optional.of("Hello"), "Hi"), "ada@example.com", Optional.of(SAMS_ACCOUNT));
        Task started = task.executionStarted(execution, at).get();
        return new TaskWrite(started, task.version(), Writes.entry(started), List.of())
                .counting(new CountedSend(SAMS, key, at, limits));
    }

    @Test
    void aWriteOverItsAccountsLimitIsRefusedAndNothingOfItIsWritten() {
        SendingLimits onePerDay = SendingLimits.none().withPerDay(1);
        Task first = storedEmail();
        Task second = storedEmail();
        store.updateAll(List.of(executionRecord(first, "k-1", MONDAY_10, onePerDay)));

        List<Either<TaskError, Task>> answers =
                store.updateAll(List.of(executionRecord(second, "k-2", MONDAY_10.plusSeconds(60), onePerDay)));

        assertThat(answers.get(0).getLeft())
                .isEqualTo(new TaskError.SendingLimitReached(
                        second.id(), SAMS, SendingDecision.DAILY_LIMIT, MONDAY_10.plus(Duration.ofHours(24))));
        assertThat(store.find(tenant, second.id())).contains(second);
        assertThat(store.sendingUsage(tenant, SAMS, onePerDay, MONDAY_10.plusSeconds(60)))
                .isEqualTo(SendingUsage.of(MONDAY_10));
    }

    @Test
    void aBatchCountsEachSendAgainstThoseBeforeIt() {
        SendingLimits twoPerDay = SendingLimits.none().withPerDay(2);
        List<TaskWrite> writes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            writes.add(executionRecord(storedEmail(), "k-" + i, MONDAY_10.plusSeconds(i), twoPerDay));
        }

        List<Either<TaskError, Task>> answers = store.updateAll(writes);

        assertThat(answers.get(0).isRight()).isTrue();
        assertThat(answers.get(1).isRight()).isTrue();
        assertThat(answers.get(2).getLeft()).isInstanceOf(TaskError.SendingLimitReached.class);
    }

    @Test
    void aKeyIsCountedOnceHoweverOftenItIsWritten() {
        SendingLimits twoPerDay = SendingLimits.none().withPerDay(2);
        Task task = storedEmail();
        Task started = store.updateAll(List.of(executionRecord(task, "k-1", MONDAY_10, twoPerDay)))
                .get(0)
                .get();
        Instant resend = MONDAY_10.plusSeconds(20);
        Task takenOver = started.executionTakenOver(resend);

        Either<TaskError, Task> again = store.updateAll(
                        List.of(new TaskWrite(takenOver, started.version(), Writes.entry(takenOver), List.of())
                                .counting(new CountedSend(SAMS, "k-1", resend, twoPerDay))))
                .get(0);

        assertThat(again.isRight()).isTrue();
        assertThat(store.sendingUsage(tenant, SAMS, twoPerDay, resend)).isEqualTo(SendingUsage.of(resend));
    }

    @Test
    void aRewrittenKeyIsJudgedWithoutItsOwnEarlierSend() {
        SendingLimits gap = SendingLimits.none().withMinimumGap(Duration.ofMinutes(1));
        Task task = storedEmail();
        Task started = store.updateAll(List.of(executionRecord(task, "k-1", MONDAY_10, gap)))
                .get(0)
                .get();
        Instant resend = MONDAY_10.plusSeconds(20);

        Either<TaskError, Task> again = store.updateAll(List.of(new TaskWrite(
                                started.executionTakenOver(resend),
                                started.version(),
                                Writes.entry(started.executionTakenOver(resend)),
                                List.of())
                        .counting(new CountedSend(SAMS, "k-1", resend, gap))))
                .get(0);

        assertThat(again.isRight()).isTrue();
    }

    @Test
    void theUsageOfAnAccountIsItsLatestSendsTheLimitsLookAt() {
        SendingLimits none = SendingLimits.none().withPerDay(100);
        for (int i = 0; i < 4; i++) {
            store.updateAll(
                    List.of(executionRecord(storedEmail(), "k-" + i, MONDAY_10.plus(Duration.ofHours(i)), none)));
        }
        Instant at = MONDAY_10.plus(Duration.ofMinutes(210));

        assertThat(store.sendingUsage(tenant, SAMS, SendingLimits.none().withPerHour(2), at))
                .isEqualTo(SendingUsage.of(MONDAY_10.plus(Duration.ofHours(3))));
        assertThat(store.sendingUsage(tenant, SAMS, SendingLimits.none().withPerDay(2), at))
                .isEqualTo(SendingUsage.of(MONDAY_10.plus(Duration.ofHours(2)), MONDAY_10.plus(Duration.ofHours(3))));
        assertThat(store.sendingUsage(freshTenant(), SAMS, SendingLimits.none().withPerDay(2), at))
                .isEqualTo(SendingUsage.none());
    }

    @Test
    void writersRacingForOneAccountNeverExceedItsLimit() throws Exception {
        SendingLimits fivePerDay = SendingLimits.none().withPerDay(5);
        int writers = 16;
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            tasks.add(storedEmail());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Either<TaskError, Task>>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Task task = tasks.get(i);
                String key = "race-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return store.updateAll(List.of(executionRecord(task, key, MONDAY_10, fivePerDay)))
                            .get(0);
                }));
            }
            start.countDown();
            int kept = 0;
            int refused = 0;
            for (Future<Either<TaskError, Task>> answer : answers) {
                Either<TaskError, Task> written = answer.get();
                if (written.isRight()) {
                    kept++;
                } else if (written.getLeft() instanceof TaskError.SendingLimitReached) {
                    refused++;
                }
            }
            assertThat(kept).isEqualTo(5);
            assertThat(refused).isEqualTo(writers - 5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteRefusedForItsVersionDoesNotCountAgainstTheWritesAfterItInItsBatch() {
        SendingLimits onePerDay = SendingLimits.none().withPerDay(1);
        Task first = storedEmail();
        Task second = storedEmail();
        TaskWrite stale = executionRecord(first, "k-1", MONDAY_10, onePerDay);
        store.update(
                first.reassign(UserId.of(9), MONDAY_10).get(),
                first.version(),
                Writes.entry(first.reassign(UserId.of(9), MONDAY_10).get()),
                List.of());

        List<Either<TaskError, Task>> answers =
                store.updateAll(List.of(stale, executionRecord(second, "k-2", MONDAY_10, onePerDay)));

        assertThat(answers.get(0).getLeft()).isInstanceOf(TaskError.VersionConflict.class);
        assertThat(answers.get(1).isRight()).isTrue();
    }

    @Test
    void twoResendsOfOneAccountInOneBatchAreEachJudgedWithoutTheirOwnEarlierSends() {
        SendingLimits twoPerDay = SendingLimits.none().withPerDay(2);
        Task a = store.updateAll(List.of(executionRecord(storedEmail(), "k-a", MONDAY_10, twoPerDay)))
                .get(0)
                .get();
        Task b = store.updateAll(List.of(executionRecord(storedEmail(), "k-b", MONDAY_10, twoPerDay)))
                .get(0)
                .get();
        Instant resend = MONDAY_10.plusSeconds(20);

        List<Either<TaskError, Task>> answers = store.updateAll(List.of(
                new TaskWrite(
                                a.executionTakenOver(resend),
                                a.version(),
                                Writes.entry(a.executionTakenOver(resend)),
                                List.of())
                        .counting(new CountedSend(SAMS, "k-a", resend, twoPerDay)),
                new TaskWrite(
                                b.executionTakenOver(resend),
                                b.version(),
                                Writes.entry(b.executionTakenOver(resend)),
                                List.of())
                        .counting(new CountedSend(SAMS, "k-b", resend, twoPerDay))));

        assertThat(answers).allMatch(Either::isRight);
        assertThat(store.sendingUsage(tenant, SAMS, twoPerDay, resend)).isEqualTo(SendingUsage.of(resend, resend));
    }

    // --- a resend after a crash

    @Test
    void aResendAfterACrashOutsideTheWindowsIsDeferredKeepingItsExecutionAndThenResentUnderItsKey() {
        TaskEngine engine = engine(s -> s.tenantWindows(tenant, WEEKDAYS_9_TO_17_UTC));
        Task task = create(engine, scheduledEmail(1));
        clock.set(Instant.parse("2026-03-02T16:59:00Z"));
        // An engine records the task's execution under its lease and dies before sending it.
        Task mine = stored(task);
        Execution execution = new Execution(
                "dead-key",
                clock.instant(),
                new Content(Optional.of("Hello"), "Hi Ada"),
                "ada@example.com",
                Optional.of(SAMS_ACCOUNT));
        store.updateAll(List.of(new TaskWrite(
                        mine.executionStarted(execution, clock.instant()).get(),
                        mine.version(),
                        Writes.entry(mine.executionStarted(execution, clock.instant())
                                .get()),
                        List.of())
                .holding(new dev.taskengine.store.Lease(
                        "dead-engine", clock.instant().plusSeconds(15)))));

        clock.set(Instant.parse("2026-03-02T17:01:00Z"));
        scheduler(engine).pollOnce();

        assertThat(wasSent(task)).isFalse();
        assertThat(stored(task).execution().map(Execution::idempotencyKey)).contains("dead-key");
        assertThat(stored(task).deferral())
                .contains(new Deferral(Instant.parse("2026-03-03T09:00:00Z"), SendingDecision.OUTSIDE_WINDOW));

        clock.set(Instant.parse("2026-03-03T09:00:00Z"));
        scheduler(engine).pollOnce();

        assertThat(sent()).extracting(OutgoingMessage::idempotencyKey).containsExactly("dead-key");
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
    }
}
