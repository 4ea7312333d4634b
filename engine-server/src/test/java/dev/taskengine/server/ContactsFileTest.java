package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactsFileTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");

    @Test
    void contactsGoToEveryTenantUnlessTheyNameOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), """
                [{"id": 1, "firstName": "Ada", "email": "ada@analytical.example", "customFields": {"meetingLink": "m"}},
                 {"id": 2, "firstName": "Grace", "tenant": "globex"}]""");
        InMemoryContactDirectory directory = new InMemoryContactDirectory();

        assertThat(ContactsFile.load(file, List.of(ACME, GLOBEX), directory)).isEqualTo(2);

        assertThat(directory.find(ACME, ContactId.of(1)).orElseThrow().variables())
                .containsEntry("firstName", "Ada")
                .containsEntry("meetingLink", "m");
        assertThat(directory.find(GLOBEX, ContactId.of(1))).isPresent();
        assertThat(directory.find(ACME, ContactId.of(2))).isEmpty();
        assertThat(directory.find(GLOBEX, ContactId.of(2))).isPresent();
    }

    @Test
    void anUnknownFieldIsRefusedNamingItsPlace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), "[{\"id\": 1}, {\"id\": 2, \"emial\": \"x\"}]");

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), new InMemoryContactDirectory()))
                .hasMessageContaining("/1/emial");
    }

    @Test
    void anUnknownFieldIsRefusedNamingTheKnownOnesInOurWords(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), "[{\"id\": 2, \"emial\": \"x\"}]");

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), new InMemoryContactDirectory()))
                .hasMessage(file
                        + " at /0/emial: unknown field; known: [company, customFields, email, firstName, id, lastName,"
                        + " linkedInUrl, phone, tenant, timeZone, title]");
    }

    @Test
    void aNumberWhereTextBelongsIsRefusedNamingItsPlace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), "[{\"id\": 1, \"phone\": 442079460001}]");

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), new InMemoryContactDirectory()))
                .hasMessage(file + " at /0/phone: a string");
    }

    @Test
    void aContactIdThatIsNotAPositiveIntegerIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), "[{\"id\": \"1\"}]");

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), new InMemoryContactDirectory()))
                .hasMessage(file + " at /0/id: a contact id is a positive integer");
    }

    @Test
    void aContactsTimeZoneGoesWithTheContact(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(dir.resolve("contacts.json"), "[{\"id\": 1, \"timeZone\": \"America/New_York\"}]");
        InMemoryContactDirectory directory = new InMemoryContactDirectory();

        ContactsFile.load(file, List.of(ACME), directory);

        assertThat(directory.find(ACME, ContactId.of(1)).orElseThrow().timeZone())
                .contains(ZoneId.of("America/New_York"));
    }

    @Test
    void aBadTimeZoneIsRefusedNamingItsPlace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), "[{\"id\": 1, \"timeZone\": \"EST5\"}]");

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), new InMemoryContactDirectory()))
                .hasMessage(file + " at /0/timeZone: an IANA time zone such as \"Europe/Berlin\", not \"EST5\"");
    }

    @Test
    void everyUnusableContactIsNamedAtOnceAndNoneIsStored(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("contacts.json"),
                "[{\"id\": 0}, {\"id\": 2, \"timeZone\": \"Nowhere/Land\"}, {\"id\": 3}]");
        InMemoryContactDirectory directory = new InMemoryContactDirectory();

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), directory))
                .hasMessage(file + " at /0/id: a contact id is a positive integer\n" + file
                        + " at /1/timeZone: an IANA time zone such as \"Europe/Berlin\", not \"Nowhere/Land\"");
        assertThat(directory.find(ACME, ContactId.of(3))).isEmpty();
    }

    @Test
    void aBadTenantIsRefusedNamingItsPlace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contacts.json"), "[{\"id\": 1, \"tenant\": \"ac me\"}]");

        assertThatThrownBy(() -> ContactsFile.load(file, List.of(ACME), new InMemoryContactDirectory()))
                .hasMessage(file + " at /0/tenant: a tenant id is 1 to 64 letters, digits, '.', '_', ':' or '-',"
                        + " starting with a letter or digit");
    }
}
