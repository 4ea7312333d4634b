package dev.taskengine.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The validation rules of docs/specification.md and the reference pages, each a small named check. Every check adds to one list, so
 * a caller learns every problem at once. Codes are {@code task.<field>.<problem>} with Reply's field names.
 */
final class TaskRules {
    private TaskRules() {}

    static List<Violation> checkNew(NewTask task, TemplateEngine templates) {
        List<Violation> violations = new ArrayList<>();
        if (task.tenant() == null) {
            violations.add(Violation.of("task.tenant.required", "/tenant", "a tenant is required"));
        }
        checkAssignee(task.assignedUserId(), violations);
        checkSequence(task.creationSource(), task.sequence(), violations);
        checkEditable(task.fields(), templates, violations);
        return violations;
    }

    static List<Violation> checkUpdate(Task current, TaskUpdate update, TemplateEngine templates) {
        List<Violation> violations = new ArrayList<>();
        TaskFields fields = update.fields();
        if (current.origin().source() == CreationSource.SEQUENCE) {
            if (fields.type() != null && fields.type() != current.type()) {
                violations.add(Violation.of(
                        "task.taskType.fixedForSequenceTask",
                        "/taskType",
                        "a sequence task keeps its type (" + current.type().wireName() + ")"));
            }
            Optional<ContactId> contact = current.fields().contactId();
            if (!fields.contactId().equals(contact)) {
                violations.add(Violation.of(
                        "task.contactId.fixedForSequenceTask",
                        "/contactId",
                        "a sequence task keeps its contact ("
                                + contact.map(ContactId::toString).orElse("none") + ")"));
            }
        }
        checkEditable(fields, templates, violations);
        return violations;
    }

    static void checkAssignee(UserId assignee, List<Violation> violations) {
        if (assignee == null) {
            violations.add(Violation.of("task.assignedUserId.required", "/assignedUserId", "an assignee is required"));
        } else if (assignee.value() <= 0) {
            violations.add(Violation.of(
                    "task.assignedUserId.invalid",
                    "/assignedUserId",
                    "a user id is a positive number, not " + assignee.value()));
        }
    }

    private static void checkSequence(
            CreationSource source, Optional<SequenceRef> sequence, List<Violation> violations) {
        if (source == null) {
            violations.add(
                    Violation.of("task.creationSource.required", "/creationSource", "a creation source is required"));
            return;
        }
        if (source != CreationSource.SEQUENCE) {
            if (sequence.isPresent()) {
                violations.add(Violation.of(
                        "task.sequenceId.notAllowed",
                        "/sequenceId",
                        "only sequence tasks carry a sequence; this one is created by " + source.wireName()));
            }
            return;
        }
        if (sequence.isEmpty()) {
            violations.add(
                    Violation.of("task.sequenceId.required", "/sequenceId", "a sequence task needs its sequence"));
            violations.add(
                    Violation.of("task.sequenceStepId.required", "/sequenceStepId", "a sequence task needs its step"));
            return;
        }
        SequenceRef ref = sequence.get();
        if (ref.sequenceId() == null) {
            violations.add(
                    Violation.of("task.sequenceId.required", "/sequenceId", "a sequence task needs its sequence"));
        } else if (ref.sequenceId().value() <= 0) {
            violations.add(
                    Violation.of("task.sequenceId.invalid", "/sequenceId", "a sequence id is a positive number"));
        }
        if (ref.stepId() == null) {
            violations.add(
                    Violation.of("task.sequenceStepId.required", "/sequenceStepId", "a sequence task needs its step"));
        } else if (ref.stepId().value() <= 0) {
            violations.add(
                    Violation.of("task.sequenceStepId.invalid", "/sequenceStepId", "a step id is a positive number"));
        }
        ref.stepDisplayName().ifPresent(name -> {
            violations.addAll(Texts.check("/sequenceStepDisplayName", name, Limits.STEP_DISPLAY_NAME_MAX_CHARS));
        });
    }

    private static void checkEditable(TaskFields fields, TemplateEngine templates, List<Violation> violations) {
        if (fields.type() == null) {
            violations.add(Violation.of(
                    "task.taskType.required",
                    "/taskType",
                    "a task type is required; accepted: " + WireEnums.accepted(TaskType.class)));
        } else if (fields.linkedInTaskType().isPresent() && fields.type() != TaskType.LINKED_IN) {
            violations.add(Violation.of(
                    "task.linkedInTaskType.notLinkedInTask",
                    "/linkedInTaskType",
                    "only linkedIn tasks carry a LinkedIn task type; this is a "
                            + fields.type().wireName() + " task"));
        }
        if (fields.priority() == null) {
            violations.add(Violation.of("task.priority.required", "/priority", "a priority is required"));
        }
        fields.contactId().ifPresent(contact -> {
            if (contact.value() <= 0) {
                violations.add(
                        Violation.of("task.contactId.invalid", "/contactId", "a contact id is a positive number"));
            }
        });
        checkTimes(fields.schedule().startAt(), fields.schedule().dueTo(), violations);
        fields.remindAt().ifPresent(at -> checkTime("/remindAt", at, violations));
        boolean hasVariables = checkTemplate(fields.template(), templates, violations);
        if (hasVariables && fields.contactId().isEmpty()) {
            violations.add(Violation.of(
                    "task.contactId.requiredForVariables",
                    "/contactId",
                    "the template uses variables, so the task needs a contact to render them"));
        }
    }

