package dev.taskengine.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * What a host asks to create. Fields may be null or out of range: {@link Task#create} reports every problem at once.
 * Use {@link #builder()}.
 */
public record NewTask(
        TenantId tenant,
        UserId assignedUserId,
        CreationSource creationSource,
        Optional<SequenceRef> sequence,
        TaskFields fields) {

    public NewTask {
        sequence = sequence == null ? Optional.empty() : sequence;
        fields = fields == null ? new TaskFields(null, null, null, null, null, null, null) : fields;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; creation source defaults to user and priority to today. */
    public static final class Builder {
        private TenantId tenant;
        private TaskType type;
        private LinkedInTaskType linkedInTaskType;
        private ContactId contactId;
        private UserId assignedUserId;
        private CreationSource creationSource = CreationSource.USER;
        private SequenceRef sequence;
        private Priority priority = Priority.TODAY;
        private Instant startAt;
        private Instant dueTo;
        private boolean scheduled;
        private Template template;
        private Instant remindAt;

        private Builder() {}

        public Builder tenant(TenantId value) {
            this.tenant = value;
            return this;
        }

        public Builder type(TaskType value) {
            this.type = value;
            return this;
        }

        public Builder linkedInTaskType(LinkedInTaskType value) {
            this.linkedInTaskType = value;
            return this;
        }

        public Builder contact(ContactId value) {
            this.contactId = value;
            return this;
        }

        public Builder assignee(UserId value) {
            this.assignedUserId = value;
            return this;
        }

        public Builder creationSource(CreationSource value) {
            this.creationSource = value;
            return this;
        }

        /** Marks the task as created by a sequence step (creation source {@link CreationSource#SEQUENCE}). */
        public Builder sequence(SequenceRef value) {
            this.sequence = value;
            this.creationSource = CreationSource.SEQUENCE;
            return this;
        }

        public Builder priority(Priority value) {
            this.priority = value;
            return this;
        }

        public Builder startAt(Instant value) {
            this.startAt = value;
            return this;
        }

        public Builder dueTo(Instant value) {
            this.dueTo = value;
            return this;
        }

        public Builder scheduled(boolean value) {
            this.scheduled = value;
            return this;
        }

        public Builder template(Template value) {
            this.template = value;
            return this;
        }

        public Builder remindAt(Instant value) {
            this.remindAt = value;
            return this;
        }

        public NewTask build() {
            return new NewTask(
                    tenant,
                    assignedUserId,
                    creationSource,
                    Optional.ofNullable(sequence),
                    new TaskFields(
                            type,
                            Optional.ofNullable(linkedInTaskType),
                            Optional.ofNullable(contactId),
                            priority,
                            new Schedule(startAt, dueTo, scheduled),
                            template,
                            Optional.ofNullable(remindAt)));
        }
    }
}
