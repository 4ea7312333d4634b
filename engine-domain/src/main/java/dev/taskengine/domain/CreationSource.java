package dev.taskengine.domain;

/** How a task came to be. Sequence tasks carry their sequence and step; the others carry none. Codes are the positions below. */
public enum CreationSource implements WireEnum {
    USER,
    SEQUENCE,
    MEETING
}
