-- Task engine schema, version 1, for H2 (2.x): the task table, its id sequence and the event outbox.
--
-- The same tables as migration/postgresql/V1__task_schema.sql, whose header explains the keys, columns and codes, in
-- the types of H2: TIMESTAMP(6) WITH TIME ZONE for instants, and for free text CHARACTER VARYING without a length (the
-- H2 maximum, 1,000,000 characters, far above the Limits of the domain). H2 has no partial index: the due-scheduled
-- and execution indexes cover every row.

CREATE SEQUENCE te_task_id_seq AS BIGINT START WITH 1;

CREATE TABLE te_task (
    id                   BIGINT                      NOT NULL,
    tenant               CHARACTER VARYING(64)       NOT NULL,
    version              BIGINT                      NOT NULL,
    task_type            SMALLINT                    NOT NULL,
    linkedin_task_type   SMALLINT,
    status               SMALLINT                    NOT NULL,
    priority             SMALLINT                    NOT NULL,
    contact_id           BIGINT,
    assigned_user_id     BIGINT                      NOT NULL,
    creation_source      SMALLINT                    NOT NULL,
    sequence_id          BIGINT,
    sequence_step_id     BIGINT,
    step_display_name    CHARACTER VARYING,
    created_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    start_at             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    due_to               TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at          TIMESTAMP(6) WITH TIME ZONE,
    skipped_at           TIMESTAMP(6) WITH TIME ZONE,
    reopened_at          TIMESTAMP(6) WITH TIME ZONE,
    reopen_reason        SMALLINT,
    disposition          SMALLINT,
    failed               BOOLEAN                     NOT NULL,
    scheduled            BOOLEAN                     NOT NULL,
    subject              CHARACTER VARYING,
    body                 CHARACTER VARYING           NOT NULL,
    attachment_ids       CHARACTER VARYING           NOT NULL,
    call_resolution      SMALLINT,
    failure_reason       CHARACTER VARYING,
    failed_attempts      INTEGER DEFAULT 0           NOT NULL,
    retry_at             TIMESTAMP(6) WITH TIME ZONE,
    execution_key        CHARACTER VARYING(200),
    execution_started_at TIMESTAMP(6) WITH TIME ZONE,
    execution_subject    CHARACTER VARYING,
    execution_body       CHARACTER VARYING,
    execution_target     CHARACTER VARYING,
    execution_account_id BIGINT,
    claim_owner          CHARACTER VARYING(100),
    claim_until          TIMESTAMP(6) WITH TIME ZONE,
    retry_key            CHARACTER VARYING(200),
    template_literal     BOOLEAN DEFAULT FALSE       NOT NULL,
    CONSTRAINT te_task_pkey PRIMARY KEY (tenant, id)
);

CREATE INDEX te_task_assignee_idx ON te_task (tenant, assigned_user_id, status, start_at);
CREATE INDEX te_task_sequence_idx ON te_task (tenant, sequence_id);
CREATE INDEX te_task_contact_idx ON te_task (tenant, contact_id);
CREATE INDEX te_task_due_scheduled_idx ON te_task (scheduled, status, start_at);
CREATE INDEX te_task_start_at_order_idx ON te_task (tenant, start_at, id);
CREATE INDEX te_task_due_to_order_idx ON te_task (tenant, due_to, id);
CREATE INDEX te_task_created_at_order_idx ON te_task (tenant, created_at, id);
CREATE INDEX te_task_updated_at_order_idx ON te_task (tenant, updated_at, id);
CREATE INDEX te_task_execution_idx ON te_task (execution_started_at);

CREATE TABLE te_task_event (
    position    BIGINT GENERATED ALWAYS AS IDENTITY,
    id          UUID                        NOT NULL,
    event_type  CHARACTER VARYING(40)       NOT NULL,
    tenant      CHARACTER VARYING(64)       NOT NULL,
    task_id     BIGINT                      NOT NULL,
    version     BIGINT                      NOT NULL,
    occurred_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT te_task_event_pkey PRIMARY KEY (tenant, position),
    CONSTRAINT te_task_event_id_key UNIQUE (tenant, id)
);

CREATE INDEX te_task_event_position_idx ON te_task_event (position);
CREATE INDEX te_task_event_id_idx ON te_task_event (id);
