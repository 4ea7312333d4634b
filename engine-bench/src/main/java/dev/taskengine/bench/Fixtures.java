package dev.taskengine.bench;

import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * What every benchmark works on: one prospect and one manual-email template with variables, the same for the engine
 * and for the peers (Flowable gets the subject as its task name and the body as its description).
 */
public final class Fixtures {
    public static final String SUBJECT = "Pilot for {{company}}";
    public static final String BODY =
            "Hi {{firstName}},\n\nthe pilot for {{company}} is ready: shall we walk through it on"
                    + " Thursday? Your team ({{title}}) gets access today.\n\n{{default signature \"Sam\"}}";
    public static final Template TEMPLATE = Template.of(SUBJECT, BODY);
    public static final ContactId CONTACT_ID = ContactId.of(1);
    public static final Contact CONTACT = Contact.builder(1)
            .firstName("Ada")
            .lastName("Lovelace")
            .email("ada@analytical.example")
            .phone("+44 20 7946 0001")
            .company("Analytical Engines")
            .title("CTO")
            .build();
    /** The contact's variables, as the engine derives them. */
    public static final Map<String, String> VARIABLES = CONTACT.variables();

    /** The owner, who makes every change a benchmark makes. */
    public static final UserId OWNER = UserId.of(7);

    public static final Actor ACTOR = Actor.user(OWNER);
    public static final UserId OTHER = UserId.of(8);

    private Fixtures() {}

    /** A tenant no other benchmark (nor an earlier run) uses. */
    public static TenantId tenant(String prefix) {
        return TenantId.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A directory that knows the prospect in {@code tenant}. */
    public static InMemoryContactDirectory contacts(TenantId tenant) {
        return new InMemoryContactDirectory().put(tenant, CONTACT);
    }

    /** A manual email to the prospect, assigned to {@link #OWNER}, starting now, due in a day. */
    public static NewTask email(TenantId tenant, Instant now) {
        return email(tenant, now, TEMPLATE);
    }

    public static NewTask email(TenantId tenant, Instant now, Template template) {
        Instant start = now.truncatedTo(ChronoUnit.MICROS);
        return NewTask.builder()
                .tenant(tenant)
                .type(TaskType.MANUAL_EMAIL)
                .contact(CONTACT_ID)
                .assignee(OWNER)
                .startAt(start)
                .dueTo(start.plus(Duration.ofDays(1)))
                .template(template)
                .build();
    }
}
