-- A later migration, as a future version would ship it: for the tests only.
CREATE TABLE te_later (id BIGINT NOT NULL, tenant VARCHAR(64) NOT NULL, CONSTRAINT te_later_pkey PRIMARY KEY (tenant, id));
