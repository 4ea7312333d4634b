package dev.taskengine.domain;

import java.util.Optional;

/**
 * Where a task's touch goes, derived from its contact: ManualEmail → email, Call and Sms → phone number,
 * LinkedIn → profile URL. ToDo, Meeting and WhatsApp tasks have none.
 */
public record DeliveryInfo(Optional<String> email, Optional<String> phoneNumber, Optional<String> linkedInUrl) {
    public DeliveryInfo {
        email = email == null ? Optional.empty() : email;
        phoneNumber = phoneNumber == null ? Optional.empty() : phoneNumber;
        linkedInUrl = linkedInUrl == null ? Optional.empty() : linkedInUrl;
    }

    /** The delivery info of a task of {@code type} for {@code contact}, or empty for types that have none. */
    public static Optional<DeliveryInfo> of(TaskType type, Contact contact) {
        return switch (type) {
            case MANUAL_EMAIL -> Optional.of(new DeliveryInfo(contact.email(), Optional.empty(), Optional.empty()));
            case CALL, SMS -> Optional.of(new DeliveryInfo(Optional.empty(), contact.phone(), Optional.empty()));
            case LINKED_IN -> Optional.of(new DeliveryInfo(Optional.empty(), Optional.empty(), contact.linkedInUrl()));
            case TO_DO, MEETING, WHATS_APP -> Optional.empty();
        };
    }
}
