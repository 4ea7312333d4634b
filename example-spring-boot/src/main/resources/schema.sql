-- The application's own table (the engine's te_* tables are migrated by the starter).
CREATE TABLE IF NOT EXISTS deal (
    id      BIGINT PRIMARY KEY,
    name    VARCHAR(200) NOT NULL,
    task_id BIGINT
);
