package dev.taskengine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a contacts file into an in-memory contact directory: a JSON array of contacts, each with {@code id} (a positive
 * integer, required), {@code firstName}, {@code lastName}, {@code email}, {@code phone}, {@code linkedInUrl},
 * {@code company}, {@code title} (strings), {@code customFields} (an object of strings) and {@code timeZone} (an IANA
 * zone such as {@code America/New_York}: the sending windows and holidays are read in it). A contact belongs to the
 * tenant its optional {@code tenant} field names, and otherwise to every tenant of the server's API keys.
 */
public final class ContactsFile {
    private static final Set<String> FIELDS = new TreeSet<>(Set.of(
            "id",
            "tenant",
            "firstName",
            "lastName",
            "email",
            "phone",
            "linkedInUrl",
            "company",
            "title",
            "customFields",
            "timeZone"));
    private static final ObjectMapper MAPPER = mapper();

    /** One contact of the file, as written. */
    record Entry(
            Long id,
            String tenant,
            String firstName,
            String lastName,
            String email,
            String phone,
            String linkedInUrl,
            String company,
            String title,
            Map<String, String> customFields,
            String timeZone) {}

    /** A contact read, and the tenants it goes to: nothing is put in the directory until the whole file is read. */
    private record Placed(Contact contact, List<TenantId> owners) {}

    private ContactsFile() {}

    /**
     * Answers how many contacts it read; an unusable file is refused with a message naming the place of every value
     * it cannot use (a file that is not JSON of the right shape, at its first such place).
     */
    public static int load(Path file, Collection<TenantId> tenants, InMemoryContactDirectory directory) {
        List<Entry> entries = read(file);
        List<String> problems = new ArrayList<>();
        List<Placed> contacts = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String at = file + " at /" + i;
            if (entry == null) {
                problems.add(at + ": a contact is a JSON object");
                continue;
            }
            int before = problems.size();
            if (entry.id() == null || entry.id() <= 0) {
                problems.add(at + "/id: a contact id is a positive integer");
            }
            if (entry.customFields() != null) {
                entry.customFields().forEach((name, value) -> {
                    if (value == null) {
                        problems.add(at + "/customFields/" + name + ": a string");
                    }
                });
            }
            Optional<ZoneId> timeZone = Optional.ofNullable(entry.timeZone()).flatMap(SendingSettingsFile::timeZone);
            if (entry.timeZone() != null && timeZone.isEmpty()) {
                problems.add(at + "/timeZone: " + SendingSettingsFile.TIME_ZONE + ", not \"" + entry.timeZone() + "\"");
            }
            List<TenantId> owners = List.copyOf(tenants);
            if (entry.tenant() != null) {
                try {
                    owners = List.of(TenantId.of(entry.tenant()));
                } catch (IllegalArgumentException e) {
                    problems.add(at + "/tenant: " + JsonSettingsReader.TENANT_ID);
                }
            }
            if (problems.size() > before) {
                continue;
            }
            Contact.Builder contact = Contact.builder(entry.id());
            Optional.ofNullable(entry.firstName()).ifPresent(contact::firstName);
            Optional.ofNullable(entry.lastName()).ifPresent(contact::lastName);
            Optional.ofNullable(entry.email()).ifPresent(contact::email);
            Optional.ofNullable(entry.phone()).ifPresent(contact::phone);
            Optional.ofNullable(entry.linkedInUrl()).ifPresent(contact::linkedInUrl);
            Optional.ofNullable(entry.company()).ifPresent(contact::company);
            Optional.ofNullable(entry.title()).ifPresent(contact::title);
            timeZone.ifPresent(contact::timeZone);
            if (entry.customFields() != null) {
                entry.customFields().forEach(contact::customField);
            }
            contacts.add(new Placed(contact.build(), owners));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        contacts.forEach(placed -> placed.owners().forEach(owner -> directory.put(owner, placed.contact())));
        return entries.size();
    }

    private static List<Entry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("contacts file " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            List<Entry> entries = MAPPER.readValue(bytes, new TypeReference<List<Entry>>() {});
            if (entries == null) {
                throw new IllegalArgumentException("contacts file " + file + " holds a JSON array of contacts");
            }
            return entries;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + " at " + pointer(e) + ": unknown field; known: " + FIELDS, e);
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(mismatch(file, e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "contacts file " + file + " cannot be read as JSON: "
                            + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()),
                    e);
        }
    }

    /** What a value of the wrong type should have been, at its place; never Jackson's words. */
    private static String mismatch(Path file, MismatchedInputException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return "contacts file " + file + " holds a JSON array of contacts";
        }
        String at = file + " at " + pointer(e);
        if (path.size() == 1) {
            return at + ": a contact is a JSON object";
        }
        String field = path.get(1).getFieldName();
        if (path.size() > 2) {
            return at + ": a string";
        }
        return at
                + switch (field == null ? "" : field) {
                    case "id" -> ": a contact id is a positive integer";
                    case "customFields" -> ": an object of strings";
                    default -> ": a string";
                };
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            pointer.append('/')
                    .append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
        }
        return pointer.toString();
    }

    private static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // A contact's values are written as what they are: no number read from a string, no string from a number.
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Map, LogicalType.POJO)) {
            for (CoercionInputShape shape : CoercionInputShape.values()) {
                if (shape != CoercionInputShape.EmptyString || type != LogicalType.Textual) {
                    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
        return mapper;
    }
}
