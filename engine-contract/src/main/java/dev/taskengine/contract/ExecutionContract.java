package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.TaskStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Execution, scheduled execution and events on top of an adapter's store: the same answers on every adapter. An
 * adapter's test extends this class and implements {@link #store()}.
 */
public abstract class ExecutionContract {

    protected abstract TaskStore store();

    private static final EmailAccountId SAMS_ACCOUNT = EmailAccountId.of(501);
    private static final EmailAccountId SAMS_OTHER_ACCOUNT = EmailAccountId.of(502);
    private static final EmailAccountId SEQUENCE_ACCOUNT = EmailAccountId.of(900);
    private static final UserId SAM = UserId.of(7);
    private static final SchedulerOptions SCHEDULER =
            SchedulerOptions.defaults().withBatchSize(1000).withStaleExecutionAfter(Duration.ofMinutes(5));

    private final MutableClock clock = new MutableClock(NOW);
    private final Map<ContactId, Contact> contacts = new ConcurrentHashMap<>();
    private final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> finishedProspects = Collections.synchronizedList(new ArrayList<>());
    private final RecordingSender sender = new RecordingSender();
    private TaskStore store;
    private TenantId tenant;
    private TaskEngine engine;

    @BeforeEach
    void setUpEngine() {
        tenant = freshTenant();
        store = store();
        engine = engine(store, events::add);
        contacts.put(
                ContactId.of(1),
                Contact.builder(1)
                        .firstName("Ada")
                        .email("ada@example.com")
                        .phone("+44 20 7946 0000")
                        .company("Analytical <Engines>")
                        .build());
        contacts.put(
                ContactId.of(2),
                Contact.builder(2).firstName("Grace").phone("+1 202 555 0102").build());
        contacts.put(
                ContactId.of(3),
                Contact.builder(3).firstName("Alan").email("alan@example.com").build());
    }

    private TaskEngine engine(TaskStore taskStore, EventPublisher publisher) {
        return engine(taskStore, publisher, clock, sender);
    }

    private TaskEngine engine(
            TaskStore taskStore, EventPublisher publisher, Clock engineClock, MessageSender engineSender) {
        ContactDirectory directory =
                (t, id) -> t.equals(tenant) ? Optional.ofNullable(contacts.get(id)) : Optional.empty();
        SenderAccounts accounts = new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId t, UserId user) {
                return user.equals(SAM) ? Optional.of(SAMS_ACCOUNT) : Optional.empty();
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId t, SequenceId sequence) {
                return sequence.value() == 800 ? Optional.of(SEQUENCE_ACCOUNT) : Optional.empty();
            }

