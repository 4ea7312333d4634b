package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where a task's touch goes: derived from its type and its contact. */
class DeliveryInfoTest {
    private static final Contact ADA = Contact.builder(11)
            .firstName("Ada")
            .email("ada@example.com")
            .phone("+44 20 7946 0000")
            .linkedInUrl("https://www.linkedin.com/in/ada")
            .build();

    @Test
    void aManualEmailGoesToTheEmailAddress() {
        assertThat(DeliveryInfo.of(TaskType.MANUAL_EMAIL, ADA))
                .contains(new DeliveryInfo(Optional.of("ada@example.com"), Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskType.class,
            names = {"CALL", "SMS"})
    void callsAndSmsGoToThePhoneNumber(TaskType type) {
        assertThat(DeliveryInfo.of(type, ADA))
                .contains(new DeliveryInfo(Optional.empty(), Optional.of("+44 20 7946 0000"), Optional.empty()));
    }

    @Test
    void aLinkedInTaskGoesToTheProfileUrl() {
        assertThat(DeliveryInfo.of(TaskType.LINKED_IN, ADA))
                .contains(new DeliveryInfo(
                        Optional.empty(), Optional.empty(), Optional.of("https://www.linkedin.com/in/ada")));
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskType.class,
            names = {"TO_DO", "MEETING", "WHATS_APP"})
    void toDosMeetingsAndWhatsAppTasksHaveNoDeliveryInfo(TaskType type) {
        assertThat(DeliveryInfo.of(type, ADA)).isEmpty();
    }

    @Test
    void aContactWithoutTheAddressGivesDeliveryInfoWithoutIt() {
        Contact noEmail = Contact.builder(12).phone("+1 555 0100").build();

        assertThat(DeliveryInfo.of(TaskType.MANUAL_EMAIL, noEmail))
                .contains(new DeliveryInfo(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void absentPartsAreEmptyNotNull() {
        DeliveryInfo info = new DeliveryInfo(null, null, null);

        assertThat(info.email()).isEmpty();
        assertThat(info.phoneNumber()).isEmpty();
        assertThat(info.linkedInUrl()).isEmpty();
    }
}
