/**
 * The driving API: what a host calls. {@link dev.taskengine.api.TaskEngine} (made by
 * {@link dev.taskengine.api.TaskEngineBuilder}) is the one entry point; the rest are its requests and answers, and the
 * {@link dev.taskengine.api.TaskScheduler} a host starts and stops. Public and kept compatible within a major version.
 */
package dev.taskengine.api;
