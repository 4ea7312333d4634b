package dev.taskengine.domain;

/**
 * Reply's outcome of a call task (the prospect was positive, is to be called again, or was negative); call tasks only.
 * Codes are the positions below.
 */
public enum CallResolution implements WireEnum {
    POSITIVE,
    TO_CALL,
    NEGATIVE
}
