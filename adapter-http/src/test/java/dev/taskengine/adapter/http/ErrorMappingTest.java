package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingDecision;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the engine's error family, mapped in each dialect (the README's table, written out). */
class ErrorMappingTest {
    static final TaskId ID = TaskId.of(42);

    static Stream<Arguments> everyError() {
        return Stream.of(
                Arguments.of(TaskError.InvalidInput.of(Violation.of("task.x", "/x", "x")), 400, 400, "ValidationIssue"),
                Arguments.of(new TaskError.NotFound(ID), 404, 404, "NotFoundIssue"),
                Arguments.of(new TaskError.VersionConflict(ID, 2, 3), 409, 409, "CommitIssue"),
                Arguments.of(
                        new TaskError.IllegalTransition(TaskAction.SKIP, TaskStatus.FINISHED),
                        409,
                        422,
                        "BusinessIssue"),
                Arguments.of(new TaskError.NotExecutable(ID, TaskType.CALL), 400, 422, "BusinessIssue"),
                Arguments.of(new TaskError.ExecutionUnderWay(ID), 409, 409, "CommitIssue"),
                Arguments.of(new TaskError.DeliveryFailed(ID, "timeout", true), 502, 502, "InternalIssue"),
                Arguments.of(new TaskError.DeliveryFailed(ID, "bad address", false), 422, 422, "BusinessIssue"),
                Arguments.of(new TaskError.ExecutionInsideTransaction(ID), 409, 409, "CommitIssue"),
                Arguments.of(
                        new TaskError.SendingLimitReached(
                                ID,
                                SendingAccount.email(EmailAccountId.of(70)),
                                SendingDecision.DAILY_LIMIT,
                                Instant.parse("2026-03-03T10:00:00Z")),
                        429,
                        429,
                        "RateLimitIssue"));
    }

    @ParameterizedTest
    @MethodSource("everyError")
    void eachErrorHasItsStatusInReplyAndItsIssueInTopo(TaskError error, int reply, int topo, String topoType) {
        assertThat(ReplyErrors.status(error)).isEqualTo(reply);
        assertThat(TopoErrors.issue(error)).isEqualTo(new TopoErrors.Issue(topo, topoType));
    }

    @ParameterizedTest
    @MethodSource("everyError")
    void aFailureCarriesTheErrorsOwnCode(TaskError error, int reply, int topo, String topoType) {
        assertThat(Errors.code(new Refusal.Failure.Rejected(error))).isEqualTo(error.code());
    }

    @Test
    void anInvalidInputsPointersAreRenamedToTheRoutesFieldNames() {
        TaskError renamed =
                Errors.renamed(TaskError.InvalidInput.of(Violation.of("task.x", "/x", "x")), Map.of("/x", "/y"));

        assertThat(Errors.violationsOf(renamed)).contains(List.of(Violation.of("task.x", "/y", "x")));
    }

    @ParameterizedTest
    @MethodSource("everyError")
    void noOtherErrorHasViolations(TaskError error, int reply, int topo, String topoType) {
        assertThat(Errors.violationsOf(error).isPresent()).isEqualTo(error instanceof TaskError.InvalidInput);
    }
}
