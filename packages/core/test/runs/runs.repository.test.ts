import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemDatabase } from '../../src/db/system-database.js';
import { InvalidInputError } from '../../src/errors.js';
import type { RunStatus, RunView } from '../../src/runs/run.types.js';
import { DIALECTS, type FixtureBackends, prepareFixtureBackends } from '../support/backends.js';
import {
  type DumpedRun,
  dashedUuid,
  FIXTURE_DBS,
  fixtureVersion,
  isoFromDump,
  readOutput,
} from '../support/fixtures.js';

/** Row 15 of each fixture: `meltano run tap-demo-slow target-demo`, SIGKILLed, left RUNNING (READMEs). */
const KILLED_RUNNING = {
  'v2.20.0': { heartbeat: '2026-11-21T04:39:06.940260Z', run_id: '645b459e-8341-4afb-b46b-9ad3e44c131a' },
  'v3.9.5': { heartbeat: '2026-11-21T04:45:06.876121Z', run_id: '01a1fc6c-03a9-706a-8239-cbc659a19680' },
  'v4.2.2': { heartbeat: '2026-11-21T04:45:56.816088Z', run_id: '01a1fc6c-c6b1-79c8-ae27-c349219448eb' },
} as const;
const STALE_ERROR = 'No heartbeat recorded for 5 minutes. The process was likely killed unceremoniously.';
const ALL_RUN_IDS = [15, 14, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

let backends: FixtureBackends;
beforeAll(async () => {
  backends = await prepareFixtureBackends();
});
afterAll(async () => {
  await backends?.cleanup();
});

describe.each(DIALECTS)('RunsRepository on %s', (dialect) => {
  describe.each(FIXTURE_DBS)('%s', (fixture) => {
    const version = fixtureVersion(fixture) as keyof typeof KILLED_RUNNING;
    const literal = KILLED_RUNNING[version];
    const heartbeatMs = Date.parse(literal.heartbeat);
    const anHourLater = new Date(heartbeatMs + 3_600_000);
    const tenSecondsLater = new Date(heartbeatMs + 10_000);
    let dump: DumpedRun[];
    let runs: DumpedRun[];
    let db: SystemDatabase; // clock: an hour after run 15's last heartbeat
    let fresh: SystemDatabase; // clock: 10 s after it

    beforeAll(async () => {
      dump = await readOutput<DumpedRun[]>(version, 'table-runs.json');
      runs = dump.filter((r) => r.state !== 'STATE_EDIT').sort((a, b) => b.id - a.id);
      db = backends.open(dialect, fixture, () => anHourLater);
      fresh = backends.open(dialect, fixture, () => tenSecondsLater);
    });

    const statusOf = (row: DumpedRun): RunStatus =>
      row.state === 'SUCCESS' ? 'success' : row.state === 'RUNNING' ? 'stale' : 'failed';

    /** What the dump says a run must read as (an hour after run 15's heartbeat). */
    const expected = (row: DumpedRun) => ({
      id: row.id,
      state_id: row.job_name,
      run_id: dashedUuid(row.run_id),
      status: statusOf(row),
      meltano_state: row.state,
      started_at: isoFromDump(row.started_at),
      ended_at: isoFromDump(row.ended_at),
      last_heartbeat_at: isoFromDump(row.last_heartbeat_at),
      trigger: row.trigger,
      error: (JSON.parse(row.payload) as { error?: string }).error ?? null,
      payload_flags: row.payload_flags,
    });
    const ids = (views: RunView[]) => views.map((v) => v.id);

    it('lists every run newest first with the stored values, STATE_EDIT rows left out', async () => {
      const page = await db.runs.list({}, { limit: 500 });
      expect(page.next_cursor).toBeNull();
      expect(ids(page.items)).toEqual(ALL_RUN_IDS);
      expect(page.items.map(({ heartbeat_age_seconds, duration_seconds, ...rest }) => rest)).toEqual(
        runs.map(expected),
      );
      expect(page.items.every((v) => v.meltano_state !== 'STATE_EDIT')).toBe(true);
    });

    it('computes durations from microseconds and ages only for RUNNING rows', async () => {
      const { items } = await db.runs.list({}, { limit: 500 });
      for (const view of items) {
        const row = runs.find((r) => r.id === view.id)!;
        if (row.state === 'RUNNING') {
          expect(view.duration_seconds).toBeNull();
          expect(view.heartbeat_age_seconds).toBeCloseTo(3600, 2);
        } else {
          const micros = (t: string) => Date.parse(`${t.slice(0, 19)}Z`) * 1000 + Number(t.slice(20));
          expect(view.duration_seconds).toBeCloseTo(
            (micros(row.ended_at!) - micros(row.started_at!)) / 1e6,
            6,
          );
          expect(view.heartbeat_age_seconds).toBeNull();
        }
      }
    });

    it('reads run 15 as stale an hour after its heartbeat and as running 10 s after it', async () => {
      const stale = await db.runs.get(15);
      expect(stale).toMatchObject({
        status: 'stale',
        meltano_state: 'RUNNING',
        last_heartbeat_at: literal.heartbeat,
        run_id: literal.run_id,
        ended_at: null,
        state_id: 'dev:tap-demo-slow-to-target-demo',
      });
      const running = await fresh.runs.get(15);
      expect(running?.status).toBe('running');
      expect(running?.heartbeat_age_seconds).toBeCloseTo(10, 2);
      expect(ids((await db.runs.list({ statuses: ['stale'] }, { limit: 50 })).items)).toEqual([15]);
      expect((await db.runs.list({ statuses: ['running'] }, { limit: 50 })).items).toEqual([]);
      expect(ids((await fresh.runs.list({ statuses: ['running'] }, { limit: 50 })).items)).toEqual([15]);
      expect((await fresh.runs.list({ statuses: ['stale'] }, { limit: 50 })).items).toEqual([]);
    });

    it('reads killed-stale as failed with the error the CLI wrote, and row 9 as triggered by the scheduler', async () => {
      const killed = await db.runs.get(14);
      expect(killed).toMatchObject({
        state_id: 'killed-stale',
        status: 'failed',
        error: STALE_ERROR,
        payload_flags: 0,
      });
      expect(await db.runs.get(9)).toMatchObject({
        state_id: 'failing-demo',
        trigger: 'scheduler',
        status: 'failed',
      });
      expect((await db.runs.get(6))?.error).toBe('Extractor failed');
      expect((await db.runs.get(3))?.error).toMatch(/^ELT could not be completed: Extractor failed\./);
    });

    it('gets runs by id and answers null for STATE_EDIT rows and unknown ids', async () => {
      for (const row of runs) expect(await db.runs.get(row.id)).toMatchObject(expected(row));
      expect(await db.runs.get(12)).toBeNull();
      expect(await db.runs.get(13)).toBeNull();
      expect(await db.runs.get(999)).toBeNull();
    });

    it('finds the latest run per state ID', async () => {
      const latest = new Map<string, number>();
      for (const row of [...runs].reverse()) latest.set(row.job_name, row.id);
      const all = await db.runs.latestByStateId();
      expect(new Map([...all].map(([k, v]) => [k, v.id]))).toEqual(latest);
      const some = await db.runs.latestByStateId([
        'manual-ok',
        'manual-edit',
        'dev:tap-demo-to-target-demo',
        'nope',
      ]);
      expect(new Map([...some].map(([k, v]) => [k, v.id]))).toEqual(
        new Map([
          ['manual-ok', 2],
          ['dev:tap-demo-to-target-demo', 10],
        ]),
      );
      expect(some.get('manual-ok')).toMatchObject(expected(runs.find((r) => r.id === 2)!));
      expect(await db.runs.latestByStateId([])).toEqual(new Map());
    });

    it('returns the last N runs per state ID, newest first', async () => {
      const recent = await db.runs.recentByStateId(
        ['dev:tap-demo-to-target-demo', 'manual-ok', 'manual-edit', 'nope'],
        2,
      );
      expect(new Map([...recent].map(([k, v]) => [k, ids(v)]))).toEqual(
        new Map([
          ['dev:tap-demo-to-target-demo', [10, 5]],
          ['manual-ok', [2, 1]],
          ['manual-edit', []],
          ['nope', []],
        ]),
      );
      const twenty = await db.runs.recentByStateId(['dev:tap-demo-to-target-demo'], 20);
      expect(ids(twenty.get('dev:tap-demo-to-target-demo')!)).toEqual([10, 5, 4]);
      // More state IDs than one scan batch takes: same answer.
      const many = [...Array.from({ length: 450 }, (_, i) => `absent-${i}`), 'manual-ok', 'killed-stale'];
      const batched = await db.runs.recentByStateId(many, 20);
      expect(batched.size).toBe(452);
      expect(ids(batched.get('manual-ok')!)).toEqual([2, 1]);
      expect(ids(batched.get('killed-stale')!)).toEqual([14]);
    });

    it('counts finished runs per state ID (RUNNING rows are not finished)', async () => {
      const stats = await db.runs.stats([
        'dev:tap-demo-to-target-demo',
        'dev:tap-demo-fail-to-target-demo',
        'manual-ok',
        'killed-stale',
        'dev:tap-demo-slow-to-target-demo',
        'manual-edit',
      ]);
      expect(Object.fromEntries(stats)).toEqual({
        'dev:tap-demo-to-target-demo': { total: 3, succeeded: 3, failed: 0 },
        'dev:tap-demo-fail-to-target-demo': { total: 1, succeeded: 0, failed: 1 },
        'manual-ok': { total: 2, succeeded: 2, failed: 0 },
        'killed-stale': { total: 1, succeeded: 0, failed: 1 },
        'dev:tap-demo-slow-to-target-demo': { total: 0, succeeded: 0, failed: 0 },
        'manual-edit': { total: 0, succeeded: 0, failed: 0 },
      });
    });

    it('summarises every state ID that has runs, most recently run first', async () => {
      const counts = new Map<string, number>();
      for (const row of runs) counts.set(row.job_name, (counts.get(row.job_name) ?? 0) + 1);
      const summaries = await db.runs.stateIdSummaries();
      expect(summaries.map((s) => [s.state_id, s.run_count, s.latest.id])).toEqual([
        ['dev:tap-demo-slow-to-target-demo', 1, 15],
        ['killed-stale', 1, 14],
        ['cron-demo', 1, 11],
        ['dev:tap-demo-to-target-demo', 3, 10],
        ['failing-demo', 1, 9],
        ['daily-demo', 1, 8],
        ['prod:tap-demo-to-target-demo', 1, 7],
        ['dev:tap-demo-fail-to-target-demo', 1, 6],
        ['manual-fail', 1, 3],
        ['manual-ok', 2, 2],
      ]);
      expect(new Map(summaries.map((s) => [s.state_id, s.run_count]))).toEqual(counts);
      expect(summaries[0]?.latest.status).toBe('stale');
    });

    it('filters by state ID, status, trigger and start time', async () => {
      const list = async (filter: Parameters<SystemDatabase['runs']['list']>[0]) =>
        ids((await db.runs.list(filter, { limit: 500 })).items);
      expect(await list({ state_ids: ['manual-ok', 'cron-demo'] })).toEqual([11, 2, 1]);
      expect(await list({ statuses: ['failed'] })).toEqual([14, 9, 6, 3]);
      expect(await list({ statuses: ['success', 'stale'] })).toEqual([15, 11, 10, 8, 7, 5, 4, 2, 1]);
      expect(await list({ statuses: ['running', 'success', 'failed', 'stale'] })).toEqual(ALL_RUN_IDS);
      expect(await list({ trigger: 'scheduler' })).toEqual([9]);
      expect(await list({ trigger: 'scheduler', statuses: ['success'] })).toEqual([]);
      const row5 = isoFromDump(runs.find((r) => r.id === 5)!.started_at)!;
      expect(
        await list({ since: row5, until: isoFromDump(runs.find((r) => r.id === 7)!.started_at)! }),
      ).toEqual([6, 5]);
      expect(await list({ until: row5 })).toEqual([4, 3, 2, 1]);
      // Millisecond precision, as `new Date(x).toISOString()` gives, and other offsets.
      const ms = new Date(Date.parse(row5) + 1).toISOString();
      expect((await list({ since: ms })).at(-1)).toBe(6);
      const shifted = `${row5.slice(0, 11)}${String(Number(row5.slice(11, 13)) + 2).padStart(2, '0')}${row5.slice(13, -1)}+02:00`;
      expect((await list({ since: shifted })).at(-1)).toBe(5);
      expect(await list({ state_ids: [], statuses: [] })).toEqual(ALL_RUN_IDS);
    });

    it('pages with an opaque cursor: every run once, in order, for any page size', async () => {
      for (const limit of [1, 2, 4, 13]) {
        const seen: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await db.runs.list({}, { cursor, limit });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...ids(page.items));
          cursor = page.next_cursor;
          pages++;
        } while (cursor !== null && pages < 50);
        expect(seen).toEqual(ALL_RUN_IDS);
        expect(pages).toBe(Math.ceil(ALL_RUN_IDS.length / limit));
      }
      const failed: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await db.runs.list({ statuses: ['failed'] }, { cursor, limit: 3 });
        failed.push(...ids(page.items));
        cursor = page.next_cursor;
      } while (cursor !== null);
      expect(failed).toEqual([14, 9, 6, 3]);
    });

    it('rejects bad cursors, limits and filters with InvalidInputError', async () => {
      for (const cursor of ['not a cursor', 'MTE=', Buffer.from('abc').toString('base64url'), 'MA', '-1']) {
        await expect(db.runs.list({}, { cursor, limit: 10 })).rejects.toBeInstanceOf(InvalidInputError);
      }
      for (const limit of [0, 501, 1.5, Number.NaN]) {
        await expect(db.runs.list({}, { limit })).rejects.toBeInstanceOf(InvalidInputError);
      }
      await expect(db.runs.list({ statuses: ['done' as RunStatus] }, { limit: 10 })).rejects.toThrow(
        /Unknown run status 'done'/,
      );
      await expect(db.runs.list({ since: 'yesterday' }, { limit: 10 })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(db.runs.list({ until: '2026-02-30T00:00:00Z' }, { limit: 10 })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(db.runs.recentByStateId(['x'], 0)).rejects.toBeInstanceOf(InvalidInputError);
    });
  });
});

describe.each(DIALECTS)('RunsRepository on %s against `meltano logs list` (v4.2.2)', (dialect) => {
  it("gives the CLI's durations and start times, newest first", async () => {
    const cli = await readOutput<{ runs: { started_at: string; duration_seconds: number | null }[] }>(
      'v4.2.2',
      'logs-list.json',
    );
    const db = backends.open(dialect, 'v4.2.2', () => new Date('2026-11-21T06:00:00Z'));
    const { items } = await db.runs.list({}, { limit: 500 });
    expect(items.map((v) => v.duration_seconds)).toEqual(cli.runs.map((r) => r.duration_seconds));
    expect(items.map((v) => v.started_at)).toEqual(cli.runs.map((r) => r.started_at.replace('+00:00', 'Z')));
  });
});
