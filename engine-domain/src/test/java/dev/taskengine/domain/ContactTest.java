package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variables a contact offers to templates. */
class ContactTest {

    @Test
    void everyStandardFieldIsAVariable() {
        Contact contact = Contact.builder(11)
                .firstName("Ada")
                .lastName("Lovelace")
                .email("ada@example.com")
                .phone("+44 20 7946 0000")
                .linkedInUrl("https://www.linkedin.com/in/ada")
                .company("Analytical Engines")
                .title("CTO")
                .build();

        assertThat(contact.variables())
                .containsOnly(
                        entry("firstName", "Ada"),
                        entry("lastName", "Lovelace"),
                        entry("email", "ada@example.com"),
                        entry("phone", "+44 20 7946 0000"),
                        entry("linkedInUrl", "https://www.linkedin.com/in/ada"),
                        entry("company", "Analytical Engines"),
                        entry("title", "CTO"));
    }

    @Test
    void customFieldsAreVariablesByTheirName() {
        Contact contact =
                Contact.builder(11).customField("favouriteColour", "green").build();

        assertThat(contact.variables()).containsOnly(entry("favouriteColour", "green"));
    }

    @Test
    void absentFieldsAreNotVariables() {
        assertThat(Contact.builder(11).firstName("Ada").build().variables()).containsOnlyKeys("firstName");
    }

    @Test
    void blankStandardFieldsAreNotVariables() {
        Contact contact = Contact.builder(11)
                .firstName("Ada")
                .lastName("")
                .company("  ")
                .title("\t\n")
                .build();

        assertThat(contact.variables()).containsOnlyKeys("firstName");
    }

    @Test
    void blankCustomFieldsAreNotVariables() {
        Contact contact = Contact.builder(11)
                .customField("nickname", " ")
                .customField("team", "Core")
                .build();

        assertThat(contact.variables()).containsOnly(entry("team", "Core"));
    }

    @Test
    void aCustomFieldWithoutValueIsNotAVariable() {
        Contact contact = Contact.builder(11)
                .customField("nickname", null)
                .customField("team", "Core")
                .build();

        assertThat(contact.variables()).containsOnly(entry("team", "Core"));
    }

    @Test
    void aStandardFieldWinsOverACustomFieldOfTheSameName() {
        Contact contact = Contact.builder(11)
                .firstName("Ada")
                .customField("firstName", "Imposter")
                .build();

        assertThat(contact.variables()).containsEntry("firstName", "Ada");
    }

    @Test
    void aCustomFieldKeepsItsNameWhenTheStandardFieldIsBlank() {
        Contact contact = Contact.builder(11)
                .firstName(" ")
                .customField("firstName", "Addie")
                .build();

        assertThat(contact.variables()).containsOnly(entry("firstName", "Addie"));
    }

    @Test
    void theContactsCustomFieldsCannotBeChangedFromOutside() {
        Map<String, String> fields = new java.util.HashMap<>(Map.of("team", "Core"));
        Contact contact = new Contact(ContactId.of(11), null, null, null, null, null, null, null, fields, null);

        fields.put("team", "Other");

        assertThat(contact.variables()).containsOnly(entry("team", "Core"));
    }
}
