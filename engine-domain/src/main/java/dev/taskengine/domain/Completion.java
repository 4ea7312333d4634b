package dev.taskengine.domain;

import java.util.Optional;

/**
 * How a task was done by a person. Call tasks may carry Topo's disposition and Reply's call resolution;
 * {@code finishProspectInSequence} asks the host (through its sequence-membership port) to take the prospect out of the
 * sequence once the task is complete.
 */
public record Completion(
        Optional<Disposition> disposition, Optional<CallResolution> callResolution, boolean finishProspectInSequence) {
    public Completion {
        disposition = disposition == null ? Optional.empty() : disposition;
        callResolution = callResolution == null ? Optional.empty() : callResolution;
    }

    public static Completion done() {
        return new Completion(Optional.empty(), Optional.empty(), false);
    }

    public static Completion withDisposition(Disposition disposition) {
        return new Completion(Optional.ofNullable(disposition), Optional.empty(), false);
    }

    public static Completion withCallResolution(CallResolution resolution) {
        return new Completion(Optional.empty(), Optional.ofNullable(resolution), false);
    }

    public Completion andDisposition(Disposition value) {
        return new Completion(Optional.ofNullable(value), callResolution, finishProspectInSequence);
    }

    public Completion finishingProspectInSequence() {
        return new Completion(disposition, callResolution, true);
    }
}
