import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemDatabase } from '../../src/db/system-database.js';
import { parsePythonJson } from '../../src/plugin-settings/python-json.js';
import { pyFromJs } from '../../src/plugin-settings/python-value.js';
import { createStateEditor, type StateEditor } from '../../src/state-writes/state-edits.js';
import { prepareScratchDbs, type ScratchDb, type ScratchDbs } from '../runs/scratch-db.js';
import { DIALECTS } from '../support/backends.js';
import { type DumpedRun, type DumpedState, readOutput } from '../support/fixtures.js';

const run = promisify(execFile);
// The Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
const VERSIONS = ['v2.20.0', 'v3.9.5', 'v4.2.2'] as const;

interface Row {
  id: number;
  job_name: string;
  state: string;
  started_at: string;
  ended_at: string;
  payload: string;
  payload_flags: number;
  run_id: string;
  trigger: string;
  last_heartbeat_at: string | null;
}

let scratch: ScratchDbs;
let projectDir: string;
beforeAll(async () => {
  scratch = await prepareScratchDbs();
  projectDir = await mkdtemp(path.join(os.tmpdir(), 'state-standin-'));
  await writeFile(path.join(projectDir, 'meltano.yml'), 'version: 1\nproject_id: state-edits\n');
});
afterAll(async () => {
  await scratch?.cleanup();
  await rm(projectDir, { recursive: true, force: true });
});

const runsAfter = (db: SystemDatabase, id: number) =>
  db.withKysely(
    async (k) =>
      (await k.selectFrom('runs').selectAll().where('id', '>', id).orderBy('id').execute()) as Row[],
  );
const stateRow = (db: SystemDatabase, stateId: string) =>
  db.withKysely(
    async (k) =>
      (await k.selectFrom('state').selectAll().where('state_id', '=', stateId).executeTakeFirst()) as
        | DumpedState
        | undefined,
  );
const setStateRow = (db: SystemDatabase, row: DumpedState) =>
  db.withKysely((k) => k.updateTable('state').set(row).where('state_id', '=', row.state_id).execute());
const deleteStateRow = (db: SystemDatabase, stateId: string) =>
  db.withKysely((k) => k.deleteFrom('state').where('state_id', '=', stateId).execute());

/** `meltano state get` through the stand-in, on the same database. */
async function standinGet(s: ScratchDb, stateId: string): Promise<string> {
  const { stdout } = await run(process.execPath, [STANDIN, 'state', 'get', '--', stateId], {
    cwd: projectDir,
    env: { ...process.env, MELTANO_DATABASE_URI: s.uri },
  });
  return stdout.trim();
}

/** What the CLI wrote for the same command, minus what differs per invocation (id, run_id, time, trigger). */
function expectEditRow(row: Row | undefined, cli: DumpedRun, dialect: string) {
  expect(row).toMatchObject({
    job_name: cli.job_name,
    state: 'STATE_EDIT',
    payload: cli.payload,
    payload_flags: cli.payload_flags,
    trigger: 'ui',
    last_heartbeat_at: null,
  });
  expect(row?.started_at).toBe(row?.ended_at);
  expect(String(row?.started_at)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/);
  expect(row?.run_id).toMatch(dialect === 'sqlite' ? /^[0-9a-f]{32}$/ : /^[0-9a-f-]{36}$/);
}

