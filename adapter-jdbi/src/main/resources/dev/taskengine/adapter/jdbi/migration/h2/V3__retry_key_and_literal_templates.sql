-- Task engine schema, version 3.
-- retry_key         the idempotency key a transiently failed execution leaves for its retry, so that a retry (the
--                   provider may have taken the message) is sent under the same key; set only on active failed tasks
-- template_literal  the template is literal text, never rendered: the final content of an executed or completed task

ALTER TABLE te_task ADD COLUMN retry_key CHARACTER VARYING(200);
ALTER TABLE te_task ADD COLUMN template_literal BOOLEAN DEFAULT FALSE NOT NULL;
