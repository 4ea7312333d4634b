-- Task engine schema, version 3, for H2 (2.x): the rep's working day.
--
-- The same changes as migration/postgresql/V3__workday.sql, whose header explains the columns, tables and codes, in
-- the types of H2. H2 has no partial index: the reminder and deletion indexes cover every row.

ALTER TABLE te_task ADD COLUMN remind_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE te_task ADD COLUMN snoozed_until TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE te_task ADD COLUMN paused_until TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE te_task ADD COLUMN hidden_until TIMESTAMP(6) WITH TIME ZONE;

CREATE INDEX te_task_remind_idx ON te_task (remind_at, id);

ALTER TABLE te_task_event ADD COLUMN actor CHARACTER VARYING(80) DEFAULT 'system:unknown' NOT NULL;
ALTER TABLE te_task_event ALTER COLUMN actor DROP DEFAULT;

CREATE TABLE te_history (
    position      BIGINT GENERATED ALWAYS AS IDENTITY,
    tenant        CHARACTER VARYING(64)       NOT NULL,
    id            UUID                        NOT NULL,
    task_id       BIGINT                      NOT NULL,
    version       BIGINT                      NOT NULL,
    occurred_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    actor         CHARACTER VARYING(80)       NOT NULL,
    event_type    SMALLINT                    NOT NULL,
    status_before SMALLINT,
    status_after  SMALLINT,
    changes       CHARACTER VARYING           NOT NULL,
    reason        CHARACTER VARYING,
    note          CHARACTER VARYING,
    CONSTRAINT te_history_pkey PRIMARY KEY (tenant, position),
    CONSTRAINT te_history_id_key UNIQUE (tenant, id)
);

CREATE INDEX te_history_task_idx ON te_history (tenant, task_id, position);
CREATE INDEX te_history_actor_idx ON te_history (tenant, actor, position);
CREATE INDEX te_history_deleted_idx ON te_history (event_type, occurred_at);

CREATE TABLE te_contact_pause (
    tenant       CHARACTER VARYING(64)       NOT NULL,
    contact_id   BIGINT                      NOT NULL,
    paused_until TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT te_contact_pause_pkey PRIMARY KEY (tenant, contact_id)
);