    static void checkTimes(Instant startAt, Instant dueTo, List<Violation> violations) {
        if (startAt == null) {
            violations.add(Violation.of("task.startAt.required", "/startAt", "a start time is required"));
        } else if (startAt.isBefore(Limits.EARLIEST_START)) {
            violations.add(Violation.of(
                    "task.startAt.beforeEarliest",
                    "/startAt",
                    "must be on or after " + Limits.EARLIEST_START + ", not " + startAt));
        } else if (startAt.isAfter(Limits.LATEST_TIME)) {
            violations.add(
                    Violation.of("task.startAt.afterLatest", "/startAt", "must be on or before " + Limits.LATEST_TIME));
        }
        if (dueTo == null) {
            violations.add(Violation.of("task.dueTo.required", "/dueTo", "a due time is required"));
        } else if (dueTo.isAfter(Limits.LATEST_TIME)) {
            violations.add(
                    Violation.of("task.dueTo.afterLatest", "/dueTo", "must be on or before " + Limits.LATEST_TIME));
        } else if (startAt != null && !micros(dueTo).isAfter(micros(startAt))) {
            violations.add(Violation.of(
                    "task.dueTo.notAfterStartAt", "/dueTo", "must be after startAt (" + startAt + "), not " + dueTo));
        }
    }

    /** A time a host sets besides start and due (a reminder, a snooze): within what every store keeps. */
    static void checkTime(String pointer, Instant at, List<Violation> violations) {
        String field = "task" + pointer.replace('/', '.');
        if (at.isBefore(Limits.EARLIEST_START)) {
            violations.add(Violation.of(
                    field + ".beforeEarliest",
                    pointer,
                    "must be on or after " + Limits.EARLIEST_START + ", not " + at));
        } else if (at.isAfter(Limits.LATEST_TIME)) {
            violations.add(Violation.of(field + ".afterLatest", pointer, "must be on or before " + Limits.LATEST_TIME));
        }
    }

    private static boolean checkTemplate(Template template, TemplateEngine templates, List<Violation> violations) {
        if (template == null) {
            violations.add(Violation.of("task.template.required", "/template", "a template with a body is required"));
            return false;
        }
        boolean hasVariables = false;
        if (template.body() == null || template.body().isBlank()) {
            violations.add(
                    Violation.of("task.template.body.required", "/template/body", "the template body is required"));
        } else {
            hasVariables |= checkTemplateText(
                    "/template/body",
                    template.body(),
                    Limits.BODY_MAX_CHARS,
                    template.literal(),
                    templates,
                    violations);
        }
        if (template.subject().isPresent()) {
            hasVariables |= checkTemplateText(
                    "/template/subject",
                    template.subject().get(),
                    Limits.SUBJECT_MAX_CHARS,
                    template.literal(),
                    templates,
                    violations);
        }
        List<Long> attachments = template.attachmentIds();
        if (attachments.size() > Limits.ATTACHMENTS_MAX) {
            violations.add(Violation.of(
                    "task.template.attachmentIdList.tooMany",
                    "/template/attachmentIdList",
                    attachments.size() + " attachments; at most " + Limits.ATTACHMENTS_MAX + " allowed"));
        } else {
            for (int i = 0; i < attachments.size(); i++) {
                Long id = attachments.get(i);
                if (id == null || id <= 0) {
                    violations.add(Violation.of(
                            "task.template.attachmentIdList.invalid",
                            "/template/attachmentIdList/" + i,
                            "an attachment id is a positive number, not " + id));
                }
            }
        }
        return hasVariables;
    }

    private static boolean checkTemplateText(
            String pointer,
            String text,
            int maxChars,
            boolean literal,
            TemplateEngine templates,
            List<Violation> violations) {
        List<Violation> textViolations = Texts.check(pointer, text, maxChars);
        if (!textViolations.isEmpty() || literal) {
            violations.addAll(textViolations);
            return false;
        }
        TemplateEngine.Check check = templates.check(pointer, text);
        violations.addAll(check.violations());
        return check.hasVariables();
    }

    /** Every stored time has microsecond precision, the finest that every supported database keeps. */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
