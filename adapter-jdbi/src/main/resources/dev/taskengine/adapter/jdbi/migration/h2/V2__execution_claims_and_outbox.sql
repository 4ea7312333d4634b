-- Task engine schema, version 2, for H2: execution, scheduler claims and the event outbox.
-- The columns mean what the PostgreSQL migration of the same version says.

ALTER TABLE te_task ADD COLUMN call_resolution SMALLINT;
ALTER TABLE te_task ADD COLUMN failure_reason CHARACTER VARYING;
ALTER TABLE te_task ADD COLUMN failed_attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE te_task ADD COLUMN retry_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE te_task ADD COLUMN execution_key CHARACTER VARYING(200);
ALTER TABLE te_task ADD COLUMN execution_started_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE te_task ADD COLUMN execution_subject CHARACTER VARYING;
ALTER TABLE te_task ADD COLUMN execution_body CHARACTER VARYING;
ALTER TABLE te_task ADD COLUMN execution_target CHARACTER VARYING;
ALTER TABLE te_task ADD COLUMN execution_account_id BIGINT;
ALTER TABLE te_task ADD COLUMN claim_owner CHARACTER VARYING(100);
ALTER TABLE te_task ADD COLUMN claim_until TIMESTAMP(6) WITH TIME ZONE;

CREATE INDEX te_task_execution_idx ON te_task (execution_started_at);

CREATE TABLE te_task_event (
    position    BIGINT GENERATED ALWAYS AS IDENTITY,
    id          UUID                        NOT NULL,
    event_type  CHARACTER VARYING(40)       NOT NULL,
    tenant      CHARACTER VARYING(64)       NOT NULL,
    task_id     BIGINT                      NOT NULL,
    version     BIGINT                      NOT NULL,
    occurred_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT te_task_event_pkey PRIMARY KEY (position),
    CONSTRAINT te_task_event_id_key UNIQUE (id)
);
