package dev.taskengine.example;

import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The embedding snippet of the README, kept compiling and tested (QuickStartTest checks the README quotes it). */
public final class QuickStart {
    private QuickStart() {}

    public static Rendering run() {
        // tag::quickstart[]
        TenantId acme = TenantId.of("acme");
        InMemoryContactDirectory contacts = new InMemoryContactDirectory()
                .put(
                        acme,
                        Contact.builder(1)
                                .firstName("Ada")
                                .email("ada@example.com")
                                .build());
        TaskEngine engine = TaskEngine.builder()
                .store(new InMemoryTaskStore()) // or adapter-jdbi's store for H2 / PostgreSQL
                .contacts(contacts)
                .clock(Clock.systemUTC())
                .build();

        Instant now = Instant.now();
        Task email = engine.create(NewTask.builder()
                        .tenant(acme)
                        .type(TaskType.MANUAL_EMAIL)
                        .contact(ContactId.of(1))
                        .assignee(UserId.of(7))
                        .startAt(now)
                        .dueTo(now.plus(Duration.ofDays(1)))
                        .template(Template.of(
                                "Hello {{firstName}}", "Hi {{default firstName \"there\"}}, shall we talk?"))
                        .build())
                .getOrElseThrow(error -> new IllegalArgumentException(error.message()));

        Rendering content = engine.get(acme, email.id(), true).get().content().orElseThrow();
        // content: Rendered[subject "Hello Ada", body "Hi Ada, shall we talk?"]
        // end::quickstart[]
        return content;
    }
}
