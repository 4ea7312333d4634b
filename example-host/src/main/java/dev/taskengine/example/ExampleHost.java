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
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
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
import java.util.Set;

/**
 * A host application that embeds the engine and walks one working day of a small sales team: tasks of every type for
 * three prospects, a three-step sequence, rendered content and delivery info, reassigning one task and then a whole
 * sequence, a call completed with its disposition, a skip and a reopen, an archive, a bad request answered with every
 * violation, "my tasks due today", the scheduler at work, and a scheduled email deferred by the sending windows to the
 * contact's morning, then sent.
 */
public final class ExampleHost {
    private static final TenantId ACME = TenantId.of("acme");
    private static final UserId SAM = UserId.of(11);
    private static final UserId RIA = UserId.of(12);
    private static final UserId LEE = UserId.of(13);
    private static final Map<UserId, String> USERS = Map.of(SAM, "Sam", RIA, "Ria", LEE, "Lee");
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
        engine.create(NewTask.builder()
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
        Task reassigned = engine.reassign(TaskRef.of(acme, tasks.get(2).id()), RIA, ReassignScope.TASK)
                .get()
                .task();
        out.printf(
                "task %s (%s) now belongs to %s%n",
                reassigned.id(), reassigned.type().wireName(), name(reassigned.assignedUserId()));
        int moved = engine.reassign(TaskRef.of(acme, sequence.get(1).id()), LEE, ReassignScope.SEQUENCE)
                .get()
                .reassigned()
                .size();
        out.printf("sequence 501: %d active tasks moved to %s in one step%n", moved, name(LEE));

        section("5. Work: a call answered, a skip and a reopen, a cancel and an archive");
        Task call = engine.complete(
                        TaskRef.of(acme, tasks.get(1).id()), Completion.withDisposition(Disposition.ANSWERED))
                .get();
        out.printf(
                "call %s finished at %s, disposition %s%n",
                call.id(),
                TIME.format(call.times().finishedAt().orElseThrow()),
                call.callOutcome().disposition().map(Disposition::wireName).orElse("-"));
        Task skipped = engine.skip(TaskRef.of(acme, tasks.get(6).id())).get();
        out.printf(
                "whatsApp %s skipped at %s%n",
                skipped.id(), TIME.format(skipped.times().skippedAt().orElseThrow()));
        Task reopened = engine.reopen(TaskRef.of(acme, skipped.id()), ReopenReason.REMINDER_RULE)
                .get();
        out.printf(
                "whatsApp %s reopened (%s): status %s%n",
                reopened.id(),
                reopened.reopening().orElseThrow().reason().wireName(),
                reopened.status().wireName());
        engine.cancel(TaskRef.of(acme, tasks.get(0).id())).get();
        Task archived = engine.archive(TaskRef.of(acme, tasks.get(0).id())).get();
        out.printf(
                "toDo %s cancelled, then %s%n", archived.id(), archived.status().wireName());
        TaskError refused = engine.start(TaskRef.of(acme, archived.id())).getLeft();
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
                (TaskError.InvalidInput) engine.create(bad).getLeft();
        Table violations = new Table("code", "pointer", "message");
        invalid.violations().forEach(v -> violations.row(v.code(), v.pointer(), v.message()));
        out.print(violations.render());

        section("7. Batch complete: one call per id, failures reported per id");
        BatchResult batch = engine.completeAll(
                        acme, List.of(tasks.get(3).id(), tasks.get(1).id(), TaskId.of(999_999)), Completion.done())
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
        Task sent = engine.execute(TaskRef.of(acme, tasks.get(4).id())).get();
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

        section("11. What the event publisher saw");
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
                .create(NewTask.builder()
                        .tenant(acme)
                        .type(TaskType.MANUAL_EMAIL)
                        .assignee(SAM)
                        .contact(ContactId.of(4))
                        .startAt(evening)
                        .dueTo(evening.plus(Duration.ofHours(2)))
                        .template(Template.of("A note for {{company}}", "Hi {{firstName}}, a note for the morning."))
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
        return engine.create(task.build()).getOrElseThrow(error -> new IllegalStateException(error.message()));
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
