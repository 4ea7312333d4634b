package dev.taskengine.domain;

import java.util.Objects;
import java.util.Optional;

/** How a finished call went: Topo's disposition and Reply's call resolution, each optional. */
public record CallOutcome(Optional<Disposition> disposition, Optional<CallResolution> callResolution) {
    /** No outcome: every task that is not a finished call, and a call finished without one. */
    public static final CallOutcome NONE = new CallOutcome(Optional.empty(), Optional.empty());

    public CallOutcome {
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(callResolution, "callResolution");
    }

    public boolean isEmpty() {
        return disposition.isEmpty() && callResolution.isEmpty();
    }
}
