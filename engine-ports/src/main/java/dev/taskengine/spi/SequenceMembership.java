package dev.taskengine.spi;

import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;

/** The host's sequences: told when a completed task asks to finish its prospect in the sequence (Reply). */
@FunctionalInterface
public interface SequenceMembership {

    void finishProspect(TenantId tenant, SequenceId sequence, ContactId contact);

    static SequenceMembership none() {
        return (tenant, sequence, contact) -> {};
    }
}
