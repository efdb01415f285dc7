-- Meltano's system database on PostgreSQL at alembic head c0efb3c314eb (Meltano 4.1+), exactly as
-- `\d+` shows it in test-fixtures/real-meltano/v4.2.2/postgres/psql-tables-d+.txt. The runs table
-- was created as "job" and renamed, so its sequence and primary key keep the old names.
-- Unqualified on purpose: tests run it with a search_path to place it in another schema.

CREATE TABLE alembic_version (
  version_num character varying(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE SEQUENCE job_id_seq AS integer;

CREATE TABLE runs (
  id integer NOT NULL DEFAULT nextval('job_id_seq'::regclass),
  job_name character varying,
  state character varying,
  started_at timestamp without time zone,
  ended_at timestamp without time zone,
  payload character varying,
  payload_flags integer,
  run_id uuid,
  "trigger" character varying,
  last_heartbeat_at timestamp without time zone,
  CONSTRAINT job_pkey PRIMARY KEY (id)
);

ALTER SEQUENCE job_id_seq OWNED BY runs.id;

CREATE TABLE plugin_settings (
  label character varying(255),
  description text,
  name character varying(255) NOT NULL,
  namespace character varying(255) NOT NULL,
  value bytea,
  enabled boolean,
  CONSTRAINT plugin_settings_pkey PRIMARY KEY (name, namespace)
);

CREATE TABLE state (
  state_id character varying(900) NOT NULL,
  partial_state character varying,
  completed_state character varying,
  updated_at timestamp without time zone,
  CONSTRAINT state_pkey PRIMARY KEY (state_id)
);

INSERT INTO alembic_version (version_num) VALUES ('c0efb3c314eb');
