/**
 * The store SPI: what a storage adapter implements ({@link dev.taskengine.store.TaskStore} and its requests), proven by
 * the contract kit (module engine-contract). Hosts need none of it but the store they pass to the builder. Public and
 * kept compatible within a major version.
 */
package dev.taskengine.store;
