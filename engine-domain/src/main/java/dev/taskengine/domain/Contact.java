package dev.taskengine.domain;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A prospect as the contact directory knows it: the variables a template can use and the delivery targets.
 *
 * <p>Template variables are {@code firstName}, {@code lastName}, {@code email}, {@code phone}, {@code linkedInUrl},
 * {@code company}, {@code title} and every custom field by its name; a standard field wins over a custom field of the
 * same name.
 *
 * <p>{@code timeZone} is where the contact lives (an IANA zone such as {@code America/New_York}): the sending policy
 * reads sending windows and holidays in it. Without one, in the windows' own zone.
 */
public record Contact(
        ContactId id,
        Optional<String> firstName,
        Optional<String> lastName,
        Optional<String> email,
        Optional<String> phone,
        Optional<String> linkedInUrl,
        Optional<String> company,
        Optional<String> title,
        Map<String, String> customFields,
        Optional<ZoneId> timeZone) {

    public Contact {
        Objects.requireNonNull(id, "id");
        firstName = orEmpty(firstName);
        lastName = orEmpty(lastName);
        email = orEmpty(email);
        phone = orEmpty(phone);
        linkedInUrl = orEmpty(linkedInUrl);
        company = orEmpty(company);
        title = orEmpty(title);
        customFields = customFields == null ? Map.of() : withValues(customFields);
        timeZone = timeZone == null ? Optional.empty() : timeZone;
    }

    public static Builder builder(long id) {
        return new Builder(ContactId.of(id));
    }

    /** Every non-blank value a template can reference, by variable name. */
    public Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>(2 * (customFields.size() + 7));
        customFields.forEach((name, value) -> putIfPresent(variables, name, Optional.ofNullable(value)));
        putIfPresent(variables, "firstName", firstName);
        putIfPresent(variables, "lastName", lastName);
        putIfPresent(variables, "email", email);
        putIfPresent(variables, "phone", phone);
        putIfPresent(variables, "linkedInUrl", linkedInUrl);
        putIfPresent(variables, "company", company);
        putIfPresent(variables, "title", title);
        return variables;
    }

    private static void putIfPresent(Map<String, String> variables, String name, Optional<String> value) {
        if (value.isPresent() && !value.get().isBlank()) {
            variables.put(name, value.get());
        }
    }

    /** A copy without the fields that have no name or no value (a directory may hand over nulls). */
    private static Map<String, String> withValues(Map<String, String> fields) {
        Map<String, String> copy = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.put(name, value);
            }
        });
        return Map.copyOf(copy);
    }

    private static Optional<String> orEmpty(Optional<String> value) {
        return value == null ? Optional.empty() : value;
    }

    /** Fluent construction for hosts and tests. */
    public static final class Builder {
        private final ContactId id;
        private String firstName;
        private String lastName;
        private String email;
        private String phone;
        private String linkedInUrl;
        private String company;
        private String title;
        private final Map<String, String> customFields = new LinkedHashMap<>();
        private ZoneId timeZone;

        private Builder(ContactId id) {
            this.id = id;
        }

        public Builder firstName(String value) {
            this.firstName = value;
            return this;
        }

        public Builder lastName(String value) {
            this.lastName = value;
            return this;
        }

        public Builder email(String value) {
            this.email = value;
            return this;
        }

        public Builder phone(String value) {
            this.phone = value;
            return this;
        }

        public Builder linkedInUrl(String value) {
            this.linkedInUrl = value;
            return this;
        }

        public Builder company(String value) {
            this.company = value;
            return this;
        }

        public Builder title(String value) {
            this.title = value;
            return this;
        }

        public Builder customField(String name, String value) {
            this.customFields.put(name, value);
            return this;
        }

        /** Where the contact lives, for sending windows and holidays. */
        public Builder timeZone(ZoneId value) {
            this.timeZone = value;
            return this;
        }

        public Contact build() {
            return new Contact(
                    id,
                    Optional.ofNullable(firstName),
                    Optional.ofNullable(lastName),
                    Optional.ofNullable(email),
                    Optional.ofNullable(phone),
                    Optional.ofNullable(linkedInUrl),
                    Optional.ofNullable(company),
                    Optional.ofNullable(title),
                    customFields,
                    Optional.ofNullable(timeZone));
        }
    }
}
