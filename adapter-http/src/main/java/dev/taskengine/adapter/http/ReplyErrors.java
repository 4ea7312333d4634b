package dev.taskengine.adapter.http;

import dev.taskengine.domain.TaskError;

/**
 * The Reply dialect's status for each engine error, in one place. A {@link TaskError.Cases}: an error case added to the
 * family does not compile until it has a status here.
 */
final class ReplyErrors implements TaskError.Cases<Integer> {
    static final ReplyErrors STATUS = new ReplyErrors();

    private ReplyErrors() {}

    static int status(TaskError error) {
        return error.fold(STATUS);
    }

    @Override
    public Integer invalidInput(TaskError.InvalidInput error) {
        return 400;
    }

    @Override
    public Integer notFound(TaskError.NotFound error) {
        return 404;
    }

    @Override
    public Integer versionConflict(TaskError.VersionConflict error) {
        return 409;
    }

    @Override
    public Integer illegalTransition(TaskError.IllegalTransition error) {
        return 409;
    }

    @Override
    public Integer notExecutable(TaskError.NotExecutable error) {
        return 400;
    }

    @Override
    public Integer executionUnderWay(TaskError.ExecutionUnderWay error) {
        return 409;
    }

    /** 502 when transient (the provider failed; the same request may work later), 422 when permanent. */
    @Override
    public Integer deliveryFailed(TaskError.DeliveryFailed error) {
        return error.transientFailure() ? 502 : 422;
    }

    /** The request conflicts with the state the engine is in (a host's open transaction), as a conflicting write does. */
    @Override
    public Integer executionInsideTransaction(TaskError.ExecutionInsideTransaction error) {
        return 409;
    }

    /**
     * Too many sends of one account in a span of time, and the same request will work once the limit frees: 429 with
     * {@code Retry-After}, as for the adapter's rate limit, whose code differs.
     */
    @Override
    public Integer sendingLimitReached(TaskError.SendingLimitReached error) {
        return 429;
    }
}
