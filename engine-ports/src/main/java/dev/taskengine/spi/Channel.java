package dev.taskengine.spi;

/** How a message travels. */
public enum Channel {
    EMAIL,
    SMS
}
