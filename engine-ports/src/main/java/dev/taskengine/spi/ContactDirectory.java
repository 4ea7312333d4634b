package dev.taskengine.spi;

import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.TenantId;
import java.util.Optional;

/** The host's prospects: template variables and delivery targets. */
public interface ContactDirectory {

    Optional<Contact> find(TenantId tenant, ContactId id);

    /** A directory that knows no contact. */
    static ContactDirectory none() {
        return (tenant, id) -> Optional.empty();
    }
}
