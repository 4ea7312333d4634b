/**
 * The host SPI: what a host implements for the engine to reach the world — contacts, the message sender and its
 * accounts, sequence membership, the event publisher. Each has a default the builder uses when the host gives none.
 * Public and kept compatible within a major version.
 */
package dev.taskengine.spi;
