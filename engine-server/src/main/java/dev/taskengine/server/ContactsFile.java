package dev.taskengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.adapter.http.HttpApi;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a contacts file into an in-memory contact directory: a JSON array of contacts, each with {@code id} (a positive
 * integer, required), {@code firstName}, {@code lastName}, {@code email}, {@code phone}, {@code linkedInUrl},
 * {@code company}, {@code title} (strings) and {@code customFields} (an object of strings). A contact belongs to the
 * tenant its optional {@code tenant} field names, and otherwise to every tenant of the server's API keys.
 */
public final class ContactsFile {
    private static final Set<String> FIELDS = Set.of("id", "tenant", "firstName", "lastName", "email", "phone", "linkedInUrl",
            "company", "title", "customFields");
    private static final List<String> TEXT_FIELDS = List.of("firstName", "lastName", "email", "phone", "linkedInUrl", "company", "title");

    private ContactsFile() {}

    /** Answers how many contacts it read; an unusable file is refused with a message naming the place. */
    public static int load(Path file, Collection<TenantId> tenants, InMemoryContactDirectory directory) {
        ObjectMapper mapper = HttpApi.objectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("contacts file " + file + " cannot be read as JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("contacts file " + file + " holds a JSON array of contacts");
        }
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            String at = file + " at /" + i;
            if (!node.isObject()) {
                throw new IllegalArgumentException(at + ": a contact is a JSON object");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new IllegalArgumentException(at + "/" + name + ": unknown field; known: " + new java.util.TreeSet<>(FIELDS));
                }
            }
            JsonNode id = node.get("id");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
                throw new IllegalArgumentException(at + "/id: a contact id is a positive integer");
            }
            Contact.Builder contact = Contact.builder(id.longValue());
            for (String field : TEXT_FIELDS) {
                String value = text(node, field, at);
                if (value != null) {
                    switch (field) {
                        case "firstName" -> contact.firstName(value);
                        case "lastName" -> contact.lastName(value);
                        case "email" -> contact.email(value);
                        case "phone" -> contact.phone(value);
                        case "linkedInUrl" -> contact.linkedInUrl(value);
                        case "company" -> contact.company(value);
                        default -> contact.title(value);
                    }
                }
            }
            JsonNode custom = node.get("customFields");
            if (custom != null && !custom.isNull()) {
                if (!custom.isObject()) {
                    throw new IllegalArgumentException(at + "/customFields: an object of strings");
                }
                for (Map.Entry<String, JsonNode> field : custom.properties()) {
                    if (!field.getValue().isTextual()) {
                        throw new IllegalArgumentException(at + "/customFields/" + field.getKey() + ": a string");
                    }
                    contact.customField(field.getKey(), field.getValue().textValue());
                }
            }
            String tenant = text(node, "tenant", at);
            Contact built = contact.build();
            for (TenantId owner : tenant != null ? List.of(TenantId.of(tenant)) : tenants) {
                directory.put(owner, built);
            }
        }
        return root.size();
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(at + "/" + field + ": a string");
        }
        return value.textValue();
    }
}
