package dev.taskengine.contract;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SendingDecision;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.TraceContext;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingSettings;
import dev.taskengine.store.TaskStore;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine reports to its observer ({@link dev.taskengine.spi.EngineObserver}), and the trace context it keeps
 * with a task, on top of an adapter's store: every driving call's outcome, each send (channel, by the scheduler or by
 * hand, outcome, lateness, the trace context kept with the task), claims, deferrals and published events. An adapter's
 * test extends this class and implements {@link #store()}.
 */
public abstract class ObservationContract {

    protected abstract TaskStore store();

    private static final UserId SAM = UserId.of(7);
    private static final EmailAccountId SAMS_ACCOUNT = EmailAccountId.of(501);
    private static final SchedulerOptions SCHEDULER =
            SchedulerOptions.defaults().withBatchSize(1000).withStaleExecutionAfter(Duration.ofMinutes(5));
    private static final Map<String, String> CREATING_TRACE = Map.of(
            TraceContext.TRACEPARENT,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            TraceContext.TRACESTATE,
            "rojo=00f067aa0ba902b7");
    private static final Map<String, String> RESCHEDULING_TRACE =
            Map.of(TraceContext.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    /** A contact whose lookup breaks: a create for it fails with an exception. */
    private static final ContactId BROKEN = ContactId.of(99);

    private final MutableClock clock = new MutableClock(NOW);
    private final RecordingSender sender = new RecordingSender();
    private final RecordingObserver observer = new RecordingObserver();
    private TaskStore store;
    private TenantId tenant;
    private TaskEngine engine;

    @BeforeEach
    void setUpEngine() {
        tenant = freshTenant();
        store = store();
        engine = engine(UnaryOperator.identity());
    }

    private TaskEngine engine(UnaryOperator<SendingSettings.Builder> settings) {
        ContactDirectory directory = (t, id) -> {
            if (id.equals(BROKEN)) {
                throw new IllegalStateException("the contact directory is down");
            }
            return t.equals(tenant) && id.value() == 1
                    ? Optional.of(Contact.builder(1)
                            .firstName("Ada")
                            .email("ada@example.com")
                            .phone("+44 20 7946 0000")
                            .build())
                    : Optional.empty();
        };
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

            @Override
            public Optional<String> smsSender(TenantId t, UserId user) {
                return Optional.of("+44 20 7946 0999");
            }
        };
        return TaskEngine.builder()
                .store(store)
                .contacts(directory)
                .events(event -> {})
                .clock(clock)
                .sender(sender)
                .senderAccounts(accounts)
                .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(10)))
                .sendingRules(settings.apply(SendingSettings.builder()).build())
                .observer(observer)
                .build();
    }

    private NewTask.Builder scheduledEmail() {
        return newToDo(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(1))
                .assignee(SAM)
                .template(Template.of("Hello", "Hi {{firstName}}"))
                .scheduled(true)
                .startAt(clock.instant())
                .dueTo(clock.instant().plus(Duration.ofDays(30)));
    }

    private Task create(NewTask.Builder task) {
        return engine.create(Writes.ACTOR, task.build()).get();
    }

    private Task stored(Task task) {
        return store.find(tenant, task.id()).orElseThrow();
    }

    private RecordingObserver.ExecutionObserved onlyExecution(Task task) {
        List<RecordingObserver.ExecutionObserved> executions = observer.executions(task.id());
        assertThat(executions).hasSize(1);
        return executions.get(0);
    }

    // --- driving calls

    @Test
    void aDrivingCallEndsDone() {
        Task task = create(newToDo(tenant));
        engine.get(tenant, task.id(), false);
        engine.complete(TaskRef.of(Writes.ACTOR, tenant, task.id()), Completion.done());

        assertThat(observer.actions())
                .extracting(
                        RecordingObserver.Observed::name,
                        o -> o.tenant().orElseThrow(),
                        o -> o.outcome().orElseThrow())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("create", tenant, "done"),
                        org.assertj.core.groups.Tuple.tuple("get", tenant, "done"),
                        org.assertj.core.groups.Tuple.tuple("complete", tenant, "done"));
        assertThat(observer.actions()).allSatisfy(a -> assertThat(a.ends()).isEqualTo(1));
    }

    @Test
    void aRefusedCallEndsWithItsRefusalsCode() {
        engine.complete(TaskRef.of(Writes.ACTOR, tenant, TaskId.of(Long.MAX_VALUE - 7)), Completion.done());
        engine.create(Writes.ACTOR, newToDo(tenant).template(Template.of("")).build());

        assertThat(observer.actions("complete").get(0).outcome()).contains("task.notFound");
        assertThat(observer.actions("create").get(0).outcome()).contains("task.invalid");
    }

    @Test
    void aBatchCallEndsDoneWhateverBecameOfEachTaskAndItsTasksAreNotReportedApart() {
        Task task = create(newToDo(tenant));

        engine.completeAll(Writes.ACTOR, tenant, List.of(task.id(), TaskId.of(Long.MAX_VALUE - 7)), Completion.done());

        assertThat(observer.actions("completeAll"))
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains("done"));
        assertThat(observer.actions("complete")).isEmpty();
    }

    @Test
    void anExceptionEscapingACallEndsItFailedAndIsRethrown() {
        assertThatThrownBy(() -> engine.create(
                        Writes.ACTOR, newToDo(tenant).contact(BROKEN).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("contact directory is down");

        RecordingObserver.Observed create = observer.actions("create").get(0);
        assertThat(create.outcome()).contains("error");
        assertThat(create.error()).containsInstanceOf(IllegalStateException.class);
        assertThat(create.ends()).isEqualTo(1);
    }

    // --- executions

    @Test
    void aScheduledSendReportsItsChannelOutcomeAndLateness() {
        Task task = create(scheduledEmail());
        clock.advance(Duration.ofSeconds(5));

        engine.scheduler(SCHEDULER).pollOnce();

        RecordingObserver.ExecutionObserved execution = onlyExecution(task);
        assertThat(execution.channel()).isEqualTo(Channel.EMAIL);
        assertThat(execution.tenant()).isEqualTo(tenant);
        assertThat(execution.scheduled()).isTrue();
        assertThat(execution.outcome()).contains("sent");
        assertThat(observer.lateness()).contains(new RecordingObserver.Lateness(Channel.EMAIL, Duration.ofSeconds(5)));
        assertThat(observer.claims())
                .isNotEmpty()
                .allSatisfy(claim -> assertThat(claim.wanted()).isEqualTo(SCHEDULER.batchSize()));
        assertThat(observer.claims())
                .anySatisfy(claim -> assertThat(claim.claimed()).isPositive());
    }

    @Test
    void aTransientFailureReportsRetryAndAPermanentOneFailed() {
        sender.failFor("ada@example.com", "the provider timed out", true);
        Task retried = create(scheduledEmail());
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(onlyExecution(retried).outcome()).contains("retry");

        sender.failFor("ada@example.com", "mailbox does not exist", false);
        Task failed = create(scheduledEmail());
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(onlyExecution(failed).outcome()).contains("failed");
    }

    @Test
    void aSendByHandIsReportedAsNotScheduled() {
        Task task = create(newToDo(tenant)
                .type(TaskType.SMS)
                .contact(ContactId.of(1))
                .assignee(SAM)
                .template(Template.of("Hi {{firstName}}")));

        engine.execute(TaskRef.of(Writes.ACTOR, tenant, task.id()), ExecuteRequest.rendered());

        RecordingObserver.ExecutionObserved execution = onlyExecution(task);
        assertThat(execution.channel()).isEqualTo(Channel.SMS);
        assertThat(execution.scheduled()).isFalse();
        assertThat(execution.outcome()).contains("sent");
        assertThat(observer.actions("execute"))
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains("done"));
        assertThat(observer.lateness()).isEmpty();
    }

    @Test
    void aDeferralReportsItsReason() {
        clock.set(Instant.parse("2026-03-02T18:00:00Z"));
        engine = engine(s -> s.tenantWindows(
                tenant,
                SendingWindows.on(
                        ZoneOffset.UTC,
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                        TimeRange.of("09:00", "17:00"))));
        Task task = create(scheduledEmail());

        engine.scheduler(SCHEDULER).pollOnce();

        assertThat(stored(task).deferral()).isPresent();
        assertThat(observer.deferrals()).contains(SendingDecision.OUTSIDE_WINDOW);
        assertThat(observer.executions(task.id())).isEmpty();
    }

    @Test
    void publishedEventsAreCounted() {
        create(newToDo(tenant));
        engine.relayPendingEvents();

        assertThat(observer.publishedCount()).isPositive();
    }

    // --- the trace context kept with a task

    @Test
    void aTaskCreatedInATraceKeepsItAndItsScheduledSendHandsItBack() {
        observer.reportTrace(CREATING_TRACE);
        Task task = create(scheduledEmail());
        observer.reportTrace(Map.of());

        assertThat(task.trace().asMap()).isEqualTo(CREATING_TRACE);
        assertThat(stored(task).trace()).isEqualTo(task.trace());

        engine.scheduler(SCHEDULER).pollOnce();

        assertThat(onlyExecution(task).trace()).isEqualTo(CREATING_TRACE);
        assertThat(stored(task).trace().asMap()).isEqualTo(CREATING_TRACE);
    }

    @Test
    void aTaskCreatedWithoutATraceHandsAnEmptyOneToItsSend() {
        Task task = create(scheduledEmail());

        engine.scheduler(SCHEDULER).pollOnce();

        assertThat(stored(task).trace()).isEqualTo(TraceContext.NONE);
        assertThat(onlyExecution(task).trace()).isEmpty();
    }

    @Test
    void aMalformedTraceContextIsDroppedNotRefused() {
        observer.reportTrace(Map.of(TraceContext.TRACEPARENT, "not-a-traceparent", TraceContext.TRACESTATE, "a=b"));
        Task task = create(scheduledEmail());

        assertThat(stored(task).trace()).isEqualTo(TraceContext.NONE);
        assertThat(observer.actions("create").get(0).outcome()).contains("done");
    }

    @Test
    void aRescheduleTakesTheTraceOfTheReschedulingCall() {
        observer.reportTrace(CREATING_TRACE);
        Task task = create(scheduledEmail().startAt(clock.instant().plus(Duration.ofHours(1))));
        observer.reportTrace(RESCHEDULING_TRACE);

        engine.rescheduleAll(
                Writes.ACTOR, TaskSelection.ids(tenant, List.of(task.id())), Reschedule.by(Duration.ofMinutes(-60)));
        observer.reportTrace(Map.of());

        assertThat(stored(task).trace().asMap()).isEqualTo(RESCHEDULING_TRACE);
        engine.scheduler(SCHEDULER).pollOnce();
        assertThat(onlyExecution(task).trace()).isEqualTo(RESCHEDULING_TRACE);
    }

    @Test
    void anUpdateTakesTheTraceOfItsCallOnlyWhenItSchedulesTheTaskOrMovesItsStart() {
        observer.reportTrace(CREATING_TRACE);
        Task task = create(scheduledEmail().scheduled(false));
        observer.reportTrace(RESCHEDULING_TRACE);

        Task renamed = engine.update(
                        TaskRef.of(Writes.ACTOR, tenant, task.id()),
                        new TaskUpdate(task.fields().withTemplate(Template.of("Hello again", "Hi {{firstName}}"))))
                .get();
        assertThat(stored(renamed).trace().asMap()).isEqualTo(CREATING_TRACE);

        Task scheduled = engine.update(
                        TaskRef.of(Writes.ACTOR, tenant, task.id()),
                        new TaskUpdate(
                                renamed.fields().withSchedule(renamed.schedule().withScheduled(true))))
                .get();
        assertThat(scheduled.trace().asMap()).isEqualTo(RESCHEDULING_TRACE);
        assertThat(stored(scheduled).trace().asMap()).isEqualTo(RESCHEDULING_TRACE);
    }

    @Test
    void aSendByHandHandsBackTheTraceKeptWithTheTask() {
        observer.reportTrace(CREATING_TRACE);
        Task task = create(scheduledEmail().startAt(clock.instant().plus(Duration.ofHours(1))));
        observer.reportTrace(Map.of());

        engine.execute(TaskRef.of(Writes.ACTOR, tenant, task.id()), ExecuteRequest.rendered());

        assertThat(onlyExecution(task).scheduled()).isFalse();
        assertThat(onlyExecution(task).trace()).isEqualTo(CREATING_TRACE);
    }
}
