package dev.taskengine.example;

import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.SendingRules;
import dev.taskengine.spi.SendingSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

        Actor rep = Actor.user(7); // who makes a change: kept in the task's history and on its event
        Instant now = Instant.now();
        Task email = engine.create(
                        rep,
                        NewTask.builder()
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

    /** The README's sending policy settings, kept compiling. */
    public static SendingRules sendingRules() {
        TenantId acme = TenantId.of("acme");
        // tag::sendingrules[]
        SendingRules rules = SendingSettings.builder()
                .defaultLimits(SendingLimits.none().withPerDay(200)) // every tenant's accounts
                .tenantLimits(
                        acme,
                        SendingLimits.none()
                                .withPerDay(50)
                                .withPerHour(10)
                                .withMinimumGap(Duration.ofSeconds(30))
                                .withJitter(Duration.ofSeconds(20)))
                .accountLimits(acme, SendingAccount.email(EmailAccountId.of(12)), SendingLimits.none()) // no limit
                .tenantWindows(
                        acme,
                        SendingWindows.on(
                                ZoneId.of("Europe/Berlin"),
                                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                                TimeRange.of("09:00", "12:00"),
                                TimeRange.of("13:00", "17:00")))
                .sequenceWindows(acme, SequenceId.of(42), SendingWindows.always(ZoneId.of("Europe/Berlin")))
                .tenantHolidays(acme, Holidays.of(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-26")))
                .build();
        // end::sendingrules[]
        return rules;
    }

    /**
     * A receiver's check of a webhook (Standard Webhooks): {@code header} is the {@code webhook-signature} header, whose
     * {@code v1,<base64>} entries are HMAC-SHA256 signatures of {@code id.timestamp.body}; the timestamp is at most five
     * minutes from {@code now}, so that a captured request cannot be replayed later.
     */
    public static boolean verified(String secret, String id, String timestamp, String body, String header, Instant now)
            throws GeneralSecurityException {
        // tag::webhookcheck[]
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        boolean signed = Arrays.stream(header.split(" "))
                .filter(entry -> entry.startsWith("v1,"))
                .anyMatch(entry ->
                        MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3))));
        return signed && Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) <= 300;
        // end::webhookcheck[]
    }
}
