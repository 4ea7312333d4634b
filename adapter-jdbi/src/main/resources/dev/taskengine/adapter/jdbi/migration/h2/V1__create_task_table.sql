-- Task engine schema, version 1, for H2 (2.x).
--
-- The same table as migration/postgresql/V1__create_task_table.sql, whose header explains the columns and codes, in
-- the types of H2: TIMESTAMP(6) WITH TIME ZONE for instants, and for free text CHARACTER VARYING without a length (the
-- H2 maximum, 1,000,000 characters, far above the Limits of the domain). H2 has no partial index: the due-scheduled
-- index covers every row.

CREATE SEQUENCE te_task_id_seq AS BIGINT START WITH 1;

CREATE TABLE te_task (
    id                 BIGINT                     NOT NULL,
    tenant             CHARACTER VARYING(64)      NOT NULL,
    version            BIGINT                     NOT NULL,
    task_type          SMALLINT                   NOT NULL,
    linkedin_task_type SMALLINT,
    status             SMALLINT                   NOT NULL,
    priority           SMALLINT                   NOT NULL,
    contact_id         BIGINT,
    assigned_user_id   BIGINT                     NOT NULL,
    creation_source    SMALLINT                   NOT NULL,
    sequence_id        BIGINT,
    sequence_step_id   BIGINT,
    step_display_name  CHARACTER VARYING,
    created_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    start_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    due_to             TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    finished_at        TIMESTAMP(6) WITH TIME ZONE,
    skipped_at         TIMESTAMP(6) WITH TIME ZONE,
    reopened_at        TIMESTAMP(6) WITH TIME ZONE,
    reopen_reason      SMALLINT,
    disposition        SMALLINT,
    failed             BOOLEAN                    NOT NULL,
    scheduled          BOOLEAN                    NOT NULL,
    subject            CHARACTER VARYING,
    body               CHARACTER VARYING          NOT NULL,
    attachment_ids     CHARACTER VARYING          NOT NULL,
    CONSTRAINT te_task_pkey PRIMARY KEY (id)
);

CREATE INDEX te_task_assignee_idx ON te_task (tenant, assigned_user_id, status, start_at);
CREATE INDEX te_task_sequence_idx ON te_task (tenant, sequence_id);
CREATE INDEX te_task_contact_idx ON te_task (tenant, contact_id);
CREATE INDEX te_task_due_scheduled_idx ON te_task (scheduled, status, start_at);
CREATE INDEX te_task_start_at_order_idx ON te_task (tenant, start_at, id);
CREATE INDEX te_task_due_to_order_idx ON te_task (tenant, due_to, id);
CREATE INDEX te_task_created_at_order_idx ON te_task (tenant, created_at, id);
CREATE INDEX te_task_updated_at_order_idx ON te_task (tenant, updated_at, id);
