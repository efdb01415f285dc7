// The stand-in's access to Meltano's system DB: SQLite (better-sqlite3) or PostgreSQL (pg).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { dashedUuid, meltanoTimestamp, pythonJson } from './encoding.mjs';

const ALEMBIC_HEAD = 'c0efb3c314eb';

const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE IF NOT EXISTS "runs" (id INTEGER NOT NULL, job_name VARCHAR, state VARCHAR(7), started_at DATETIME, ended_at DATETIME, payload VARCHAR, payload_flags INTEGER, run_id CHAR(32), "trigger" VARCHAR, last_heartbeat_at DATETIME, PRIMARY KEY (id));
CREATE TABLE IF NOT EXISTS plugin_settings (label VARCHAR(255), description TEXT, name VARCHAR(255) NOT NULL, namespace VARCHAR(255), value BLOB, enabled BOOLEAN, PRIMARY KEY (name, namespace));
CREATE TABLE IF NOT EXISTS state (state_id VARCHAR(900) NOT NULL, partial_state VARCHAR, completed_state VARCHAR, updated_at DATETIME, PRIMARY KEY (state_id), UNIQUE (state_id));
`;

const PG_SCHEMA = `
CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE SEQUENCE IF NOT EXISTS job_id_seq;
CREATE TABLE IF NOT EXISTS runs (id integer NOT NULL DEFAULT nextval('job_id_seq'), job_name varchar, state varchar, started_at timestamp without time zone, ended_at timestamp without time zone, payload varchar, payload_flags integer, run_id uuid, "trigger" varchar, last_heartbeat_at timestamp without time zone, CONSTRAINT job_pkey PRIMARY KEY (id));
ALTER SEQUENCE job_id_seq OWNED BY runs.id;
CREATE TABLE IF NOT EXISTS plugin_settings (label varchar(255), description text, name varchar(255) NOT NULL, namespace varchar(255) NOT NULL, value bytea, enabled boolean, CONSTRAINT plugin_settings_pkey PRIMARY KEY (name, namespace));
CREATE TABLE IF NOT EXISTS state (state_id varchar(900) NOT NULL, partial_state varchar, completed_state varchar, updated_at timestamp without time zone, CONSTRAINT state_pkey PRIMARY KEY (state_id));
`;

/** `sqlite:///rel` (relative to cwd), `sqlite:////abs`, or `postgresql[+driver]://...`. */
export function openSystemDb(uri, cwd = process.cwd()) {
  if (uri.startsWith('sqlite:///')) {
    const file = path.resolve(cwd, uri.slice('sqlite:///'.length));
    return openSqlite(file);
  }
  const match = /^postgres(?:ql)?(?:\+\w+)?:\/\/(.*)$/.exec(uri);
  if (match) return openPostgres(`postgresql://${match[1]}`);
  throw new Error(`Unsupported database_uri: ${uri}`);
}

