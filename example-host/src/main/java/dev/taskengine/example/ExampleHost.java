package dev.taskengine.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.TaskSchema;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemoryEventLog;
import dev.taskengine.adapter.memory.InMemoryMessageSender;
import dev.taskengine.adapter.memory.InMemorySenderAccounts;
import dev.taskengine.api.BatchResult;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.FieldChange;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SendingSettings;
import dev.taskengine.store.TaskStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A host application that embeds the engine and walks one working day of a small sales team: tasks of every type for
 * three prospects, a three-step sequence, rendered content and delivery info, reassigning one task and then a whole
 * sequence, a call completed with its disposition, a skip and a reopen, an archive, a bad request answered with every
 * violation, "my tasks due today", the scheduler at work, and a scheduled email deferred by the sending windows to the
 * contact's morning, then sent; then the rep's working day: a snooze that ends by itself, a hand-over of one user's
 * open tasks to two others round-robin, and a task's history, newest first.
 */
public final class ExampleHost {
    private static final TenantId ACME = TenantId.of("acme");
    private static final UserId SAM = UserId.of(11);
    private static final UserId RIA = UserId.of(12);
    private static final UserId LEE = UserId.of(13);
    /** The team lead, who hands Lee's work over. */
    private static final UserId MIA = UserId.of(10);

    private static final Map<UserId, String> USERS = Map.of(SAM, "Sam", RIA, "Ria", LEE, "Lee", MIA, "Mia");
    /** Sam plans the day: most changes of the example are his. */
    private static final Actor AS_SAM = Actor.user(SAM);
    /** The host itself, for its own bookkeeping (the count of its runs). */
    private static final Actor HOST = Actor.system("exampleHost");

    private static final ZoneId KATHERINE_ZONE = ZoneId.of("America/New_York");
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("EEE HH:mm").withZone(ZoneOffset.UTC);

    /** Where the example keeps its tasks unless told otherwise: an H2 database in a file, so they outlive the run. */
    static final String DEFAULT_DATABASE = "jdbc:h2:file:./data/example-host;WRITE_DELAY=0";

    private static final TenantId RUNS = TenantId.of("example-host-runs");

    private final PrintStream out;
    private final Clock clock;
    private final TaskEngine engine;
    private final TaskStore store;
    private final String database;
    private TenantId acme = ACME;
    private final InMemoryEventLog events = new InMemoryEventLog();
    private final InMemoryMessageSender sender =
            new InMemoryMessageSender().failFor("+1 202 555 0102", "carrier rejected the number", false);
    private final Instant dayStart;
    private final InMemoryContactDirectory contacts = new InMemoryContactDirectory();
    private final InMemorySenderAccounts accounts = new InMemorySenderAccounts();

    ExampleHost(PrintStream out, Clock clock, TaskStore store, String database) {
        this.out = out;
        this.clock = clock;
        this.database = database;
        this.store = store;
        this.engine = TaskEngine.builder()
                .store(store)
                .contacts(contacts)
                .events(events)
                .sender(sender)
                .senderAccounts(accounts)
                .clock(clock)
                .build();
        this.dayStart = clock.instant().truncatedTo(ChronoUnit.DAYS);
    }

    /** The host's own records for this run's tenant: its prospects and its email accounts. */
    private void registerProspectsAndAccounts() {
        contacts.put(
                        acme,
                        Contact.builder(1)
                                .firstName("Ada")
                                .lastName("Lovelace")
                                .email("ada@analytical.example")
                                .phone("+44 20 7946 0001")
                                .linkedInUrl("https://www.linkedin.com/in/ada")
                                .company("Analytical Engines")
                                .title("CTO")
                                .build())
                .put(
                        acme,
                        Contact.builder(2)
                                .firstName("Grace")
                                .lastName("Hopper")
                                .phone("+1 202 555 0102")
                                .company("Compilers & Co")
                                .customField("meetingLink", "https://meet.example/grace")
                                .build())
                .put(
                        acme,
                        Contact.builder(3)
                                .firstName("Alan")
                                .lastName("Turing")
                                .email("alan@bletchley.example")
                                .phone("+44 1908 640404")
                                .linkedInUrl("https://www.linkedin.com/in/alan")
                                .company("Bletchley Labs")
                                .build())
                .put(
                        acme,
                        Contact.builder(4)
                                .firstName("Katherine")
                                .lastName("Johnson")
                                .email("katherine@langley.example")
                                .company("Langley Research")
                                .timeZone(KATHERINE_ZONE)
                                .build());
        accounts.userAccount(acme, SAM, EmailAccountId.of(1001))
                .sequenceAccount(acme, dev.taskengine.domain.SequenceId.of(501), EmailAccountId.of(2001));
    }

