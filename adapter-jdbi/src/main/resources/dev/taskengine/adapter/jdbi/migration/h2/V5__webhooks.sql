-- Task engine schema, version 5, for H2 (2.x): webhooks (subscriptions, their deliveries and the delivery log).
--
-- The same tables as migration/postgresql/V5__webhooks.sql, whose header explains every column and code, in the types
-- of H2. H2 has no partial index: the claim, chain and forgetting indexes cover every row.

CREATE TABLE te_webhook (
    id                   UUID                        NOT NULL,
    tenant               CHARACTER VARYING(64)       NOT NULL,
    url                  CHARACTER VARYING           NOT NULL,
    event_types          CHARACTER VARYING           NOT NULL,
    secrets              CHARACTER VARYING           NOT NULL,
    disabled_reason      SMALLINT,
    disabled_at          TIMESTAMP(6) WITH TIME ZONE,
    disabled_detail      CHARACTER VARYING,
    consecutive_failures INTEGER                     NOT NULL,
    failing_since        TIMESTAMP(6) WITH TIME ZONE,
    created_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    version              BIGINT                      NOT NULL,
    CONSTRAINT te_webhook_pkey PRIMARY KEY (id)
);

CREATE INDEX te_webhook_tenant_idx ON te_webhook (tenant, created_at);

CREATE TABLE te_webhook_delivery (
    position        BIGINT GENERATED ALWAYS AS IDENTITY,
    subscription_id UUID                        NOT NULL,
    tenant          CHARACTER VARYING(64)       NOT NULL,
    event_id        UUID                        NOT NULL,
    event_type      CHARACTER VARYING(40)       NOT NULL,
    task_id         BIGINT                      NOT NULL,
    payload         CHARACTER VARYING           NOT NULL,
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    state           SMALLINT                    NOT NULL,
    next_attempt_at TIMESTAMP(6) WITH TIME ZONE,
    finished_at     TIMESTAMP(6) WITH TIME ZONE,
    attempts        INTEGER                     NOT NULL,
    lease_owner     CHARACTER VARYING(200),
    lease_until     TIMESTAMP(6) WITH TIME ZONE,
    CONSTRAINT te_webhook_delivery_pkey PRIMARY KEY (position),
    CONSTRAINT te_webhook_delivery_event_key UNIQUE (subscription_id, event_id),
    CONSTRAINT te_webhook_delivery_subscription_fkey FOREIGN KEY (subscription_id)
        REFERENCES te_webhook (id) ON DELETE CASCADE
);

CREATE INDEX te_webhook_delivery_due_idx ON te_webhook_delivery (state, next_attempt_at, position);
CREATE INDEX te_webhook_delivery_chain_idx ON te_webhook_delivery (subscription_id, task_id, state, position);
CREATE INDEX te_webhook_delivery_finished_idx ON te_webhook_delivery (finished_at);
CREATE INDEX te_webhook_delivery_log_idx ON te_webhook_delivery (subscription_id, position);

CREATE TABLE te_webhook_attempt (
    delivery_position BIGINT                      NOT NULL,
    number            INTEGER                     NOT NULL,
    attempted_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    engine            CHARACTER VARYING(200)      NOT NULL,
    status_code       INTEGER                     NOT NULL,
    latency_us        BIGINT                      NOT NULL,
    error             CHARACTER VARYING,
    CONSTRAINT te_webhook_attempt_pkey PRIMARY KEY (delivery_position, number),
    CONSTRAINT te_webhook_attempt_delivery_fkey FOREIGN KEY (delivery_position)
        REFERENCES te_webhook_delivery (position) ON DELETE CASCADE
);