function openSqlite(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.exec(SQLITE_SCHEMA);
  db.prepare('INSERT INTO alembic_version SELECT ? WHERE NOT EXISTS (SELECT 1 FROM alembic_version)').run(
    ALEMBIC_HEAD,
  );
  const q = (sql) => db.prepare(sql);
  return {
    kind: 'sqlite',
    async runningRows(jobName) {
      return q(
        `SELECT id, started_at, last_heartbeat_at FROM runs WHERE job_name = ? AND state = 'RUNNING'`,
      ).all(jobName);
    },
    async insertRun(row) {
      const info = q(
        `INSERT INTO runs (job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.job_name,
        row.state,
        row.started_at,
        row.ended_at ?? null,
        pythonJson(row.payload ?? {}),
        row.payload_flags ?? 0,
        row.run_id,
        row.trigger,
        row.last_heartbeat_at ?? null,
      );
      return Number(info.lastInsertRowid);
    },
    async heartbeat(id, date) {
      q('UPDATE runs SET last_heartbeat_at = ? WHERE id = ?').run(meltanoTimestamp(date), id);
    },
    async updateRun(id, fields) {
      const keys = Object.keys(fields);
      const values = keys.map((k) => (k === 'payload' ? pythonJson(fields[k]) : fields[k]));
      q(`UPDATE runs SET ${keys.map((k) => `"${k}" = ?`).join(', ')} WHERE id = ?`).run(...values, id);
    },
    async saveState(stateId, completed, updatedAt) {
      q(`INSERT INTO state (state_id, partial_state, completed_state, updated_at) VALUES (?, '{}', ?, ?)
         ON CONFLICT (state_id) DO UPDATE SET partial_state = '{}', completed_state = excluded.completed_state, updated_at = excluded.updated_at`).run(
        stateId,
        pythonJson(completed),
        updatedAt,
      );
    },
    async stateRow(stateId) {
      const hasTable = q("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state'").get();
      return hasTable ? (q('SELECT * FROM state WHERE state_id = ?').get(stateId) ?? null) : null;
    },
    async stateIds() {
      return q('SELECT state_id FROM state')
        .all()
        .map((r) => r.state_id);
    },
    async replaceState(stateId, partial, completed) {
      q(`INSERT INTO state (state_id, partial_state, completed_state, updated_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT (state_id) DO UPDATE SET partial_state = excluded.partial_state, completed_state = excluded.completed_state, updated_at = ?`).run(
        stateId,
        partial,
        completed,
        meltanoTimestamp(new Date()),
      );
    },
    async deleteState(stateId) {
      q('DELETE FROM state WHERE state_id = ?').run(stateId);
    },
    transaction(fn) {
      return db.transaction(fn)();
    },
    async close() {
      db.close();
    },
  };
}

function openPostgres(connectionString) {
  const pool = new pg.Pool({ connectionString, max: 2 });
  let ready;
  const query = async (sql, params) => {
    ready ??= pool
      .query(PG_SCHEMA)
      .then(() =>
        pool.query('INSERT INTO alembic_version SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM alembic_version)', [
          ALEMBIC_HEAD,
        ]),
      );
    await ready;
    return pool.query(sql, params);
  };
  return {
    kind: 'postgres',
    async runningRows(jobName) {
      const r = await query(
        `SELECT id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS.US') AS started_at,
                to_char(last_heartbeat_at, 'YYYY-MM-DD HH24:MI:SS.US') AS last_heartbeat_at
         FROM runs WHERE job_name = $1 AND state = 'RUNNING'`,
        [jobName],
      );
      return r.rows;
    },
    async insertRun(row) {
      const r = await query(
        `INSERT INTO runs (job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          row.job_name,
          row.state,
          row.started_at,
          row.ended_at ?? null,
          pythonJson(row.payload ?? {}),
          row.payload_flags ?? 0,
          dashedUuid(row.run_id),
          row.trigger,
          row.last_heartbeat_at ?? null,
        ],
      );
      return r.rows[0].id;
    },
    async heartbeat(id, date) {
      await query('UPDATE runs SET last_heartbeat_at = $1 WHERE id = $2', [meltanoTimestamp(date), id]);
    },
    async updateRun(id, fields) {
      const keys = Object.keys(fields);
      const values = keys.map((k) => (k === 'payload' ? pythonJson(fields[k]) : fields[k]));
      await query(
        `UPDATE runs SET ${keys.map((k, i) => `"${k}" = $${i + 1}`).join(', ')} WHERE id = $${keys.length + 1}`,
        [...values, id],
      );
    },
    async saveState(stateId, completed, updatedAt) {
      await query(
        `INSERT INTO state (state_id, partial_state, completed_state, updated_at) VALUES ($1, '{}', $2, $3)
         ON CONFLICT (state_id) DO UPDATE SET partial_state = '{}', completed_state = excluded.completed_state, updated_at = excluded.updated_at`,
        [stateId, pythonJson(completed), updatedAt],
      );
    },
    async stateRow(stateId) {
      const r = await query('SELECT * FROM state WHERE state_id = $1', [stateId]);
      return r.rows[0] ?? null;
    },
    async stateIds() {
      return (await query('SELECT state_id FROM state')).rows.map((r) => r.state_id);
    },
    async replaceState(stateId, partial, completed) {
      await query(
        `INSERT INTO state (state_id, partial_state, completed_state, updated_at) VALUES ($1, $2, $3, NULL)
         ON CONFLICT (state_id) DO UPDATE SET partial_state = excluded.partial_state, completed_state = excluded.completed_state, updated_at = $4`,
        [stateId, partial, completed, meltanoTimestamp(new Date())],
      );
    },
    async deleteState(stateId) {
      await query('DELETE FROM state WHERE state_id = $1', [stateId]);
    },
    async transaction(fn) {
      return fn();
    },
    async close() {
      await pool.end();
    },
  };
}