            @Override
            public boolean usable(TenantId t, UserId user, EmailAccountId account) {
                return user.equals(SAM) && (account.equals(SAMS_ACCOUNT) || account.equals(SAMS_OTHER_ACCOUNT));
            }
        };
        return TaskEngine.builder()
                .store(taskStore)
                .contacts(directory)
                .events(publisher)
                .clock(engineClock)
                .sender(engineSender)
                .senderAccounts(accounts)
                .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(10)))
                .sequenceMembership((t, sequence, contact) -> finishedProspects.add(sequence + ":" + contact))
                .build();
    }

    private NewTask.Builder email(long contact) {
        return newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(contact))
                .template(
                        Template.of("Pilot for {{company}}", "Hi {{firstName}}, the pilot for {{company}} is ready."));
    }

    private NewTask.Builder sms(long contact) {
        return newToDo(tenant)
                .type(TaskType.SMS)
                .contact(ContactId.of(contact))
                .template(Template.of("Hi {{firstName}} <3"));
    }

    private Task create(NewTask.Builder task) {
        return engine.create(Writes.ACTOR, task.build()).get();
    }

    private TaskRef ref(Task task) {
        return TaskRef.of(Writes.ACTOR, tenant, task.id());
    }

    private Task stored(Task task) {
        return store.find(tenant, task.id()).orElseThrow();
    }

    private List<OutgoingMessage> sentToThisTenant() {
        return sender.delivered().stream()
                .filter(m -> m.tenant().equals(tenant))
                .toList();
    }

    private io.vavr.control.Either<TaskError, Task> execute(Task task) {
        return engine.execute(ref(task));
    }

    // --- execute

    @Test
    void anEmailIsRenderedSentFromTheAssigneesDefaultAccountAndFinished() {
        Task task = create(email(1));
        clock.advance(Duration.ofMinutes(1));
        Task done = execute(task).get();

        OutgoingMessage message = sentToThisTenant().get(0);
        assertThat(message.channel()).isEqualTo(Channel.EMAIL);
        assertThat(message.to()).isEqualTo("ada@example.com");
        assertThat(message.emailAccount()).contains(SAMS_ACCOUNT);
        assertThat(message.subject()).contains("Pilot for Analytical <Engines>");
        assertThat(message.body()).isEqualTo("Hi Ada, the pilot for Analytical &lt;Engines&gt; is ready.");
        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(done.times().finishedAt()).contains(NOW.plus(Duration.ofMinutes(1)));
        assertThat(done.fields().template().body()).isEqualTo(message.body());
        assertThat(done.fields().template().subject()).isEqualTo(message.subject());
        assertThat(done.execution()).isEmpty();
        assertThat(stored(task)).isEqualTo(done);
    }

    @Test
    void anSmsGoesToThePhoneAsPlainTextWithoutSubjectOrAccount() {
        Task task = create(sms(2));
        execute(task).get();
        OutgoingMessage message = sentToThisTenant().get(0);
        assertThat(message.channel()).isEqualTo(Channel.SMS);
        assertThat(message.to()).isEqualTo("+1 202 555 0102");
        assertThat(message.body()).isEqualTo("Hi Grace <3");
        assertThat(message.subject()).isEmpty();
        assertThat(message.emailAccount()).isEmpty();
    }

    @Test
    void contentGivenByTheCallerIsSentAsIs() {
        Task task = create(email(1));
        engine.execute(
                        ref(task),
                        ExecuteRequest.rendered().withContent(Content.of("Final subject", "<p>Final {{body}}</p>")))
                .get();
        assertThat(sentToThisTenant().get(0).body()).isEqualTo("<p>Final {{body}}</p>");
        assertThat(stored(task).fields().template().body()).isEqualTo("<p>Final {{body}}</p>");
    }

    @Test
    void aChosenAccountIsHonouredForAUserEmailTask() {
        Task task = create(email(1));
        engine.execute(ref(task), ExecuteRequest.rendered().fromAccount(SAMS_OTHER_ACCOUNT))
                .get();
        assertThat(sentToThisTenant().get(0).emailAccount()).contains(SAMS_OTHER_ACCOUNT);
    }

    @Test
    void aSequenceEmailSendsFromTheSequencesAccountWhateverTheCallerChose() {
        Task task = create(email(1).sequence(SequenceRef.of(800, 1, "Step 1 - Email")));
        engine.execute(ref(task), ExecuteRequest.rendered().fromAccount(SAMS_OTHER_ACCOUNT))
                .get();
        assertThat(sentToThisTenant().get(0).emailAccount()).contains(SEQUENCE_ACCOUNT);
    }

    @Test
    void anAccountTheAssigneeCannotUseIsRefusedAndNothingIsSent() {
        Task task = create(email(1));
        TaskError error = engine.execute(ref(task), ExecuteRequest.rendered().fromAccount(EmailAccountId.of(12345)))
                .getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("task.emailAccountId.unknown");
        assertThat(sender.calls()).isEmpty();
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void onlyEmailAndSmsTasksAreExecuted() {
        Task call = create(newToDo(tenant).type(TaskType.CALL).contact(ContactId.of(1)));
        assertThat(execute(call).getLeft()).isEqualTo(new TaskError.NotExecutable(call.id(), TaskType.CALL));
        assertThat(sender.calls()).isEmpty();
    }

    @Test
    void aClosedTaskIsNotExecuted() {
        Task task = create(email(1));
        engine.cancel(ref(task)).get();
        assertThat(execute(task).getLeft())
                .isEqualTo(new TaskError.IllegalTransition(TaskAction.EXECUTE, TaskStatus.CANCELLED));
        assertThat(sender.calls()).isEmpty();
    }

    @Test
    void anEmailToAContactWithoutAnAddressIsRefusedAndNothingIsSent() {
        Task task = create(email(2).template(Template.of("Hi {{firstName}}")));
        TaskError error = execute(task).getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("task.deliveryInfo.email.missing");
        assertThat(sender.calls()).isEmpty();
        assertThat(stored(task)).isEqualTo(task);
    }

    @Test
    void anSmsToAContactWithoutAPhoneIsRefused() {
        Task task = create(sms(3));
        TaskError error = execute(task).getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("task.deliveryInfo.phoneNumber.missing");
    }

    @Test
    void aTemplateWithAMissingVariableIsNotSent() {
        Task task = create(sms(2).template(Template.of("Hi {{firstName}} from {{company}}")));
        TaskError error = execute(task).getLeft();
        assertThat(((TaskError.InvalidInput) error).violations())
                .extracting(v -> v.code())
                .containsExactly("task.template.variable.missing");
        assertThat(sender.calls()).isEmpty();
    }

    @Test
    void aFailedSendLeavesTheTaskActiveMarkedFailedWithTheReason() {
        sender.failFor("+1 202 555 0102", "number unreachable", false);
        Task task = create(sms(2));
        TaskError error = execute(task).getLeft();
        assertThat(error).isEqualTo(new TaskError.DeliveryFailed(task.id(), "number unreachable", false));
        assertThat(error.code()).isEqualTo("task.deliveryFailed.permanent");
        Task failed = stored(task);
        assertThat(failed.status()).isEqualTo(TaskStatus.NEW);
        assertThat(failed.failure().failed()).isTrue();
        assertThat(failed.failure().reason()).contains("number unreachable");
        assertThat(failed.execution()).isEmpty();
        assertThat(failed.fields().template()).isEqualTo(task.fields().template());
    }

    @Test
    void aTransientFailureIsToldApartFromAPermanentOne() {
        sender.failFor("+1 202 555 0102", "provider timeout", true);
        Task task = create(sms(2));
        assertThat(execute(task).getLeft().code()).isEqualTo("task.deliveryFailed.transient");
    }

    @Test
    void aSuccessfulExecutionClearsAnEarlierFailure() {
        sender.failFor("+1 202 555 0102", "provider timeout", true);
        Task task = create(sms(2));
        execute(task);
        sender.heal("+1 202 555 0102");
        Task done = execute(task).get();
        assertThat(done.failure().failed()).isFalse();
        assertThat(done.failure().reason()).isEmpty();
    }

    @Test
    void aSenderThatThrowsIsATransientFailure() {
        TaskEngine throwing = TaskEngine.builder()
                .store(store)
                .clock(clock)
                .contacts((t, id) -> Optional.ofNullable(contacts.get(id)))
                .sender(message -> {
                    throw new IllegalStateException("connection reset");
                })
                .build();
        Task task = create(sms(2));
        TaskError error = throwing.execute(ref(task)).getLeft();
        assertThat(error.code()).isEqualTo("task.deliveryFailed.transient");
        assertThat(stored(task).failure().reason())
                .hasValueSatisfying(r -> assertThat(r).contains("connection reset"));
    }

    private List<String> keysSentToThisTenant() {
        return sender.calls().stream()
                .filter(m -> m.tenant().equals(tenant))
                .map(OutgoingMessage::idempotencyKey)
                .toList();
    }

    @Test
    void aRetryAfterATransientFailureIsSentUnderTheSameKey() {
        sender.failFor("+1 202 555 0102", "provider timeout", true);
        Task task = create(sms(2));
        execute(task);
        assertThat(stored(task).failure().retryKey()).isPresent();
        sender.heal("+1 202 555 0102");
        execute(task).get();
        List<String> keys = keysSentToThisTenant();
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(stored(task).failure().retryKey()).isEmpty();
    }

    @Test
    void anAttemptAfterAPermanentFailureGetsANewKey() {
        sender.failFor("+1 202 555 0102", "number unreachable", false);
        Task task = create(sms(2));
        execute(task);
        sender.heal("+1 202 555 0102");
        execute(task).get();
        List<String> keys = keysSentToThisTenant();
        assertThat(keys).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void anUpdateAfterATransientFailureStartsANewExecutionWithANewKey() {
        sender.failFor("+1 202 555 0102", "provider timeout", true);
        Task task = create(sms(2));
        execute(task);
        sender.heal("+1 202 555 0102");
        Task failed = stored(task);
        engine.update(
                        ref(task),
                        dev.taskengine.domain.TaskUpdate.from(failed)
                                .withTemplate(Template.of("New text for {{firstName}}")))
                .get();
        execute(task).get();
        assertThat(keysSentToThisTenant()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void theScheduledRetryOfATransientFailureIsSentUnderTheSameKey() {
        sender.failFor("+1 202 555 0102", "read timeout after the provider took it", true);
        Task task = scheduledSms(2, NOW);
        scheduler().pollOnce();
        sender.heal("+1 202 555 0102");
        clock.advance(Duration.ofSeconds(30));
        scheduler().pollOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(keysSentToThisTenant())
                .hasSize(2)
                .containsOnly(keysSentToThisTenant().get(0));
    }

    @Test
    void whileAnExecutionIsUnderWayEveryOtherActionWaits() {
        Task task = create(sms(2));
        Execution underWay =
                new Execution("k-1", NOW, new Content(Optional.empty(), "Hi"), "+1 202 555 0102", Optional.empty());
        Task executing = task.executionStarted(underWay, NOW).get();
        store.update(executing, task.version(), Writes.entry(executing), List.of());
        assertThat(engine.cancel(ref(task)).getLeft()).isEqualTo(new TaskError.ExecutionUnderWay(task.id()));
        assertThat(execute(task).getLeft()).isEqualTo(new TaskError.ExecutionUnderWay(task.id()));
    }

    // --- completion

    @Test
    void aTaskCompletedByHandKeepsItsTemplateRenderedForTheContact() {
        Task task =
                create(newToDo(tenant).contact(ContactId.of(1)).template(Template.of("Send {{firstName}} the deck")));
        engine.complete(ref(task), Completion.done()).get();
        assertThat(stored(task).fields().template().body()).isEqualTo("Send Ada the deck");
        assertThat(engine.get(tenant, task.id(), true).get().content())
                .contains(new dev.taskengine.domain.Rendering.Rendered(
                        new Content(Optional.empty(), "Send Ada the deck")));
    }

    @Test
    void aReopenedTaskShowsAndResendsWhatWasSentLiterallyNeverRenderingItAgain() {
        contacts.put(
                ContactId.of(4),
                Contact.builder(4).firstName("{{oops").phone("+1 202 555 0199").build());
        Task task = create(sms(4).template(Template.of("Hi {{firstName}}, {{default title \"friend\"}}")));
        execute(task).get();
        Task reopened = engine.reopen(ref(task), dev.taskengine.domain.ReopenReason.MANUAL)
                .get();
        assertThat(engine.get(tenant, task.id(), true).get().content())
                .contains(new dev.taskengine.domain.Rendering.Rendered(
                        new Content(Optional.empty(), "Hi {{oops, friend")));
        execute(reopened).get();
        assertThat(sentToThisTenant())
                .extracting(OutgoingMessage::body)
                .containsExactly("Hi {{oops, friend", "Hi {{oops, friend");
    }

    @Test
    void aCancelledTasksContentIsItsTemplateRendered() {
        Task task = create(sms(2));
        engine.cancel(ref(task)).get();
        assertThat(engine.get(tenant, task.id(), true).get().content())
                .contains(new dev.taskengine.domain.Rendering.Rendered(new Content(Optional.empty(), "Hi Grace <3")));
    }

    @Test
    void aCallIsCompletedWithDispositionAndCallResolution() {
        Task call = create(newToDo(tenant).type(TaskType.CALL).contact(ContactId.of(1)));
        Task done = engine.complete(
                        ref(call),
                        Completion.withCallResolution(CallResolution.POSITIVE).andDisposition(Disposition.ANSWERED))
                .get();
        assertThat(done.callOutcome().callResolution()).contains(CallResolution.POSITIVE);
        assertThat(done.callOutcome().disposition()).contains(Disposition.ANSWERED);
        assertThat(stored(call)).isEqualTo(done);
    }

    @Test
    void finishingTheProspectInTheSequenceTellsTheSequenceMembershipAfterCompletion() {
        Task task = create(newToDo(tenant).contact(ContactId.of(1)).sequence(SequenceRef.of(801, 2, "Step 2 - To-do")));
        engine.complete(ref(task), Completion.done().finishingProspectInSequence())
                .get();
        assertThat(finishedProspects).containsExactly("801:1");
    }

    @Test
    void aRefusedCompletionTellsTheSequenceMembershipNothing() {
        Task task = create(newToDo(tenant).contact(ContactId.of(1)).sequence(SequenceRef.of(801, 2, "Step 2 - To-do")));
        engine.cancel(ref(task)).get();
        engine.complete(ref(task), Completion.done().finishingProspectInSequence());
        assertThat(finishedProspects).isEmpty();
    }

    // --- scheduled execution

    private TaskScheduler scheduler() {
        return engine.scheduler(SCHEDULER);
    }

    private Task scheduledSms(long contact, Instant startAt) {
        return create(sms(contact).scheduled(true).startAt(startAt).dueTo(startAt.plus(Duration.ofHours(1))));
    }

    @Test
    void aScheduledTaskIsExecutedOnceItsStartHasComeAndNotBefore() {
        Task task = scheduledSms(2, NOW.plus(Duration.ofMinutes(10)));
        scheduler().pollOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.NEW);
        clock.advance(Duration.ofMinutes(10));
        scheduler().pollOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
        scheduler().pollOnce();
        assertThat(sentToThisTenant()).hasSize(1);
        assertThat(sender.calls().stream().filter(m -> m.tenant().equals(tenant)))
                .hasSize(1);
    }

    @Test
    void aTaskThatIsNotScheduledIsLeftToAPerson() {
        Task task = create(sms(2));
        scheduler().pollOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.NEW);
        assertThat(sender.calls()).isEmpty();
    }

    @Test
    void transientFailuresBackOffAndRetryUpToTheLimitThenStayFailed() {
        sender.failFor("+1 202 555 0102", "provider timeout", true);
        Task task = scheduledSms(2, NOW);
        scheduler().pollOnce();
        assertThat(stored(task).failure().retryAt()).contains(NOW.plus(Duration.ofSeconds(30)));
        scheduler().pollOnce();
        assertThat(stored(task).failure().attempts()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        scheduler().pollOnce();
        assertThat(stored(task).failure().retryAt()).contains(NOW.plus(Duration.ofSeconds(90)));
        clock.advance(Duration.ofSeconds(60));
        scheduler().pollOnce();
        Task failed = stored(task);
        assertThat(failed.failure().attempts()).isEqualTo(3);
        assertThat(failed.failure().retryAt()).isEmpty();
        assertThat(failed.failure().reason()).contains("provider timeout");
        clock.advance(Duration.ofHours(1));
        scheduler().pollOnce();
        assertThat(stored(task).failure().attempts()).isEqualTo(3);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        sender.failFor("+1 202 555 0102", "number unreachable", false);
        Task task = scheduledSms(2, NOW);
        scheduler().pollOnce();
        clock.advance(Duration.ofHours(1));
        scheduler().pollOnce();
        assertThat(stored(task).failure().attempts()).isEqualTo(1);
        assertThat(stored(task).failure().retryAt()).isEmpty();
    }

    @Test
    void aScheduledTaskThatCannotBeSentIsMarkedFailedAndLeftAlone() {
        Task task = create(email(2).template(Template.of("Hi {{firstName}}")).scheduled(true));
        scheduler().pollOnce();
        Task failed = stored(task);
        assertThat(failed.failure().failed()).isTrue();
        assertThat(failed.failure().reason())
                .hasValueSatisfying(r -> assertThat(r).contains("email address"));
        scheduler().pollOnce();
        assertThat(stored(task)).isEqualTo(failed);
    }

    @Test
    void anUpdateOfAFailedTaskMakesItDueAgain() {
        Task task = create(email(2).template(Template.of("Hi {{firstName}}")).scheduled(true));
        scheduler().pollOnce();
        Task failed = stored(task);
        engine.update(ref(task), dev.taskengine.domain.TaskUpdate.from(failed).withContact(ContactId.of(3)))
                .get();
        scheduler().pollOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(sentToThisTenant()).extracting(OutgoingMessage::to).containsExactly("alan@example.com");
    }

    @Test
    void aTaskChangedAfterItWasClaimedIsNeverSentStale() {
        Task task = scheduledSms(2, NOW);
        AtomicBoolean cancelAfterClaim = new AtomicBoolean(true);
        TaskStore cancellingStore = (TaskStore) Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                    Object result = invoke(method, store, args);
                    if (method.getName().equals("claimDue") && cancelAfterClaim.getAndSet(false)) {
                        engine.cancel(ref(task)).get();
                    }
                    return result;
                });
        engine(cancellingStore, events::add).scheduler(SCHEDULER).pollOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(sender.calls()).isEmpty();
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void anExecutionThatDiedWithItsWorkerIsResentWithTheSameKey() {
        Task task = scheduledSms(2, NOW);
        Execution died = new Execution(
                "died-" + task.id(),
                NOW,
                new Content(Optional.empty(), "Hi Grace, as recorded"),
                "+1 202 555 0102",
                Optional.empty());
        store.update(
                task.executionStarted(died, NOW).get(),
                task.version(),
                Writes.entry(task.executionStarted(died, NOW).get()),
                List.of());

        clock.advance(Duration.ofMinutes(1));
        scheduler().pollOnce();
        assertThat(sender.calls()).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        scheduler().pollOnce();
        assertThat(sentToThisTenant())
                .extracting(OutgoingMessage::idempotencyKey, OutgoingMessage::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("died-" + task.id(), "Hi Grace, as recorded"));
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(stored(task).fields().template().body()).isEqualTo("Hi Grace, as recorded");
    }

    @Test
    void twoEnginesOnOneStoreExecuteEachDueTaskOnce() throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(scheduledSms(2, NOW.minusSeconds(i)));
        }
        TaskEngine other = engine(store, events::add);
        Thread first = new Thread(() -> {
            while (scheduler().pollOnce() > 0) {}
        });
        Thread second = new Thread(() -> {
            while (other.scheduler(SCHEDULER.withOwner("other")).pollOnce() > 0) {}
        });
        first.start();
        second.start();
        first.join(60_000);
        second.join(60_000);
        assertThat(tasks).allSatisfy(t -> assertThat(stored(t).status()).isEqualTo(TaskStatus.FINISHED));
        assertThat(sender.calls().stream().filter(m -> m.tenant().equals(tenant)))
                .hasSize(tasks.size());
    }

    @Test
    void aLiveEnginesSlowSendIsNeverTakenOverByAnotherEngine() throws Exception {
        // Real time: a send that lasts four leases, while another engine polls every 20 ms. The sending engine's
        // heartbeat renews its lease every third of one, so the other engine never gets the execution.
        Duration lease = Duration.ofMillis(1500);
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<OutgoingMessage> sent = Collections.synchronizedList(new ArrayList<>());
        MessageSender slow = message -> {
            if (!message.tenant().equals(tenant)) {
                return Delivery.permanentFailure("not this test's tenant");
            }
            sent.add(message);
            sending.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Delivery.delivered("slow-" + message.taskId());
        };
        TaskEngine a = engine(store, events::add, Clock.systemUTC(), slow);
        TaskEngine b = engine(store, events::add, Clock.systemUTC(), slow);
        Instant now = Instant.now();
        Task task = a.create(
                        Writes.ACTOR,
                        sms(2).scheduled(true)
                                .startAt(now.minusSeconds(1))
                                .dueTo(now.plusSeconds(3600))
                                .build())
                .get();
        SchedulerOptions options =
                SCHEDULER.withPollInterval(Duration.ofMillis(20)).withLease(lease);
        TaskScheduler first =
                a.scheduler(options.withOwner("engine-a-" + tenant)).start();
        TaskScheduler second = null;
        try {
            assertThat(sending.await(30, TimeUnit.SECONDS))
                    .as("engine a began sending")
                    .isTrue();
            second = b.scheduler(options.withOwner("engine-b-" + tenant)).start();
            Thread.sleep(lease.multipliedBy(4).toMillis());
            release.countDown();
            for (int i = 0; i < 1000 && stored(task).status() != TaskStatus.FINISHED; i++) {
                Thread.sleep(10);
            }
        } finally {
            release.countDown();
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
        assertThat(sent).as("sends of the task").hasSize(1);
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
    }

    @Test
    void aStartedSchedulerExecutesDueTasksAndStopsLeavingNoThreadBehind() throws Exception {
        Task task = scheduledSms(2, NOW);
        TaskScheduler scheduler = engine.scheduler(SCHEDULER.withPollInterval(Duration.ofMillis(20)))
                .start();
        try {
            for (int i = 0; i < 500 && stored(task).status() != TaskStatus.FINISHED; i++) {
                Thread.sleep(10);
            }
        } finally {
            scheduler.stop();
        }
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(scheduler.running()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneSatisfy(thread -> assertThat(thread.getName()).startsWith("taskengine-scheduler-"));
    }

    // --- events

    @Test
    void eventsReachThePublisherOnlyAfterTheirWriteAndCarryUniqueIds() {
        Task task = create(sms(2));
        execute(task).get();
        List<TaskEvent> mine =
                events.stream().filter(e -> e.taskId().equals(task.id())).toList();
        assertThat(mine)
                .extracting(TaskEvent::type)
                .containsExactly(TaskEventType.CREATED, TaskEventType.EXECUTION_STARTED, TaskEventType.EXECUTED);
        assertThat(mine).extracting(TaskEvent::id).doesNotHaveDuplicates();
        assertThat(mine.get(2).version()).isEqualTo(stored(task).version());
    }

    @Test
    void aFailedDeliveryPublishesExecutionFailed() {
        sender.failFor("+1 202 555 0102", "number unreachable", false);
        Task task = create(sms(2));
        execute(task);
        assertThat(events)
                .filteredOn(e -> e.taskId().equals(task.id()))
                .extracting(TaskEvent::type)
                .containsExactly(
                        TaskEventType.CREATED, TaskEventType.EXECUTION_STARTED, TaskEventType.EXECUTION_FAILED);
    }

    @Test
    void eventsAPublisherRefusedArePublishedLaterAtLeastOnce() {
        AtomicBoolean down = new AtomicBoolean(true);
        List<TaskEvent> received = Collections.synchronizedList(new ArrayList<>());
        TaskEngine flaky = engine(store, event -> {
            if (down.get()) {
                throw new IllegalStateException("broker down");
            }
            received.add(event);
        });
        Task task = flaky.create(Writes.ACTOR, newToDo(tenant).build()).get();
        flaky.start(ref(task)).get();
        assertThat(received).isEmpty();
        down.set(false);
        flaky.relayPendingEvents();
        assertThat(received)
                .filteredOn(e -> e.taskId().equals(task.id()))
                .extracting(TaskEvent::type)
                .containsExactly(TaskEventType.CREATED, TaskEventType.STARTED);
        flaky.relayPendingEvents();
        assertThat(received).filteredOn(e -> e.taskId().equals(task.id())).hasSize(2);
    }

    @Test
    void anEngineWithoutPublisherStoresNoEvents() {
        TaskEngine silent = TaskEngine.builder().store(store).clock(clock).build();
        Task task = silent.create(Writes.ACTOR, newToDo(tenant).build()).get();
        silent.start(ref(task)).get();
        assertThat(store.pendingEvents(100_000))
                .noneSatisfy(e -> assertThat(e.taskId()).isEqualTo(task.id()));
    }

    @Test
    void claimingIsAcrossTenantsButExecutionStaysInTheTasksTenant() {
        Task task = scheduledSms(2, NOW);
        DueTasks request = new DueTasks(NOW, NOW.minusSeconds(300), 100_000, "probe", NOW.plusSeconds(1));
        assertThat(store.claimDue(request)).anySatisfy(t -> assertThat(t.id()).isEqualTo(task.id()));
        clock.advance(Duration.ofSeconds(2));
        scheduler().pollOnce();
        assertThat(sentToThisTenant()).extracting(OutgoingMessage::tenant).containsOnly(tenant);
    }
}
