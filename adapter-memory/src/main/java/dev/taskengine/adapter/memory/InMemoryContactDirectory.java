package dev.taskengine.adapter.memory;

import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.ContactDirectory;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A contact directory the host fills; thread-safe. */
public final class InMemoryContactDirectory implements ContactDirectory {
    private record Key(TenantId tenant, ContactId id) {}

    private final ConcurrentHashMap<Key, Contact> contacts = new ConcurrentHashMap<>();

    /** Adds or replaces a contact of {@code tenant}. */
    public InMemoryContactDirectory put(TenantId tenant, Contact contact) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(contact, "contact");
        contacts.put(new Key(tenant, contact.id()), contact);
        return this;
    }

    public void remove(TenantId tenant, ContactId id) {
        contacts.remove(new Key(tenant, id));
    }

    @Override
    public Optional<Contact> find(TenantId tenant, ContactId id) {
        return Optional.ofNullable(contacts.get(new Key(tenant, id)));
    }
}
