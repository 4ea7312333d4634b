package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.SendingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendingSettingsFileTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final SendingAccount EMAIL_12 = SendingAccount.email(EmailAccountId.of(12));
    static final SendingAccount EMAIL_13 = SendingAccount.email(EmailAccountId.of(13));
    static final SendingAccount SMS = SendingAccount.sms("+15550100");
    static final String VALID = """
            {"defaults": {"limits": {"perDay": 200},
                          "windows": {"zone": "Europe/Berlin",
                                      "days": {"MONDAY": [{"from": "09:00", "to": "17:00"}],
                                               "FRIDAY": [{"from": "09:00", "to": "12:00"}, {"from": "13:00", "to": "15:00"}]}},
                          "holidays": ["2026-12-25"]},
             "tenants": {"acme": {"limits": {"perDay": 50, "perHour": 10, "minimumGap": "PT30S", "jitter": "PT20S"},
                                  "accounts": {"email:12": {"perDay": 500}, "sms:+15550100": {}},
                                  "windows": {"zone": "America/New_York",
                                              "days": {"SATURDAY": [{"from": "22:00", "to": "02:00"}]}},
                                  "sequences": {"42": {"days": {"SUNDAY": [{"from": "00:00", "to": "00:00"}]}}},
                                  "holidays": ["2026-12-24"]}}}""";

    @TempDir
    Path dir;

    @Test
    void aTenantWithoutSettingsOfItsOwnHasTheDefaults() throws IOException {
        SendingSettings settings = load(VALID);

        assertThat(settings.limits(GLOBEX, EMAIL_12))
                .isEqualTo(SendingLimits.none().withPerDay(200));
        assertThat(settings.windows(GLOBEX, Optional.empty()))
                .isEqualTo(SendingWindows.on(
                                ZoneId.of("Europe/Berlin"),
                                EnumSet.of(DayOfWeek.MONDAY),
                                TimeRange.of("09:00", "17:00"))
                        .with(DayOfWeek.FRIDAY, TimeRange.of("09:00", "12:00"), TimeRange.of("13:00", "15:00")));
        assertThat(settings.holidays(GLOBEX)).isEqualTo(Holidays.of(LocalDate.parse("2026-12-25")));
    }

    @Test
    void aTenantsLimitsApplyToItsAccountsWithoutLimitsOfTheirOwn() throws IOException {
        assertThat(load(VALID).limits(ACME, EMAIL_13))
                .isEqualTo(SendingLimits.none()
                        .withPerDay(50)
                        .withPerHour(10)
                        .withMinimumGap(Duration.ofSeconds(30))
                        .withJitter(Duration.ofSeconds(20)));
    }

    @Test
    void anAccountsLimitsReplaceItsTenants() throws IOException {
        assertThat(load(VALID).limits(ACME, EMAIL_12))
                .isEqualTo(SendingLimits.none().withPerDay(500));
    }

    @Test
    void anEmptyLimitsObjectIsNoLimit() throws IOException {
        assertThat(load(VALID).limits(ACME, SMS)).isEqualTo(SendingLimits.none());
    }

    @Test
    void aTenantsWindowsReplaceTheDefaults() throws IOException {
        assertThat(load(VALID).windows(ACME, Optional.empty()))
                .isEqualTo(SendingWindows.on(
                        ZoneId.of("America/New_York"), EnumSet.of(DayOfWeek.SATURDAY), TimeRange.of("22:00", "02:00")));
    }

    @Test
    void aSequencesWindowsReplaceItsTenantsAndWithoutAZoneAreReadInUtc() throws IOException {
        assertThat(load(VALID).windows(ACME, Optional.of(SequenceId.of(42))))
                .isEqualTo(SendingWindows.on(ZoneOffset.UTC, EnumSet.of(DayOfWeek.SUNDAY), TimeRange.ALL_DAY));
    }

    @Test
    void aTenantsHolidaysReplaceTheDefaults() throws IOException {
        assertThat(load(VALID).holidays(ACME)).isEqualTo(Holidays.of(LocalDate.parse("2026-12-24")));
    }

    @Test
    void anEmptyObjectIsNoLimitNoWindowAndNoHoliday() throws IOException {
        SendingSettings settings = load("{}");

        assertThat(settings.limits(ACME, EMAIL_12)).isEqualTo(SendingLimits.none());
        assertThat(settings.windows(ACME, Optional.empty())).isEqualTo(SendingWindows.always());
        assertThat(settings.holidays(ACME)).isEqualTo(Holidays.none());
    }

    @Test
    void theExampleFileIsAccepted() {
        assertThat(SendingSettingsFile.load(Path.of("examples/sending-settings.json"))
                        .limits(ACME, EMAIL_12))
                .isEqualTo(SendingLimits.none().withPerDay(500));
    }

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnes() {
        assertThat(problems("{\"tenants\": {\"acme\": {\"limits\": {\"perDya\": 5}}}}"))
                .contains("/tenants/acme/limits/perDya: unknown field; known: [jitter, minimumGap, perDay, perHour]");
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() {
        assertThat(problems("{\"defaults\": {\"limits\": {\"perDay\": \"50\"}}}"))
                .contains("/defaults/limits/perDay: a whole number of sends, at least 1 (leave it out for no limit),"
                        + " not \"50\"");
    }

    @Test
    void aSectionThatIsNotAnObjectIsNamed() {
        assertThat(problems("{\"defaults\": {\"windows\": []}}"))
                .contains("/defaults/windows: an object with the fields [days, zone], not []");
    }

    @Test
    void aCountBelowOneIsNamed() {
        assertThat(problems("{\"defaults\": {\"limits\": {\"perHour\": 0}}}"))
                .contains("/defaults/limits/perHour: a whole number of sends, at least 1");
    }

    @Test
    void aBadDurationIsNamed() {
        assertThat(problems("{\"defaults\": {\"limits\": {\"minimumGap\": \"30 seconds\"}}}"))
                .contains("/defaults/limits/minimumGap: an ISO-8601 duration such as \"PT30S\"");
    }

    @Test
    void aNegativeDurationIsNamed() {
        assertThat(problems("{\"defaults\": {\"limits\": {\"minimumGap\": \"-PT5S\"}}}"))
                .contains("/defaults/limits/minimumGap: a duration that is not negative, not \"-PT5S\"");
    }

    @Test
    void jitterWithoutAMinimumGapIsNamed() {
        assertThat(problems("{\"defaults\": {\"limits\": {\"jitter\": \"PT5S\"}}}"))
                .contains("/defaults/limits/jitter: jitter lengthens the minimum gap: set a minimumGap with it");
    }

    @Test
    void aBadZoneIsNamed() {
        assertThat(problems(windows("{\"zone\": \"Europe/Berlinn\", \"days\": {\"MONDAY\": [{\"from\": \"09:00\","
                        + " \"to\": \"17:00\"}]}}")))
                .contains(
                        "/defaults/windows/zone: an IANA time zone such as \"Europe/Berlin\", not \"Europe/Berlinn\"");
    }

    @Test
    void anUnknownDayIsNamed() {
        assertThat(problems(windows("{\"days\": {\"Monday\": [{\"from\": \"09:00\", \"to\": \"17:00\"}]}}")))
                .contains("/defaults/windows/days/Monday: a day of the week, one of [MONDAY, TUESDAY, WEDNESDAY,"
                        + " THURSDAY, FRIDAY, SATURDAY, SUNDAY]");
    }

    @Test
    void aDayWithoutARangeIsNamed() {
        assertThat(problems(windows("{\"days\": {\"MONDAY\": []}}")))
                .contains("/defaults/windows/days/MONDAY: a non-empty array of time ranges");
    }

    @Test
    void windowsWithoutADayAreNamed() {
        assertThat(problems(windows("{\"zone\": \"Europe/Berlin\"}")))
                .contains("/defaults/windows/days: windows list at least one day");
    }

    @Test
    void aBadTimeIsNamed() {
        assertThat(problems(windows("{\"days\": {\"MONDAY\": [{\"from\": \"9am\", \"to\": \"17:00\"}]}}")))
                .contains("/defaults/windows/days/MONDAY/0/from: a local time such as \"09:00\", not \"9am\"");
    }

    @Test
    void anEmptyTimeRangeIsNamed() {
        assertThat(problems(windows("{\"days\": {\"MONDAY\": [{\"from\": \"09:00\", \"to\": \"09:00\"}]}}")))
                .contains("/defaults/windows/days/MONDAY/0: an empty time range 09:00–09:00");
    }

    @Test
    void aBadDateIsNamed() {
        assertThat(problems("{\"tenants\": {\"acme\": {\"holidays\": [\"2026-12-24\", \"2026-02-30\"]}}}"))
                .contains("/tenants/acme/holidays/1: a date such as \"2026-12-25\", not \"2026-02-30\"");
    }

    @Test
    void aBadAccountKeyIsNamed() {
        assertThat(problems("{\"tenants\": {\"acme\": {\"accounts\": {\"mail:12\": {}}}}}"))
                .contains("/tenants/acme/accounts/mail:12: a sending account is email:<account number> or"
                        + " sms:<sending identity>");
    }

    @Test
    void aBadSequenceIdIsNamed() {
        assertThat(problems("{\"tenants\": {\"acme\": {\"sequences\": {\"q2\": {}}}}}"))
                .contains("/tenants/acme/sequences/q2: a sequence id is a positive integer");
    }

    @Test
    void aBadTenantIdIsNamedAsAPointerWouldWriteIt() {
        assertThat(problems("{\"tenants\": {\"ac/me\": {}}}"))
                .contains("/tenants/ac~1me: a tenant id is 1 to 64 letters, digits");
    }

    @Test
    void aFileThatIsNotJsonIsRefused() {
        assertThat(problems("{\"defaults\": ")).contains("cannot be read as JSON");
    }

    @Test
    void everyProblemIsNamedAtOnce() throws IOException {
        Path file = Files.writeString(dir.resolve("sending.json"), """
                {"defaults": {"limits": {"perDay": 0}, "holidays": ["someday"]},
                 "tenants": {"acme": {"limits": {"jitter": "PT5S"},
                                      "accounts": {"email:x": {"perHour": 1}},
                                      "sequences": {"42": {"zone": "Mars/Olympus", "days": {"FUNDAY": []}}}}},
                 "extra": true}""");

        assertThatThrownBy(() -> SendingSettingsFile.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sending settings file " + file + " is refused, 8 problems:\n"
                        + "  /extra: unknown field; known: [defaults, tenants]\n"
                        + "  /defaults/limits/perDay: a whole number of sends, at least 1 (leave it out for no limit),"
                        + " not 0\n"
                        + "  /defaults/holidays/0: a date such as \"2026-12-25\", not \"someday\"\n"
                        + "  /tenants/acme/limits/jitter: jitter lengthens the minimum gap: set a minimumGap with it\n"
                        + "  /tenants/acme/accounts/email:x: a sending account is email:<account number> or"
                        + " sms:<sending identity>, at most 200 characters\n"
                        + "  /tenants/acme/sequences/42/zone: an IANA time zone such as \"Europe/Berlin\", not"
                        + " \"Mars/Olympus\"\n"
                        + "  /tenants/acme/sequences/42/days/FUNDAY: a day of the week, one of [MONDAY, TUESDAY,"
                        + " WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]\n"
                        + "  /tenants/acme/sequences/42/days/FUNDAY: a non-empty array of time ranges such as"
                        + " [{\"from\": \"09:00\", \"to\": \"17:00\"}] (leave the day out to close it)");
    }

    private static String windows(String windows) {
        return "{\"defaults\": {\"windows\": " + windows + "}}";
    }

    private SendingSettings load(String json) throws IOException {
        return SendingSettingsFile.load(Files.writeString(dir.resolve("sending.json"), json));
    }

    private String problems(String json) {
        try {
            SendingSettingsFile.load(Files.writeString(dir.resolve("sending.json"), json));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the file was accepted: " + json);
    }
}
