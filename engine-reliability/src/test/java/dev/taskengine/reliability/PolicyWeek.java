package dev.taskengine.reliability;

import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingSettings;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The world of the sending-policy proof: 2,000 scheduled emails of one tenant, from 5 sending accounts (one per user,
 * each its default account) limited to 50 per rolling 24 hours, 10 per rolling hour and 30 s apart, to contacts in 4
 * time zones, sent on weekdays 09:00–17:00 in the recipient's local time, never on the two holidays. The start times
 * spread over the first three days from Monday 2026-03-02 00:00 UTC, so that the first days are crowded and the
 * limits bind; New York moves to summer time on Sunday 2026-03-08, in the middle of the run.
 *
 * <p>The same world is built in the test JVM and in every worker JVM: everything in it follows from the tenant.
 */
final class PolicyWeek {
    static final int TASKS = 2000;
    static final int ACCOUNTS = 5;
    static final int PER_DAY = 50;
    static final int PER_HOUR = 10;
    static final Duration MINIMUM_GAP = Duration.ofSeconds(30);
    static final SendingLimits LIMITS =
            SendingLimits.none().withPerDay(PER_DAY).withPerHour(PER_HOUR).withMinimumGap(MINIMUM_GAP);

    static final List<ZoneId> ZONES = List.of(
            ZoneId.of("America/New_York"),
            ZoneId.of("Europe/Berlin"),
            ZoneId.of("Asia/Tokyo"),
            ZoneId.of("Australia/Sydney"));
    static final Set<DayOfWeek> SENDING_DAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    static final LocalTime OPENS = LocalTime.of(9, 0);
    static final LocalTime CLOSES = LocalTime.of(17, 0);
    /** A Wednesday and a Tuesday: sending days, so that they bind. */
    static final Set<LocalDate> HOLIDAYS = Set.of(LocalDate.parse("2026-03-04"), LocalDate.parse("2026-03-10"));

    /** Monday 2026-03-02 00:00 UTC. */
    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

    static final Duration START_SPREAD = Duration.ofDays(3);
    /** The run fails if a task is still unsent after this much simulated time. */
    static final Duration BOUND = Duration.ofDays(28);

    private static final long FIRST_USER = 100;
    private static final long FIRST_ACCOUNT = 9000;
    private static final long SEED = 20260302L;

    final TenantId tenant;

    PolicyWeek(TenantId tenant) {
        this.tenant = tenant;
    }

    static ZoneId zoneOf(long contact) {
        return ZONES.get((int) (contact % ZONES.size()));
    }

    static String emailOf(long contact) {
        return "contact-" + contact + "@example.com";
    }

    /** The contact an address of {@link #emailOf} belongs to. */
    static long contactOf(String email) {
        return Long.parseLong(email.substring("contact-".length(), email.indexOf('@')));
    }

    private static UserId user(int account) {
        return UserId.of(FIRST_USER + account);
    }

    private static EmailAccountId account(int account) {
        return EmailAccountId.of(FIRST_ACCOUNT + account);
    }

    /** One contact per task, each in the zone {@link #zoneOf} gives. */
    ContactDirectory contacts() {
        return (t, id) -> t.equals(tenant) && id.value() >= 1 && id.value() <= TASKS
                ? Optional.of(Contact.builder(id.value())
                        .firstName("Prospect" + id.value())
                        .email(emailOf(id.value()))
                        .timeZone(zoneOf(id.value()))
                        .build())
                : Optional.empty();
    }

    /** Each user sends from a default account of their own. */
    SenderAccounts accounts() {
        return new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId t, UserId user) {
                long index = user.value() - FIRST_USER;
                return t.equals(tenant) && index >= 0 && index < ACCOUNTS
                        ? Optional.of(account((int) index))
                        : Optional.empty();
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId t, SequenceId sequence) {
                return Optional.empty();
            }

            @Override
            public boolean usable(TenantId t, UserId user, EmailAccountId account) {
                return defaultAccount(t, user).map(account::equals).orElse(false);
            }
        };
    }

    SendingSettings settings() {
        SendingSettings.Builder settings = SendingSettings.builder()
                // The zone of the windows is the one of a recipient without a zone of their own: here, nobody.
                .tenantWindows(tenant, SendingWindows.on(ZoneOffset.UTC, SENDING_DAYS, TimeRange.of("09:00", "17:00")))
                .tenantHolidays(tenant, Holidays.of(HOLIDAYS.toArray(LocalDate[]::new)));
        for (int a = 0; a < ACCOUNTS; a++) {
            settings.accountLimits(tenant, SendingAccount.email(account(a)), LIMITS);
        }
        return settings.build();
    }

    /** The tasks, the same on every call: task {@code i} goes to contact {@code i + 1}, from a seeded account. */
    List<NewTask> tasks() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<NewTask> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            Instant startAt = START.plusSeconds(random.nextLong(START_SPREAD.toSeconds()));
            tasks.add(NewTask.builder()
                    .tenant(tenant)
                    .type(TaskType.MANUAL_EMAIL)
                    .contact(ContactId.of(i + 1))
                    .assignee(user(random.nextInt(ACCOUNTS)))
                    .template(Template.of("Hello", "Hi {{firstName}}"))
                    .scheduled(true)
                    .startAt(startAt)
                    .dueTo(startAt.plus(Duration.ofDays(60)))
                    .build());
        }
        return tasks;
    }

    /** Whether sending is open at {@code at} in {@code zone}, judged here, independently of the engine. */
    static boolean insideWindow(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        return SENDING_DAYS.contains(local.getDayOfWeek()) && !time.isBefore(OPENS) && time.isBefore(CLOSES);
    }

    static boolean onHoliday(Instant at, ZoneId zone) {
        return HOLIDAYS.contains(at.atZone(zone).toLocalDate());
    }
}
