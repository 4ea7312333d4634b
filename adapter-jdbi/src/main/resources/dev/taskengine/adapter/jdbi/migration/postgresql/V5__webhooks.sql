-- Task engine schema, version 5, for PostgreSQL: webhooks (subscriptions, their deliveries and the delivery log).
--
-- te_webhook              one webhook subscription of a tenant (WebhookSubscription):
--   id                    the subscription's id
--   tenant                the tenant it belongs to; it receives that tenant's task events only
--   url                   where each event is POSTed
--   event_types           the event types it wants, as their event names (TaskEventType#eventName) joined by commas,
--                         in the enum's order: task.created,task.completed; empty for every type
--   secrets               its signing secrets, newest first, each as three length-prefixed texts (value, created at,
--                         expires at as ISO-8601 instants; "-" for no expiry), in the encoding of HistoryChanges:
--                         see WebhookSecrets
--   disabled_reason       why it receives nothing (WebhookSubscription.Reason, stored codes): ByRequest 0, Gone 1,
--                         Failing 2; null while it is enabled
--   disabled_at           since when it is disabled; null while enabled (the three disabled_* are null together)
--   disabled_detail       what the engine saw when it disabled it
--   consecutive_failures  failed attempts since the last delivered one, across its deliveries
--   failing_since         when the first of those failed; null when the last attempt was delivered
--   created_at, updated_at  when it was made and last changed by the host
--   version               one more at every write of the row (a change of the host; an attempt that changed the
--                         failure counts or disabled it): a change is kept only at the version it was made from
--                         (WebhookStore#updateWebhook, a compare-and-set), so that none undoes another's
-- te_webhook_delivery     one event for one subscription (a delivery), kept once per (subscription_id, event_id);
--                         deleted with its subscription (foreign key, ON DELETE CASCADE), and so kept for none that
--                         is gone, whichever of a delete and an enqueue commits first:
--   position              given by the database in the order deliveries are kept: the order of a task's events, and
--                         the log's order (newest first)
--   subscription_id, tenant  its subscription, and that subscription's tenant
--   event_id              the event's id: the webhook-id of every attempt
--   event_type            the event type's event name (task.created, ...)
--   task_id               the task the event is about: a task's deliveries go out one after another, oldest first
--   payload               the body delivered: the event as JSON (TaskEvent#payload)
--   created_at            when the event was made; it is due at once (next_attempt_at starts there)
--   state                 WebhookDelivery.State, stored codes: Pending 0, Delivered 1, Failed (given up) 2
--   next_attempt_at       when a pending delivery is attempted next; null once finished
--   finished_at           when it was delivered or given up; null while pending
--   attempts              how many attempts it had (the rows of te_webhook_attempt)
--   lease_owner, lease_until  the engine that claimed it for an attempt, until when; null when not claimed
-- te_webhook_attempt      one attempt of a delivery (WebhookDelivery.Attempt), kept until the delivery is forgotten
--                         or deleted (foreign key, ON DELETE CASCADE):
--   delivery_position     the delivery's position
--   number                1 for its first attempt, then 2, ...: the log shows them in this order
--   attempted_at          when it was made
--   engine                the name of the engine that made it
--   status_code           the receiver's answer, 0 when none came
--   latency_us            how long it took, in microseconds
--   error                 what went wrong; null when it was delivered

CREATE TABLE te_webhook (
    id                   uuid         NOT NULL,
    tenant               varchar(64)  NOT NULL,
    url                  text         NOT NULL,
    event_types          text         NOT NULL,
    secrets              text         NOT NULL,
    disabled_reason      smallint,
    disabled_at          timestamptz,
    disabled_detail      text,
    consecutive_failures integer      NOT NULL,
    failing_since        timestamptz,
    created_at           timestamptz  NOT NULL,
    updated_at           timestamptz  NOT NULL,
    version              bigint       NOT NULL,
    CONSTRAINT te_webhook_pkey PRIMARY KEY (id)
);

-- A tenant's subscriptions, oldest first.
CREATE INDEX te_webhook_tenant_idx ON te_webhook (tenant, created_at);

CREATE TABLE te_webhook_delivery (
    position        bigint       GENERATED ALWAYS AS IDENTITY,
    subscription_id uuid         NOT NULL,
    tenant          varchar(64)  NOT NULL,
    event_id        uuid         NOT NULL,
    event_type      varchar(40)  NOT NULL,
    task_id         bigint       NOT NULL,
    payload         text         NOT NULL,
    created_at      timestamptz  NOT NULL,
    state           smallint     NOT NULL,
    next_attempt_at timestamptz,
    finished_at     timestamptz,
    attempts        integer      NOT NULL,
    lease_owner     varchar(200),
    lease_until     timestamptz,
    CONSTRAINT te_webhook_delivery_pkey PRIMARY KEY (position),
    CONSTRAINT te_webhook_delivery_event_key UNIQUE (subscription_id, event_id),
    CONSTRAINT te_webhook_delivery_subscription_fkey FOREIGN KEY (subscription_id)
        REFERENCES te_webhook (id) ON DELETE CASCADE
);

-- The claim: pending deliveries, across tenants, earliest due first.
CREATE INDEX te_webhook_delivery_due_idx ON te_webhook_delivery (next_attempt_at, position) WHERE state = 0;
-- The head of a task's chain: whether an older delivery of the task is still pending for the subscription.
CREATE INDEX te_webhook_delivery_chain_idx ON te_webhook_delivery (subscription_id, task_id, position)
    WHERE state = 0;
-- The finished deliveries, by time: which the engine forgets.
CREATE INDEX te_webhook_delivery_finished_idx ON te_webhook_delivery (finished_at) WHERE finished_at IS NOT NULL;
-- A subscription's log, newest first.
CREATE INDEX te_webhook_delivery_log_idx ON te_webhook_delivery (subscription_id, position);

CREATE TABLE te_webhook_attempt (
    delivery_position bigint       NOT NULL,
    number            integer      NOT NULL,
    attempted_at      timestamptz  NOT NULL,
    engine            varchar(200) NOT NULL,
    status_code       integer      NOT NULL,
    latency_us        bigint       NOT NULL,
    error             text,
    CONSTRAINT te_webhook_attempt_pkey PRIMARY KEY (delivery_position, number),
    CONSTRAINT te_webhook_attempt_delivery_fkey FOREIGN KEY (delivery_position)
        REFERENCES te_webhook_delivery (position) ON DELETE CASCADE
);
