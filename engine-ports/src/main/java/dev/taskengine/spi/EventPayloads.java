package dev.taskengine.spi;

import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.WireEnum;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes an event as the JSON that leaves the process (a webhook's body, the outbox's {@code payload}): version
 * {@value #SCHEMA_VERSION} of the event schema. The task is written as the Reply dialect shows it in a filter answer,
 * enums by name, so a receiver reads one shape whichever way the event reached it.
 */
final class EventPayloads {
    static final int SCHEMA_VERSION = 1;

    private EventPayloads() {}

    static String of(TaskEvent event, Task task) {
        Json json = new Json(1024);
        json.open()
                .field("schemaVersion", SCHEMA_VERSION)
                .field("id", event.id().toString())
                .field("type", event.typeName())
                .field("time", event.occurredAt())
                .field("tenant", event.tenant().value())
                .field("actor", event.actor().wireName())
                .field("taskId", event.taskId().value())
                .field("taskVersion", event.version())
                .name("task");
        task(json, task);
        return json.close().toString();
    }

    private static void task(Json json, Task task) {
        Template template = task.fields().template();
        json.open()
                .field("id", task.id().value())
                .field(
                        "contactId",
                        task.fields().contactId().map(ContactId::value).orElse(null))
                .field("taskType", wire(task.type()))
                .field("status", wire(task.status()))
                .field(
                        "linkedInTaskType",
                        task.fields()
                                .linkedInTaskType()
                                .map(EventPayloads::wire)
                                .orElse(null))
                .field(
                        "sequenceId",
                        task.origin()
                                .sequence()
                                .map(s -> s.sequenceId().value())
                                .orElse(null))
                .field(
                        "sequenceStepId",
                        task.origin().sequence().map(s -> s.stepId().value()).orElse(null))
                .field(
                        "sequenceStepDisplayName",
                        task.origin()
                                .sequence()
                                .flatMap(SequenceRef::stepDisplayName)
                                .orElse(null))
                .field("assignedUserId", task.assignedUserId().value())
                .field("creationSource", wire(task.origin().source()))
                .field("createdAt", task.times().createdAt())
                .field("startAt", task.schedule().startAt())
                .field("dueTo", task.schedule().dueTo())
                .field("finishedAt", task.times().finishedAt().orElse(null))
                .field("isFailed", task.failure().failed())
                .field("isScheduled", task.schedule().scheduled())
                .name("template")
                .open()
                .field("body", template.body())
                .field("subject", template.subject().orElse(null))
                .field("attachmentIdList", template.attachmentIds())
                .close()
                .field("deferredUntil", task.deferral().map(Deferral::until).orElse(null))
                .field("deferralReason", task.deferral().map(Deferral::reason).orElse(null))
                .field("remindAt", task.fields().remindAt().orElse(null))
                .field("snoozedUntil", task.snoozedUntil().orElse(null))
                .field("pausedUntil", task.pausedUntil().orElse(null))
                .close();
    }

    private static String wire(WireEnum value) {
        return value.wireName();
    }

    /** Just enough of a JSON writer for these two objects: fields in order, strings escaped as RFC 8259 asks. */
    private static final class Json {
        private final StringBuilder out;
        private boolean first = true;

        Json(int capacity) {
            out = new StringBuilder(capacity);
        }

        Json open() {
            out.append('{');
            first = true;
            return this;
        }

        Json close() {
            out.append('}');
            first = false;
            return this;
        }

        Json name(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(name);
            out.append(':');
            return this;
        }

        Json field(String name, Object value) {
            name(name);
            value(value);
            return this;
        }

        private void value(Object value) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Instant instant) {
                string(instant.toString());
            } else if (value instanceof Optional<?> optional) {
                value(optional.orElse(null));
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(list.get(i));
                }
                out.append(']');
            } else {
                string(value.toString());
            }
        }

        private void string(String value) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