describe.each(DIALECTS)('state edits on %s', (dialect) => {
  describe.each(VERSIONS)('%s', (version) => {
    let s: ScratchDb;
    let db: SystemDatabase;
    let editor: StateEditor;
    let cliRuns: DumpedRun[];
    let cliState: DumpedState[];
    beforeAll(async () => {
      s = await scratch.create(dialect, version);
      db = s.open(() => new Date());
      editor = createStateEditor(db, () => new Date());
      cliRuns = await readOutput<DumpedRun[]>(version, 'table-runs.json');
      cliState = await readOutput<DumpedState[]>(version, 'table-state.json');
    });
    const cliEdit = (stateId: string) =>
      cliRuns.find((r) => r.state === 'STATE_EDIT' && r.job_name === stateId);
    const cliStateOf = (stateId: string) => cliState.find((r) => r.state_id === stateId) as DumpedState;

    it('set writes what `meltano state set manual-edit` wrote: a STATE_EDIT row and a new state row', async () => {
      const cli = cliEdit('manual-edit') as DumpedRun;
      await deleteStateRow(db, 'manual-edit');
      const outcome = await editor.set('manual-edit', parsePythonJson(cli.payload));
      const [row, ...more] = await runsAfter(db, 15);
      expect(more).toEqual([]);
      expectEditRow(row, cli, dialect);
      expect(outcome.edit_run?.id).toBe(row?.id);
      // A first insert: updated_at stays NULL, as SQLAlchemy leaves it.
      expect(await stateRow(db, 'manual-edit')).toEqual(cliStateOf('manual-edit'));
      expect(await standinGet(s, 'manual-edit')).toBe(cli.payload);
    });

    it('merge writes what `meltano state merge manual-ok` wrote: payload_flags 2, the partial state merged', async () => {
      const cli = cliEdit('manual-ok') as DumpedRun;
      const after = cliStateOf('manual-ok');
      // The row as the second `meltano el` run left it, before the CLI's merge.
      await setStateRow(db, { ...after, partial_state: '{}', updated_at: '2026-11-21 04:33:00.000000' });
      const before = (await runsAfter(db, 0)).length;
      await editor.merge('manual-ok', parsePythonJson(cli.payload));
      const rows = await runsAfter(db, 0);
      expect(rows).toHaveLength(before + 1);
      expectEditRow(rows.at(-1), cli, dialect);
      const row = await stateRow(db, 'manual-ok');
      expect(row).toMatchObject({
        partial_state: after.partial_state,
        completed_state: after.completed_state,
      });
      expect(row?.updated_at).not.toBeNull();
      expect(JSON.parse(await standinGet(s, 'manual-ok'))).toEqual(
        await readOutput(version, 'state-get-manual-ok.json'),
      );

      // A second merge goes onto that partial state: objects merged key by key, lists replaced.
      await editor.merge(
        'manual-ok',
        pyFromJs({
          singer_state: { bookmarks: { orders: { last_id: 8, ids: [1] } }, currently_syncing: 'x' },
        }),
      );
      expect((await stateRow(db, 'manual-ok'))?.partial_state).toBe(
        '{"singer_state": {"bookmarks": {"orders": {"last_id": 8, "ids": [1]}}, "currently_syncing": "x"}}',
      );
      expect((await stateRow(db, 'manual-ok'))?.completed_state).toBe(after.completed_state);
      const merged = await db.state.get('manual-ok');
      expect(JSON.stringify(merged?.merged)).toBe(
        JSON.stringify(JSON.parse(await standinGet(s, 'manual-ok'))),
      );
    });

    it('copy sets the destination to the source as `meltano state get` reads it', async () => {
      const source = await standinGet(s, 'cron-demo');
      const before = (await runsAfter(db, 0)).length;
      const outcome = await editor.copy('copied-demo', 'cron-demo');
      const rows = await runsAfter(db, 0);
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({ job_name: 'copied-demo', payload: source, payload_flags: 1 });
      expect(await stateRow(db, 'copied-demo')).toEqual({
        state_id: 'copied-demo',
        partial_state: '{}',
        completed_state: source,
        updated_at: null,
      });
      expect(outcome.state?.merged).toEqual(JSON.parse(source));
      expect(await standinGet(s, 'copied-demo')).toBe(source);
      await expect(editor.copy('copied-demo', 'no-such-state')).rejects.toMatchObject({ status: 404 });
    });

    it('clear deletes the state row and writes no runs row (Meltano 2.10+)', async () => {
      const before = (await runsAfter(db, 0)).length;
      const outcome = await editor.clear('copied-demo');
      expect(outcome).toMatchObject({ cleared: true, edit_run: null, state: null });
      expect((await runsAfter(db, 0)).length).toBe(before);
      expect(await stateRow(db, 'copied-demo')).toBeUndefined();
      expect(await standinGet(s, 'copied-demo')).toBe('{}');
      expect((await editor.clear('copied-demo')).cleared).toBe(false);
    });

    it('refuses an edit while a run of the state ID is running, not once its heartbeat is stale', async () => {
      const now = new Date();
      const id = await s.insert({
        job_name: 'daily-demo',
        state: 'RUNNING',
        started_at: now,
        last_heartbeat_at: now,
      });
      const before = (await runsAfter(db, 0)).length;
      const state = pyFromJs({ singer_state: {} });
      for (const attempt of [
        () => editor.set('daily-demo', state),
        () => editor.merge('daily-demo', state),
        () => editor.clear('daily-demo'),
        () => editor.copy('daily-demo', 'cron-demo'),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ status: 409, code: 'state_id_running' });
      }
      expect((await runsAfter(db, 0)).length).toBe(before);
      expect(await stateRow(db, 'daily-demo')).toEqual(cliStateOf('daily-demo'));
      const old = new Date(now.getTime() - 6 * 60_000);
      await s.update(id, { last_heartbeat_at: old, started_at: old });
      await expect(editor.set('daily-demo', state)).resolves.toMatchObject({ operation: 'set' });
    });

    it('refuses a state without a top-level singer_state object, writing nothing', async () => {
      const before = (await runsAfter(db, 0)).length;
      for (const bad of [{}, { bookmarks: {} }, { singer_state: [] }, { singer_state: 1 }, []]) {
        await expect(editor.set('manual-edit', pyFromJs(bad))).rejects.toMatchObject({
          status: 422,
          code: 'invalid_state',
        });
      }
      // Where Meltano's merge would fail (an object onto a number in the partial state), nothing is written.
      await editor.set('conflict', pyFromJs({ singer_state: { bookmarks: 5 } }));
      await editor.merge('conflict', pyFromJs({ singer_state: { bookmarks: 7 } }));
      const rows = (await runsAfter(db, 0)).length;
      await expect(
        editor.merge('conflict', pyFromJs({ singer_state: { bookmarks: { a: 1 } } })),
      ).rejects.toMatchObject({ status: 422, details: { path: 'singer_state.bookmarks' } });
      // An empty object onto a number is no change to Python's merge.
      await editor.merge('conflict', pyFromJs({ singer_state: { bookmarks: {} } }));
      expect((await stateRow(db, 'conflict'))?.partial_state).toBe('{"singer_state": {"bookmarks": 7}}');
      expect((await runsAfter(db, 0)).length).toBe(rows + 1);
      expect(before + 2).toBe(rows);
    });
  });
});
