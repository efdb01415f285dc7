import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { type PyDict, pyFromJs } from '../../src/plugin-settings/python-value.js';
import { meltanoMerge } from '../../src/state-writes/singer-state.js';
import { stateCliArgs } from '../../src/state-writes/state-backend.js';
import { createStateEditor } from '../../src/state-writes/state-edits.js';
import { DIALECTS } from '../support/backends.js';
import { type TempDir, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * Meltano 2.2–2.6 (a `runs` table, no `state` table): the state is the run history, so every edit is a
 * STATE_EDIT row, and a clear is an empty complete state (StateService.clear_state before 2.10).
 */
const COLUMNS = `id INTEGER PRIMARY KEY, job_name VARCHAR, state VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
  payload VARCHAR, payload_flags INTEGER, run_id CHAR(32), "trigger" VARCHAR, last_heartbeat_at TIMESTAMP`;
const HISTORY: [number, string, string, string, string, string, number][] = [
  [
    1,
    'old',
    'SUCCESS',
    '2026-11-20 10:00:00',
    '2026-11-20 10:01:00',
    '{"singer_state": {"bookmarks": {"a": {"id": 1}}}}',
    1,
  ],
  [
    2,
    'old',
    'FAIL',
    '2026-11-20 11:00:00',
    '2026-11-20 11:01:00',
    '{"singer_state": {"bookmarks": {"b": {"id": 2}}}, "error": "x"}',
    2,
  ],
];

describe.each(DIALECTS)('state edits without a state table (%s)', (dialect) => {
  let tmp: TempDir;
  let pg: TestPostgres | null = null;
  let db: SystemDatabase;
  beforeAll(async () => {
    tmp = await tempDir();
    let uri: string;
    if (dialect === 'sqlite') {
      const file = path.join(tmp.dir, 'meltano.db');
      const sqlite = new Database(file);
      sqlite.exec(`CREATE TABLE runs (${COLUMNS})`);
      const insert = sqlite.prepare(
        'INSERT INTO runs (id, job_name, state, started_at, ended_at, payload, payload_flags) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const row of HISTORY) insert.run(...row);
      sqlite.close();
      uri = `sqlite:///${file}`;
    } else {
      pg = await createTestPostgres();
      await pg.query('CREATE SCHEMA old_runs');
      await pg.query(
        `CREATE TABLE old_runs.runs (${COLUMNS.replace('INTEGER PRIMARY KEY', 'serial PRIMARY KEY').replace('CHAR(32)', 'uuid')})`,
      );
      for (const row of HISTORY)
        await pg.query(
          'INSERT INTO old_runs.runs (id, job_name, state, started_at, ended_at, payload, payload_flags) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          row,
        );
      await pg.query("SELECT setval('old_runs.runs_id_seq', 10)");
      uri = pg.uri('old_runs');
    }
    db = openSystemDatabase(parseDatabaseUri(uri, { projectRoot: '/', cwd: '/', sysDir: '/' }));
  });
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
    await tmp?.cleanup();
  });

  const rows = () =>
    db.withKysely(
      async (k) =>
        await k
          .selectFrom('runs')
          .select(['job_name', 'state', 'payload', 'payload_flags', 'trigger'])
          .orderBy('id')
          .execute(),
    );

  it('set, merge, copy and clear are STATE_EDIT rows only', async () => {
    const editor = createStateEditor(db, () => new Date());
    await editor.merge('old', pyFromJs({ singer_state: { bookmarks: { c: { id: 3 } } } }));
    // Copy reads the history as Meltano 2.6 did: the last complete state, then the partial ones since,
    // whole payloads merged (so the failed run's `error` comes along, as it did in the CLI).
    await editor.copy('new', 'old');
    await editor.clear('old');
    await editor.set('other', pyFromJs({ singer_state: { x: 1 } }));
    const written = (await rows()).slice(HISTORY.length);
    expect(written).toEqual([
      {
        job_name: 'old',
        state: 'STATE_EDIT',
        payload: '{"singer_state": {"bookmarks": {"c": {"id": 3}}}}',
        payload_flags: 2,
        trigger: 'ui',
      },
      {
        job_name: 'new',
        state: 'STATE_EDIT',
        payload:
          '{"singer_state": {"bookmarks": {"a": {"id": 1}, "b": {"id": 2}, "c": {"id": 3}}}, "error": "x"}',
        payload_flags: 1,
        trigger: 'ui',
      },
      { job_name: 'old', state: 'STATE_EDIT', payload: '{}', payload_flags: 1, trigger: 'ui' },
      {
        job_name: 'other',
        state: 'STATE_EDIT',
        payload: '{"singer_state": {"x": 1}}',
        payload_flags: 1,
        trigger: 'ui',
      },
    ]);
    // After the clear the history reads as empty: nothing to copy.
    await expect(editor.copy('again', 'old')).rejects.toMatchObject({ status: 404 });
  });
});

describe('meltanoMerge', () => {
  it("is Python's merge(src, dest): keys added at the end, lists replaced, dest untouched", () => {
    const dict = (value: unknown) => pyFromJs(value) as PyDict;
    const dest = dict({ b: { x: [1, 2], y: 1 }, a: 1 });
    const merged = meltanoMerge(dict({ b: { x: [3], z: { n: 1 } }, c: 'new' }), dest);
    expect(merged).toEqual(pyFromJs({ b: { x: [3], y: 1, z: { n: 1 } }, a: 1, c: 'new' }));
    expect(dest).toEqual(pyFromJs({ b: { x: [1, 2], y: 1 }, a: 1 }));
  });
});

describe('stateCliArgs', () => {
  it('passes --force where the CLI would prompt, and ends the options before the state ID', () => {
    const state = pyFromJs({ singer_state: { a: 'é' } });
    expect(stateCliArgs('set', '-odd', { state })).toEqual([
      'state',
      'set',
      '--force',
      '--',
      '-odd',
      '{"singer_state": {"a": "\\u00e9"}}',
    ]);
    expect(stateCliArgs('merge', 'id', { state })).toEqual([
      'state',
      'merge',
      '--',
      'id',
      '{"singer_state": {"a": "\\u00e9"}}',
    ]);
    expect(stateCliArgs('clear', 'id')).toEqual(['state', 'clear', '--force', '--', 'id']);
    expect(stateCliArgs('copy', 'dst', { from: 'src' })).toEqual([
      'state',
      'copy',
      '--force',
      '--',
      'src',
      'dst',
    ]);
  });
});
