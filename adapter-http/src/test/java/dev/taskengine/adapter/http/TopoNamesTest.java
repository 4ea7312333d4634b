package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topo's names for the domain's enums: the mapping the Topo dialect reads and writes. */
class TopoNamesTest {

    @ParameterizedTest
    @CsvSource({
        "NEW_LEAD_REVIEW, TO_DO",
        "CALL,            CALL",
        "LINKEDIN_REPLY,  LINKED_IN",
        "EMAIL_REPLY,     MANUAL_EMAIL"
    })
    void topoTaskTypesMapOntoOurs(String topoName, TaskType type) {
        assertThat(TopoNames.taskTypeFromTopo(topoName)).contains(type);
        assertThat(TopoNames.topoName(type)).contains(topoName);
    }

    @ParameterizedTest
    @CsvSource({"MEETING", "SMS", "WHATS_APP"})
    void someTaskTypesHaveNoTopoType(TaskType type) {
        assertThat(TopoNames.topoName(type)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"PENDING,     NEW", "IN_PROGRESS, IN_PROGRESS", "COMPLETED,   FINISHED", "SKIPPED,     SKIPPED"})
    void topoStatusesMapOntoOurs(String topoName, TaskStatus status) {
        assertThat(TopoNames.statusFromTopo(topoName)).contains(status);
        assertThat(TopoNames.topoName(status)).contains(topoName);
    }

    @ParameterizedTest
    @CsvSource({"CANCELLED", "ARCHIVED", "SEQUENCE_DETACHED"})
    void someStatusesHaveNoTopoStatus(TaskStatus status) {
        assertThat(TopoNames.topoName(status)).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "pending", "MEETING", "SMS", "CANCELLED", "FINISHED", "NEW", "TO_DO"})
    void anUnknownTopoNameMapsToNothing(String topoName) {
        assertThat(TopoNames.taskTypeFromTopo(topoName)).isEmpty();
        assertThat(TopoNames.statusFromTopo(topoName)).isEmpty();
    }

    @Test
    void topoPrioritiesDispositionsAndReopenReasonsAreTheUpperCaseNames() {
        assertThat(Stream.of(Priority.values()).map(TopoNames::topoName)).containsExactly("HOT", "TODAY", "EXTRA");
        assertThat(Stream.of(Disposition.values()).map(TopoNames::topoName))
                .containsExactly("ANSWERED", "VOICEMAIL_LEFT", "NO_ANSWER");
        assertThat(Stream.of(ReopenReason.values()).map(TopoNames::topoName))
                .containsExactly("REMINDER_RULE", "MANUAL");
    }

    @ParameterizedTest
    @CsvSource({"MEETING, MEETING", "SMS, SMS", "WHATS_APP, WHATS_APP", "EMAIL_REPLY, MANUAL_EMAIL"})
    void theTopoRoutesNameTypesTopoHasNoNameForUnderOurs(String name, TaskType type) {
        assertThat(TopoNames.wireName(type)).isEqualTo(name);
        assertThat(TopoNames.taskType(name)).contains(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MANUAL_EMAIL", "TO_DO", "LINKED_IN"})
    void ourNameOfATypeTopoNamesIsNotAcceptedOnTheTopoRoutes(String name) {
        assertThat(TopoNames.taskType(name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"CANCELLED, CANCELLED", "ARCHIVED, ARCHIVED", "SEQUENCE_DETACHED, SEQUENCE_DETACHED", "PENDING, NEW"})
    void theTopoRoutesNameStatusesTopoHasNoNameForUnderOurs(String name, TaskStatus status) {
        assertThat(TopoNames.wireName(status)).isEqualTo(name);
        assertThat(TopoNames.status(name)).contains(status);
    }
}