    /**
     * Runs the day on the database named by {@code TASKENGINE_DB_URL} (or the system property {@code taskengine.db.url}),
     * by default an H2 file under {@code ./data}. For PostgreSQL, one setting:
     * {@code TASKENGINE_DB_URL='jdbc:postgresql://127.0.0.1:5432/taskengine?user=taskengine&password=taskengine'}.
     */
    public static void main(String[] args) {
        String url = System.getenv()
                .getOrDefault("TASKENGINE_DB_URL", System.getProperty("taskengine.db.url", DEFAULT_DATABASE));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("example-host");
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            TaskSchema.migrate(pool);
            new ExampleHost(System.out, Clock.systemUTC(), new JdbiTaskStore(pool), withoutPassword(url)).walkTheDay();
        }
    }

    private static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    void walkTheDay() {
        section("0. The database: " + database);
        long earlierRuns = engine.query(
                        TaskQuery.forTenant(RUNS).limit(1).includeTotal().build())
                .get()
                .total()
                .orElse(0);
        long run = earlierRuns + 1;
        engine.create(
                        HOST,
                        NewTask.builder()
                                .tenant(RUNS)
                                .type(TaskType.TO_DO)
                                .assignee(SAM)
                                .startAt(clock.instant())
                                .dueTo(clock.instant().plusSeconds(60))
                                .template(Template.of("Example host run #" + run))
                                .build())
                .get();
        acme = TenantId.of(ACME + "-run-" + run);
        long earlierTasks = 0;
        for (long previous = 1; previous < run; previous++) {
            earlierTasks += engine.query(TaskQuery.forTenant(TenantId.of(ACME + "-run-" + previous))
                            .limit(1)
                            .includeTotal()
                            .build())
                    .get()
                    .total()
                    .orElse(0);
        }
        out.printf(
                "run #%d; %s%n",
                run,
                run == 1
                        ? "a fresh database"
                        : "the " + earlierTasks + " tasks of the " + earlierRuns + " earlier run(s) are still stored");
        out.printf("this run works in tenant %s%n", acme);
        registerProspectsAndAccounts();

        section("1. The morning: tasks of every type for three prospects");
        List<Task> tasks = new ArrayList<>();
        tasks.add(create(task(TaskType.TO_DO, null, SAM, 9, "Prepare the pricing sheet for Analytical Engines")));
        tasks.add(create(task(TaskType.CALL, 1, SAM, 10, "Call {{firstName}} about the pilot")
                .priority(Priority.HOT)));
        tasks.add(create(task(TaskType.MEETING, 2, SAM, 14, "Demo for {{firstName}}: {{meetingLink}}")));
        tasks.add(create(task(TaskType.LINKED_IN, 3, SAM, 11, "Connect with {{firstName}}")
                .linkedInTaskType(LinkedInTaskType.CONNECT)));
        tasks.add(create(
                task(TaskType.MANUAL_EMAIL, 1, SAM, 12, "Hi {{firstName}},\n\nthe pilot for {{company}} is ready.")
                        .template(Template.of(
                                "Pilot for {{company}}", "Hi {{firstName}}, the pilot for {{company}} is ready."))));
        tasks.add(create(
                task(TaskType.SMS, 2, SAM, 15, "Hi {{firstName}}, running 5 minutes late. {{default nickname \"\"}}")));
        tasks.add(create(task(TaskType.WHATS_APP, 3, SAM, 16, "Thanks for your time, {{firstName}}!")));
        printTasks(tasks);

        section("2. A sequence: \"Q2 outbound\" (id 501), three steps for Ada and Alan");
        List<Task> sequence = new ArrayList<>();
        for (int contact : new int[] {1, 3}) {
            sequence.add(create(task(
                            TaskType.MANUAL_EMAIL,
                            contact,
                            SAM,
                            9,
                            "Hello {{firstName}}, a quick idea for {{default company \"your team\"}}.")
                    .sequence(SequenceRef.of(501, 1, "Step 1 - Email"))));
            sequence.add(create(task(TaskType.CALL, contact, SAM, 13, "Follow-up call with {{firstName}}")
                    .sequence(SequenceRef.of(501, 2, "Step 2 - Call"))));
            sequence.add(create(task(TaskType.LINKED_IN, contact, SAM, 17, "Connect with {{firstName}}")
                    .linkedInTaskType(LinkedInTaskType.CONNECT)
                    .sequence(SequenceRef.of(501, 3, "Step 3 - LinkedIn"))));
        }
        printTasks(sequence);

        section("3. Rendered content and delivery info");
        Table details = new Table("id", "type", "delivery", "content");
        for (Task task : List.of(tasks.get(4), tasks.get(5), tasks.get(1), sequence.get(0))) {
            TaskDetail detail = engine.get(acme, task.id(), true).get();
            details.row(task.id(), task.type().wireName(), delivery(detail), content(detail));
        }
        out.print(details.render());

        section("4. Reassign one task to Ria, then the whole sequence to Lee");
        Task reassigned = engine.reassign(TaskRef.of(AS_SAM, acme, tasks.get(2).id()), RIA, ReassignScope.TASK)
                .get()
                .task();
        out.printf(
                "task %s (%s) now belongs to %s%n",
                reassigned.id(), reassigned.type().wireName(), name(reassigned.assignedUserId()));
        int moved = engine.reassign(TaskRef.of(AS_SAM, acme, sequence.get(1).id()), LEE, ReassignScope.SEQUENCE)
                .get()
                .reassigned()
                .size();
        out.printf("sequence 501: %d active tasks moved to %s in one step%n", moved, name(LEE));

        section("5. Work: a call answered, a skip and a reopen, a cancel and an archive");
        Task call = engine.complete(
                        TaskRef.of(AS_SAM, acme, tasks.get(1).id()), Completion.withDisposition(Disposition.ANSWERED))
                .get();
        out.printf(
                "call %s finished at %s, disposition %s%n",
                call.id(),
                TIME.format(call.times().finishedAt().orElseThrow()),
                call.callOutcome().disposition().map(Disposition::wireName).orElse("-"));
        Task skipped = engine.skip(TaskRef.of(AS_SAM, acme, tasks.get(6).id())).get();
        out.printf(
                "whatsApp %s skipped at %s%n",
                skipped.id(), TIME.format(skipped.times().skippedAt().orElseThrow()));
        Task reopened = engine.reopen(TaskRef.of(AS_SAM, acme, skipped.id()), ReopenReason.REMINDER_RULE)
                .get();
        out.printf(
                "whatsApp %s reopened (%s): status %s%n",
                reopened.id(),
                reopened.reopening().orElseThrow().reason().wireName(),
                reopened.status().wireName());
        engine.cancel(TaskRef.of(AS_SAM, acme, tasks.get(0).id())).get();
        Task archived =
                engine.archive(TaskRef.of(AS_SAM, acme, tasks.get(0).id())).get();
        out.printf(
                "toDo %s cancelled, then %s%n", archived.id(), archived.status().wireName());
        TaskError refused =
                engine.start(TaskRef.of(AS_SAM, acme, archived.id())).getLeft();
        out.printf("starting it again is refused: %s (%s)%n", refused.code(), refused.message());

        section("6. A bad request is answered with every violation, and nothing is stored");
        NewTask bad = NewTask.builder()
                .tenant(acme)
                .type(TaskType.SMS)
                .assignee(UserId.of(0))
                .linkedInTaskType(LinkedInTaskType.IN_MAIL)
                .startAt(Instant.parse("2014-12-31T23:59:59Z"))
                .dueTo(Instant.parse("2014-12-31T23:59:59Z"))
                .template(Template.of("Hi {{firstName}, {{#each deals}}{{/each}}"))
                .build();
        TaskError.InvalidInput invalid =
                (TaskError.InvalidInput) engine.create(AS_SAM, bad).getLeft();
        Table violations = new Table("code", "pointer", "message");
        invalid.violations().forEach(v -> violations.row(v.code(), v.pointer(), v.message()));
        out.print(violations.render());

        section("7. Batch complete: one call per id, failures reported per id");
        BatchResult batch = engine.completeAll(
                        AS_SAM,
                        acme,
                        List.of(tasks.get(3).id(), tasks.get(1).id(), TaskId.of(999_999)),
                        Completion.done())
                .get();
        out.printf("completed %s%n", batch.succeeded());
        batch.failures().forEach((id, error) -> out.printf("  %s refused: %s%n", id, error.code()));

        section("8. Lee's tasks due today, soonest first");
        TaskQuery dueToday = TaskQuery.forTenant(acme)
                .assignee(LEE)
                .active()
                .startingBetween(dayStart, dayStart.plus(1, ChronoUnit.DAYS))
                .sort(TaskSort.DUE_TO_ASC)
                .includeTotal()
                .build();
        var page = engine.query(dueToday).get();
        printTasks(page.tasks());
        out.printf("%d of %d shown%n", page.tasks().size(), page.total().orElse(0));

        section("9. Execution: an email sent by hand, then the scheduler at work");
        Task sent = engine.execute(TaskRef.of(AS_SAM, acme, tasks.get(4).id())).get();
        out.printf(
                "manualEmail %s executed: %s, its template is now the content sent%n",
                sent.id(), sent.status().wireName());
        Instant now = clock.instant();
        Task scheduledEmail = create(task(TaskType.MANUAL_EMAIL, 3, SAM, 0, "Hi {{firstName}}, here is the deck.")
                .startAt(now)
                .dueTo(now.plus(Duration.ofHours(1)))
                .scheduled(true));
        Task scheduledSms = create(task(TaskType.SMS, 2, SAM, 0, "Hi {{firstName}}, see you at 3.")
                .startAt(now)
                .dueTo(now.plus(Duration.ofHours(1)))
                .scheduled(true));
        try (TaskScheduler scheduler =
                engine.scheduler(SchedulerOptions.defaults().withPollInterval(Duration.ofMillis(50)))) {
            scheduler.start();
            waitFor(() ->
                    !engine.get(acme, scheduledEmail.id(), false).get().task().active()
                            && engine.get(acme, scheduledSms.id(), false)
                                    .get()
                                    .task()
                                    .failure()
                                    .failed());
        }
        Table outcomes = new Table("id", "type", "status", "failed", "reason");
        for (Task task : List.of(scheduledEmail, scheduledSms)) {
            Task current = engine.get(acme, task.id(), false).get().task();
            outcomes.row(
                    current.id(),
                    current.type().wireName(),
                    current.status().wireName(),
                    current.failure().failed(),
                    current.failure().reason().orElse("-"));
        }
        out.print(outcomes.render());
        Table outbox = new Table("to", "from account", "idempotency key", "subject", "body");
        for (OutgoingMessage message : sender.sent()) {
            outbox.row(
                    message.to(),
                    message.emailAccount().map(Object::toString).orElse("-"),
                    message.idempotencyKey(),
                    message.subject().orElse("-"),
                    message.body().replace("\n", " "));
        }
        out.print(outbox.render());

        section("10. Sending windows: a scheduled email deferred to the contact's morning, then sent");
        deferThenSend();

        WorkingDay afternoon = new WorkingDay(clock.instant());
        Task followUp = engine.get(acme, sequence.get(1).id(), false).get().task();

        section("11. Snooze: Lee's follow-up call hidden from \"my tasks now\" for two hours, back by itself");
        afternoon.snooze(followUp);

        section("12. Hand-over: Lee is out; Mia hands his open tasks to Sam and Ria, round-robin");
        afternoon.handOver(LEE, List.of(SAM, RIA), sequence.get(5).id());

        section("13. The follow-up call's history, newest first");
        afternoon.printHistory(followUp.id());

        section("14. What the event publisher saw");
        Map<String, Long> counts = new java.util.TreeMap<>();
        events.events().forEach(e -> counts.merge(e.type().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
        out.println(counts);
    }

    /**
     * A second engine on the same store, with sending windows and a clock the example moves: weekdays 09:00–17:00,
     * read in the contact's time zone. An email that comes due at 18:00 there is deferred to the next 09:00, and sent
     * when the clock gets there.
     */
    private void deferThenSend() {
        LocalDate day = dayStart.atZone(ZoneOffset.UTC).toLocalDate();
        while (!WEEKDAYS.contains(day.getDayOfWeek())) {
            day = day.plusDays(1);
        }
        Instant evening = day.atTime(18, 0).atZone(KATHERINE_ZONE).toInstant();
        SettableClock policyClock = new SettableClock(evening);
        TaskEngine policyEngine = TaskEngine.builder()
                .store(store)
                .contacts(contacts)
                .events(events)
                .sender(sender)
                .senderAccounts(accounts)
                .sendingRules(SendingSettings.builder()
                        .defaultWindows(SendingWindows.on(ZoneOffset.UTC, WEEKDAYS, TimeRange.of("09:00", "17:00")))
                        .build())
                .clock(policyClock)
                .build();
        out.printf("windows Mon-Fri 09:00-17:00 in the contact's time zone; Katherine's is %s%n", KATHERINE_ZONE);
        Task email = policyEngine
                .create(
                        AS_SAM,
                        NewTask.builder()
                                .tenant(acme)
                                .type(TaskType.MANUAL_EMAIL)
                                .assignee(SAM)
                                .contact(ContactId.of(4))
                                .startAt(evening)
                                .dueTo(evening.plus(Duration.ofHours(2)))
                                .template(Template.of(
                                        "A note for {{company}}", "Hi {{firstName}}, a note for the morning."))
                                .scheduled(true)
                                .build())
                .getOrElseThrow(error -> new IllegalStateException(error.message()));
        try (TaskScheduler scheduler = policyEngine.scheduler(SchedulerOptions.defaults())) {
            scheduler.pollOnce();
            Task deferred = policyEngine.get(acme, email.id(), false).get().task();
            Deferral deferral = deferred.deferral()
                    .orElseThrow(() -> new IllegalStateException("the email due at 18:00 was not deferred"));
            out.printf(
                    "clock %s (%s UTC): manualEmail %s due, still %s, deferred until %s (%s)%n",
                    local(evening),
                    TIME.format(evening),
                    deferred.id(),
                    deferred.status().wireName(),
                    local(deferral.until()),
                    deferral.reason());
            policyClock.set(deferral.until());
            scheduler.pollOnce();
        }
        Task sent = policyEngine.get(acme, email.id(), false).get().task();
        String recipient = sender.sent().stream()
                .filter(message -> message.idempotencyKey().startsWith(acme + "/" + sent.id() + "/"))
                .map(OutgoingMessage::to)
                .findFirst()
                .orElse("nobody");
        out.printf(
                "clock moved to %s, pollOnce: manualEmail %s %s, sent to %s%n",
                local(policyClock.instant()), sent.id(), sent.status().wireName(), recipient);
    }

    /**
     * The rep's working day on a third engine over the same store, with a clock the example moves: a snooze that ends
     * by itself, a hand-over of one user's open tasks, a note, and a task's history.
     */
    private final class WorkingDay {
        private final SettableClock dayClock;
        private final TaskEngine dayEngine;

        WorkingDay(Instant start) {
            this.dayClock = new SettableClock(start);
            this.dayEngine = TaskEngine.builder()
                    .store(store)
                    .contacts(contacts)
                    .events(events)
                    .sender(sender)
                    .senderAccounts(accounts)
                    .clock(dayClock)
                    .build();
        }

        void snooze(Task task) {
            UserId owner = task.assignedUserId();
            Actor asOwner = Actor.user(owner);
            Instant until = dayClock.instant().plus(Duration.ofHours(2));
            Table moments = new Table("clock", "what happened", name(owner) + "'s tasks now", "hidden");
            moments.row(TIME.format(dayClock.instant()), "before the snooze", tasksNow(owner), hidden(owner));
            Task snoozed = dayEngine
                    .snooze(TaskRef.of(asOwner, acme, task.id()), until)
                    .getOrElseThrow(error -> new IllegalStateException(error.message()));
            dayEngine
                    .addNote(TaskRef.of(asOwner, acme, task.id()), "Ada asked to be called after lunch")
                    .getOrElseThrow(error -> new IllegalStateException(error.message()));
            moments.row(
                    TIME.format(dayClock.instant()),
                    snoozed.type().wireName() + " " + snoozed.id() + " snoozed until "
                            + TIME.format(snoozed.snoozedUntil().orElseThrow()),
                    tasksNow(owner),
                    hidden(owner));
            dayClock.set(until);
            moments.row(
                    TIME.format(dayClock.instant()),
                    "the snooze ends, nobody acts: back",
                    tasksNow(owner),
                    hidden(owner));
            out.print(moments.render());
        }

        /** The ids of {@code user}'s active tasks that are not hidden now ("my tasks now"), soonest due first. */
        private String tasksNow(UserId user) {
            return ids(TaskQuery.forTenant(acme).assignee(user).active().hidden(false));
        }

        private String hidden(UserId user) {
            return ids(TaskQuery.forTenant(acme).assignee(user).active().hidden(true));
        }

        private String ids(TaskQuery.Builder query) {
            List<Task> found = dayEngine
                    .query(query.sort(TaskSort.DUE_TO_ASC).build())
                    .get()
                    .tasks();
            return found.isEmpty()
                    ? "-"
                    : String.join(
                            " ", found.stream().map(t -> t.id().toString()).toList());
        }

        /** {@code from} finishes {@code finishedFirst} before leaving; then every active task of theirs is handed over. */
        void handOver(UserId from, List<UserId> to, TaskId finishedFirst) {
            Task done = dayEngine
                    .complete(TaskRef.of(Actor.user(from), acme, finishedFirst), Completion.done())
                    .getOrElseThrow(error -> new IllegalStateException(error.message()));
            out.printf(
                    "before leaving, %s finishes %s %s: %s%n",
                    name(from), done.type().wireName(), done.id(), done.status().wireName());
            List<Task> before = dayEngine
                    .query(TaskQuery.forTenant(acme)
                            .assignee(from)
                            .sort(TaskSort.CREATED_AT_ASC)
                            .build())
                    .get()
                    .tasks();
            HandOver handOver = HandOver.of(Actor.user(MIA), acme, from, to.toArray(UserId[]::new));
            HandOverReport report = dayEngine.handOver(handOver).get();
            Map<TaskId, HandOverReport.Move> moves = new java.util.HashMap<>();
            report.moved().forEach(move -> moves.put(move.taskId(), move));
            Table table = new Table("id", "type", "status", "sequence step", "now with", "why");
            for (Task task : before) {
                HandOverReport.Move move = moves.get(task.id());
                TaskError refused = report.notMoved().get(task.id());
                table.row(
                        task.id(),
                        task.type().wireName(),
                        task.status().wireName(),
                        task.origin()
                                .sequence()
                                .flatMap(SequenceRef::stepDisplayName)
                                .orElse("-"),
                        move != null ? name(move.to()) : name(from),
                        move != null
                                ? "moved (v" + move.version() + ")"
                                : refused != null
                                        ? "not moved: " + refused.code()
                                        : "not moved: " + task.status().wireName() + ", only active tasks move");
            }
            out.print(table.render());
            out.printf(
                    "%d moved in %d batch(es), %d refused; %s has %d active tasks left%n",
                    report.moved().size(), report.batches(), report.notMoved().size(), name(from), activeTasks(from));
            HandOverReport again = dayEngine.handOver(handOver).get();
            out.printf(
                    "run again: %d moved, no task moves twice%n", again.moved().size());
        }

        private long activeTasks(UserId user) {
            return dayEngine
                    .query(TaskQuery.forTenant(acme)
                            .assignee(user)
                            .active()
                            .includeTotal()
                            .build())
                    .get()
                    .total()
                    .orElse(0);
        }

        void printHistory(TaskId id) {
            List<HistoryEntry> entries = dayEngine
                    .history(HistoryQuery.forTask(acme, id).build())
                    .get()
                    .entries();
            Table table = new Table("at", "actor", "type", "status", "changed (old -> new)", "reason / note");
            for (HistoryEntry entry : entries) {
                table.row(
                        TIME.format(entry.at()),
                        actor(entry.actor()),
                        entry.type().name().toLowerCase(java.util.Locale.ROOT),
                        status(entry.statusBefore()) + " -> " + status(entry.statusAfter()),
                        changes(entry),
                        entry.note().or(entry::reason).orElse("-"));
            }
            out.print(table.render());
        }
    }

    private static String actor(Actor actor) {
        return actor instanceof Actor.User user ? name(user.id()) : actor.wireName();
    }

    private static String status(Optional<TaskStatus> status) {
        return status.map(TaskStatus::wireName).orElse("-");
    }

    /** The fields a write changed; a creation lists only who and when the task is for, to keep the table short. */
    private static String changes(HistoryEntry entry) {
        List<String> shown = new ArrayList<>();
        for (FieldChange change : entry.changes()) {
            if (entry.type() == dev.taskengine.domain.TaskEventType.CREATED
                    && !Set.of("assignedUserId", "startAt", "dueTo").contains(change.field())) {
                continue;
            }
            shown.add(change.field() + " " + value(change.field(), change.before()) + " -> "
                    + value(change.field(), change.after()));
        }
        return shown.isEmpty() ? "-" : String.join("; ", shown);
    }

    private static String value(String field, Optional<String> value) {
        if (value.isEmpty()) {
            return "-";
        }
        if (field.equals("assignedUserId")) {
            return name(UserId.of(Long.parseLong(value.get())));
        }
        try {
            return TIME.format(Instant.parse(value.get()));
        } catch (java.time.format.DateTimeParseException notATime) {
            return value.get();
        }
    }

    /** An instant as Katherine's wall clock shows it. */
    private static String local(Instant at) {
        return TIME.withZone(KATHERINE_ZONE).format(at) + " New York";
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private NewTask.Builder task(TaskType type, Integer contact, UserId assignee, int hour, String body) {
        Instant start = dayStart.plus(hour, ChronoUnit.HOURS);
        NewTask.Builder builder = NewTask.builder()
                .tenant(acme)
                .type(type)
                .assignee(assignee)
                .startAt(start)
                .dueTo(start.plus(Duration.ofHours(2)))
                .template(Template.of(body));
        return contact == null ? builder : builder.contact(ContactId.of(contact));
    }

    private Task create(NewTask.Builder task) {
        return engine.create(AS_SAM, task.build()).getOrElseThrow(error -> new IllegalStateException(error.message()));
    }

    private void printTasks(List<Task> tasks) {
        Table table = new Table("id", "type", "status", "priority", "assignee", "contact", "sequence", "start", "due");
        for (Task task : tasks) {
            table.row(
                    task.id(),
                    task.type().wireName(),
                    task.status().wireName(),
                    task.fields().priority().wireName(),
                    name(task.assignedUserId()),
                    task.fields().contactId().map(Object::toString).orElse("-"),
                    task.origin()
                            .sequence()
                            .flatMap(SequenceRef::stepDisplayName)
                            .orElse("-"),
                    TIME.format(task.schedule().startAt()),
                    TIME.format(task.schedule().dueTo()));
        }
        out.print(table.render());
    }

    private static String delivery(TaskDetail detail) {
        return detail.deliveryInfo()
                .map(d -> d.email().or(d::phoneNumber).or(d::linkedInUrl).orElse("(contact has none)"))
                .orElse("-");
    }

    private static String content(TaskDetail detail) {
        Rendering rendering = detail.content().orElseThrow();
        if (rendering instanceof Rendering.Rendered rendered) {
            String subject =
                    rendered.content().subject().map(s -> "[" + s + "] ").orElse("");
            return subject + rendered.content().body().replace("\n", " ");
        }
        return "missing variables: " + ((Rendering.MissingVariables) rendering).names();
    }

    private static String name(UserId user) {
        return USERS.getOrDefault(user, user.toString());
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    /** For tests: runs the day on {@code store} and answers what it printed. */
    static String transcript(Clock clock, TaskStore store) {
        var buffer = new java.io.ByteArrayOutputStream();
        PrintStream stream = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8);
        new ExampleHost(stream, clock, store, "in memory").walkTheDay();
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
