package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.RecordingSender;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.OutgoingMessage;
import io.vavr.control.Either;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile templates and hostile contact values, through the engine on every adapter: a contact value holding HTML or
 * script is escaped in email bodies and left as plain text for SMS; a value that looks like a template is never
 * rendered (not when sent, not after the task is reopened, not when it is sent again); no template reads a file or a
 * classpath resource; no template calls a method or prints the whole contact.
 */
class TemplateHostilityTest {
    private static final String SCRIPT = "<script>alert('x')</script>";
    private static final String IMG = "\"><img src=x onerror=alert(1)>";
    private static final String QUOTES = "O'Brien & \"Sons\" = `1`";
    private static final String MARKER = "SECRET-FILE-MARKER-" + UUID.randomUUID();

    private static final Contact HOSTILE = Contact.builder(1)
            .firstName(SCRIPT)
            .lastName(QUOTES)
            .company(IMG)
            .email("victim@example.com")
            .phone("+1 555 0100")
            .build();
    private static final Contact LOOKS_LIKE_A_TEMPLATE = Contact.builder(2)
            .firstName("{{lastName}}")
            .lastName("Lovelace")
            .company("{{> partial}}")
            .title("{{#if}}{{/if}}{{default}}{{")
            .email("ada@example.com")
            .phone("+1 555 0101")
            .build();
    private static final Contact PLAIN = Contact.builder(3)
            .firstName("Ada")
            .email("plain@example.com")
            .phone("+1 555 0102")
            .build();
    private static final Contact METHOD_NAMED_FIELDS = Contact.builder(4)
            .firstName("Ada")
            .email("m@example.com")
            .phone("+1 555 0104")
            .customField("class", "Economy")
            .customField("getClass", "gc")
            .build();
    private static final Map<ContactId, Contact> CONTACTS = Map.of(
            HOSTILE.id(),
            HOSTILE,
            LOOKS_LIKE_A_TEMPLATE.id(),
            LOOKS_LIKE_A_TEMPLATE,
            PLAIN.id(),
            PLAIN,
            METHOD_NAMED_FIELDS.id(),
            METHOD_NAMED_FIELDS);

    private TenantId tenant;
    private RecordingSender sender;
    private TaskEngine engine;

    private void setUp(Adapter adapter) {
        tenant = TenantId.of("rel-hostile-" + UUID.randomUUID());
        sender = new RecordingSender();
        TenantId owner = tenant;
        engine = TaskEngine.builder()
                .store(adapter.store())
                .contacts((t, id) -> t.equals(owner) ? Optional.ofNullable(CONTACTS.get(id)) : Optional.empty())
                .senderAccounts(World.accounts())
                .sender(sender)
                .clock(new MutableClock(NOW))
                .templates(World.TEMPLATES)
                .build();
    }

    private Task create(TaskType type, long contact, Template template) {
        return engine.create(
                        Writes.ACTOR,
                        newToDo(tenant)
                                .type(type)
                                .contact(ContactId.of(contact))
                                .template(template)
                                .build())
                .getOrElseThrow(e -> new AssertionError("refused: " + e.message()));
    }

    private OutgoingMessage executeAndGetMessage(Task task) {
        Either<TaskError, Task> executed = engine.execute(TaskRef.of(Writes.ACTOR, tenant, task.id()));
        assertThat(executed.isRight()).as("executed: %s", executed).isTrue();
        List<OutgoingMessage> sent = sender.calls().stream()
                .filter(m -> m.taskId().equals(task.id()))
                .toList();
        return sent.get(sent.size() - 1);
    }

