package dev.taskengine.ports;

/** How a message travels. */
public enum Channel {
    EMAIL,
    SMS
}
