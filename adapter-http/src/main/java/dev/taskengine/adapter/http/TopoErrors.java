package dev.taskengine.adapter.http;

import dev.taskengine.domain.TaskError;

/**
 * The Topo dialect's status and issue type for each engine error, in one place. A {@link TaskError.Cases}: an error
 * case added to the family does not compile until it has an issue here.
 */
final class TopoErrors implements TaskError.Cases<TopoErrors.Issue> {
    static final TopoErrors ISSUE = new TopoErrors();

    /** A Topo error's status and {@code type}. */
    record Issue(int status, String type) {}

    private static final Issue VALIDATION = new Issue(400, "ValidationIssue");
    private static final Issue NOT_FOUND = new Issue(404, "NotFoundIssue");
    private static final Issue COMMIT = new Issue(409, "CommitIssue");
    private static final Issue BUSINESS = new Issue(422, "BusinessIssue");
    /** The type the adapter's own rate limit answers too; the two are told apart by {@code data.code}. */
    private static final Issue RATE_LIMIT = new Issue(429, "RateLimitIssue");

    private static final Issue BAD_GATEWAY = new Issue(502, "InternalIssue");

    private TopoErrors() {}

    static Issue issue(TaskError error) {
        return error.fold(ISSUE);
    }

    @Override
    public Issue invalidInput(TaskError.InvalidInput error) {
        return VALIDATION;
    }

    @Override
    public Issue notFound(TaskError.NotFound error) {
        return NOT_FOUND;
    }

    @Override
    public Issue versionConflict(TaskError.VersionConflict error) {
        return COMMIT;
    }

    @Override
    public Issue illegalTransition(TaskError.IllegalTransition error) {
        return BUSINESS;
    }

    @Override
    public Issue notExecutable(TaskError.NotExecutable error) {
        return BUSINESS;
    }

    @Override
    public Issue executionUnderWay(TaskError.ExecutionUnderWay error) {
        return COMMIT;
    }

    @Override
    public Issue deliveryFailed(TaskError.DeliveryFailed error) {
        return error.transientFailure() ? BAD_GATEWAY : BUSINESS;
    }

    @Override
    public Issue executionInsideTransaction(TaskError.ExecutionInsideTransaction error) {
        return COMMIT;
    }

    @Override
    public Issue sendingLimitReached(TaskError.SendingLimitReached error) {
        return RATE_LIMIT;
    }
}