    private Content content(Task task) {
        Rendering rendering =
                engine.get(tenant, task.id(), true).get().content().orElseThrow();
        assertThat(rendering).isInstanceOf(Rendering.Rendered.class);
        return ((Rendering.Rendered) rendering).content();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void htmlAndScriptInContactValuesAreEscapedInEmailAndPlainInSms(Adapter adapter) {
        setUp(adapter);
        Template template = Template.of("For {{company}}", "Hi {{firstName}} {{lastName}} from {{company}}");
        Task email = create(TaskType.MANUAL_EMAIL, 1, template);
        Task sms = create(TaskType.SMS, 1, Template.of("Hi {{firstName}} {{lastName}} from {{company}}"));

        String escaped =
                "Hi &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Sons&quot; &#x3D; &#x60;1&#x60;"
                        + " from &quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;";
        assertThat(content(email).body()).isEqualTo(escaped);
        assertThat(content(email).subject()).as("a subject is plain text").hasValue("For " + IMG);
        OutgoingMessage sentEmail = executeAndGetMessage(email);
        assertThat(sentEmail.body()).isEqualTo(escaped).doesNotContain("<script", "<img", "'", "\"");
        assertThat(sentEmail.subject()).hasValue("For " + IMG);

        String plain = "Hi " + SCRIPT + " " + QUOTES + " from " + IMG;
        assertThat(content(sms).body()).isEqualTo(plain);
        assertThat(executeAndGetMessage(sms).body())
                .as("SMS is plain text, as written")
                .isEqualTo(plain);
        Figures.report(
                "template hostility on %s: HTML and script in contact values escaped in email bodies (%d characters"
                        + " escaped), plain in SMS and subjects",
                adapter.label(), escaped.length() - plain.length());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void aContactValueThatLooksLikeATemplateIsNeverRendered(Adapter adapter) {
        setUp(adapter);
        Task email = create(
                TaskType.MANUAL_EMAIL,
                2,
                Template.of("About {{company}}", "Hi {{firstName}}, {{title}} at {{company}}"));
        Task sms = create(TaskType.SMS, 2, Template.of("Hi {{firstName}} at {{company}} {{title}}"));
        Task call = create(TaskType.CALL, 2, Template.of("Call {{firstName}} about {{company}}"));

        OutgoingMessage first = executeAndGetMessage(email);
        assertThat(first.body()).isEqualTo("Hi {{lastName}}, {{#if}}{{/if}}{{default}}{{ at {{&gt; partial}}");
        assertThat(first.subject()).hasValue("About {{> partial}}");
        OutgoingMessage firstSms = executeAndGetMessage(sms);
        assertThat(firstSms.body()).isEqualTo("Hi {{lastName}} at {{> partial}} {{#if}}{{/if}}{{default}}{{");
        Task done = engine.complete(TaskRef.of(Writes.ACTOR, tenant, call.id()), Completion.done())
                .get();
        assertThat(done.fields().template().body()).isEqualTo("Call {{lastName}} about {{> partial}}");

        for (Task task : List.of(email, sms, call)) {
            Task reopened = engine.reopen(TaskRef.of(Writes.ACTOR, tenant, task.id()), ReopenReason.MANUAL)
                    .getOrElseThrow(e -> new AssertionError("reopen refused: " + e.message()));
            Content shown = content(reopened);
            assertThat(shown.body())
                    .as("the final content is shown as it was sent or done")
                    .doesNotContain("Lovelace");
        }
        OutgoingMessage again = executeAndGetMessage(email);
        assertThat(again.body()).as("sent again as it was sent the first time").isEqualTo(first.body());
        assertThat(executeAndGetMessage(sms).body()).isEqualTo(firstSms.body());
        Figures.report(
                "template hostility on %s: contact values that look like templates ({{lastName}}, {{> partial}}, {{#if}},"
                        + " {{default}}, an unclosed {{) sent as text by email and SMS, kept as text when completed, shown and sent again as"
                        + " text after reopening",
                adapter.label());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void noTemplateReadsAFileOrAClasspathResource(Adapter adapter) throws IOException {
        setUp(adapter);
        Path secret = Path.of("target", "hostile", "secret.hbs").toAbsolutePath();
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, MARKER);
        Path classpathSecret = Path.of("target", "test-classes", "secret.hbs").toAbsolutePath();
        Files.writeString(classpathSecret, MARKER);
        List<String> attempts = List.of(
                "{{> secret}}",
                "{{> secret.hbs}}",
                "{{> " + secret + "}}",
                "{{> target/hostile/secret}}",
                "{{> file://" + secret + "}}",
                "{{> classpath:/secret}}",
                "{{> /secret}}",
                "{{> corpus/index.txt}}",
                "{{#> secret}}x{{/secret}}",
                "{{> (lookup this 'secret')}}",
                "{{~> secret~}}",
                "{{#*inline \"x\"}}{{> secret}}{{/inline}}");
        int refused = 0;
        for (String attempt : attempts) {
            for (TaskType type : List.of(TaskType.MANUAL_EMAIL, TaskType.SMS)) {
                Either<TaskError, Task> created = engine.create(
                        Writes.ACTOR,
                        newToDo(tenant)
                                .type(type)
                                .contact(ContactId.of(3))
                                .template(Template.of("s", "Hi " + attempt))
                                .build());
                assertThat(created.isLeft()).as("%s is refused", attempt).isTrue();
                assertThat(((TaskError.InvalidInput) created.getLeft()).violations())
                        .extracting(Violation::pointer)
                        .contains("/template/body");
                assertThat(created.getLeft().message()).doesNotContain(MARKER);
                refused++;
            }
        }
        // A partial that reaches a stored task as a contact's value is sent as text, never loaded.
        Task email = create(TaskType.MANUAL_EMAIL, 2, Template.of("x", "{{company}}"));
        assertThat(executeAndGetMessage(email).body())
                .isEqualTo("{{&gt; partial}}")
                .doesNotContain(MARKER);
        assertThat(engine.query(TaskQuery.forTenant(tenant).includeTotal().build())
                        .get()
                        .total())
                .hasValue(1);
        assertThat(sender.calls())
                .allSatisfy(m -> assertThat(m.body() + m.subject()).doesNotContain(MARKER));
        Files.delete(classpathSecret);
        Figures.report(
                "template hostility on %s: %d attempts to read a file or a classpath resource refused, nothing read",
                adapter.label(), refused);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void noTemplateCallsAMethod(Adapter adapter) {
        setUp(adapter);
        for (String path : List.of(
                "{{firstName.getClass}}",
                "{{firstName.class}}",
                "{{firstName.bytes}}",
                "{{firstName.length}}",
                "{{this.getClass}}",
                "{{@root.getClass}}",
                "{{firstName.class.classLoader}}",
                "{{default firstName.toString \"x\"}}",
                "{{#if firstName.empty}}x{{/if}}",
                "{{lookup firstName \"class\"}}",
                "{{this}}",
                "{{.}}",
                "{{#each this}}{{@key}}{{/each}}")) {
            Either<TaskError, Task> created = engine.create(
                    Writes.ACTOR,
                    newToDo(tenant)
                            .type(TaskType.SMS)
                            .contact(ContactId.of(3))
                            .template(Template.of(path))
                            .build());
            assertThat(created.isLeft()).as("%s is refused", path).isTrue();
        }
        // Names of Java methods are plain variable names: they resolve in the contact's values only, never by
        // reflection.
        Task sms = create(
                TaskType.SMS, 3, Template.of("{{getClass}} {{class}} {{hashCode}} {{toString}} {{length}} {{bytes}}"));
        Either<TaskError, Task> refused = engine.execute(TaskRef.of(Writes.ACTOR, tenant, sms.id()));
        assertThat(refused.getLeft()).isInstanceOf(TaskError.InvalidInput.class);
        assertThat(((TaskError.InvalidInput) refused.getLeft()).violations())
                .extracting(Violation::code)
                .containsOnly("task.template.variable.missing")
                .hasSize(6);
        Task named = create(TaskType.SMS, 4, Template.of("{{class}} / {{getClass}}"));
        assertThat(executeAndGetMessage(named).body()).isEqualTo("Economy / gc");
        assertThat(sender.calls()).allSatisfy(m -> assertThat(m.body()).doesNotContain("java.", "class dev.", "@"));
        Figures.report(
                "template hostility on %s: 13 method-call and path templates refused; Java method names (getClass, class,"
                        + " hashCode, toString, length, bytes) resolve only as the contact's own values, never by reflection",
                adapter.label());
    }

    @Test
    void noTemplatePrintsTheWholeContact() {
        setUp(Adapter.MEMORY);
        for (String source : List.of("Hi {{default}}", "{{#if}}has values{{/if}}", "{{#unless}}none{{/unless}}")) {
            Either<TaskError, Task> created = engine.create(
                    Writes.ACTOR,
                    newToDo(tenant)
                            .type(TaskType.SMS)
                            .contact(ContactId.of(4))
                            .template(Template.of(source))
                            .build());
            if (created.isRight()) {
                Either<TaskError, Task> sent = engine.execute(
                        TaskRef.of(Writes.ACTOR, tenant, created.get().id()));
                assertThat(sent.isLeft())
                        .as(
                                "%s was accepted and sent as %s",
                                source,
                                sender.calls().isEmpty()
                                        ? "nothing"
                                        : sender.calls()
                                                .get(sender.calls().size() - 1)
                                                .body())
                        .isTrue();
            }
            assertThat(created.isLeft())
                    .as("%s is refused when created", source)
                    .isTrue();
        }
    }
}
