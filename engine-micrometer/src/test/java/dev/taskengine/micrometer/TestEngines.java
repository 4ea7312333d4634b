package dev.taskengine.micrometer;

import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.ContactDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** What the tests that run a real engine share: a clock they move, a contact with a phone, scheduled SMS. */
final class TestEngines {
    static final Instant NOW = Instant.parse("2026-03-02T09:30:00Z");
    static final TenantId TENANT = TenantId.of("acme");
    static final Actor ACTOR = Actor.user(1);
    static final ContactId GRACE = ContactId.of(2);
    static final ContactDirectory CONTACTS = (tenant, id) -> tenant.equals(TENANT) && id.equals(GRACE)
            ? Optional.of(Contact.builder(2)
                    .firstName("Grace")
                    .phone("+1 202 555 0102")
                    .build())
            : Optional.empty();

    private TestEngines() {}

    /** A scheduled SMS to Grace, starting at {@code startAt}. */
    static NewTask scheduledSms(Instant startAt) {
        return NewTask.builder()
                .tenant(TENANT)
                .type(TaskType.SMS)
                .assignee(UserId.of(7))
                .contact(GRACE)
                .scheduled(true)
                .startAt(startAt)
                .dueTo(startAt.plus(Duration.ofHours(1)))
                .template(Template.of("Hi {{firstName}}"))
                .build();
    }

    static Task created(dev.taskengine.api.TaskEngine engine, NewTask task) {
        return engine.create(ACTOR, task).get();
    }

    /** A clock that stands still until moved. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
