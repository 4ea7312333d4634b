package dev.taskengine.domain;

/** The LinkedIn action of a LinkedIn task. Codes are the positions below. */
public enum LinkedInTaskType implements WireEnum {
    MESSAGE,
    CONNECT,
    IN_MAIL,
    VIEW_PROFILE
}
