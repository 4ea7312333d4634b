package dev.taskengine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The most specific setting wins: account over tenant over defaults, sequence over tenant over defaults. */
class SendingSettingsTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final SendingAccount MAILBOX = SendingAccount.email(EmailAccountId.of(12));
    private static final SendingAccount OTHER_MAILBOX = SendingAccount.email(EmailAccountId.of(13));
    private static final SendingLimits DEFAULTS = SendingLimits.none().withPerDay(500);
    private static final SendingLimits ACMES = SendingLimits.none().withPerDay(100);
    private static final SendingLimits MAILBOXES = SendingLimits.none().withPerHour(10);
    private static final SendingWindows OFFICE_HOURS = SendingWindows.on(
            ZoneId.of("Europe/Berlin"),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            TimeRange.of("09:00", "17:00"));
    private static final SendingWindows MORNINGS = SendingWindows.on(
            ZoneId.of("Europe/Berlin"), EnumSet.allOf(DayOfWeek.class), TimeRange.of("08:00", "12:00"));

    private final SendingSettings settings = SendingSettings.builder()
            .defaultLimits(DEFAULTS)
            .tenantLimits(ACME, ACMES)
            .accountLimits(ACME, MAILBOX, MAILBOXES)
            .tenantWindows(ACME, OFFICE_HOURS)
            .sequenceWindows(ACME, SequenceId.of(42), MORNINGS)
            .tenantHolidays(ACME, Holidays.of(LocalDate.parse("2026-12-25")))
            .build();

    @Test
    void anAccountWithLimitsOfItsOwnHasThem() {
        assertThat(settings.limits(ACME, MAILBOX)).isEqualTo(MAILBOXES);
    }

    @Test
    void anAccountWithoutLimitsOfItsOwnHasItsTenants() {
        assertThat(settings.limits(ACME, OTHER_MAILBOX)).isEqualTo(ACMES);
    }

    @Test
    void aTenantWithoutLimitsOfItsOwnHasTheDefaults() {
        assertThat(settings.limits(GLOBEX, MAILBOX)).isEqualTo(DEFAULTS);
    }

    @Test
    void aSequenceWithWindowsOfItsOwnSendsInThem() {
        assertThat(settings.windows(ACME, Optional.of(SequenceId.of(42)))).isEqualTo(MORNINGS);
    }

    @Test
    void anotherSequenceAndATaskOfNoSequenceSendInTheTenantsWindows() {
        assertThat(settings.windows(ACME, Optional.of(SequenceId.of(43)))).isEqualTo(OFFICE_HOURS);
        assertThat(settings.windows(ACME, Optional.empty())).isEqualTo(OFFICE_HOURS);
    }

    @Test
    void unsetDefaultsAreAlwaysOpenWithoutHolidays() {
        assertThat(settings.windows(GLOBEX, Optional.empty())).isEqualTo(SendingWindows.always());
        assertThat(settings.holidays(GLOBEX)).isEqualTo(Holidays.none());
    }

    @Test
    void aTenantHasItsOwnHolidays() {
        assertThat(settings.holidays(ACME)).isEqualTo(Holidays.of(LocalDate.parse("2026-12-25")));
    }

    @Test
    void noRulesLimitNothing() {
        SendingRules none = SendingRules.none();
        assertThat(none.limits(ACME, MAILBOX).limited()).isFalse();
        assertThat(none.windows(ACME, Optional.empty())).isEqualTo(SendingWindows.always());
        assertThat(none.holidays(ACME)).isEqualTo(Holidays.none());
    }
}
