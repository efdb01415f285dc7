import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type FixtureBackends, prepareFixtureBackends } from '../support/backends.js';
import { FIXTURE_DBS } from '../support/fixtures.js';
import { allStateIds, directStateIdSummaries, directSummaries } from './run-summary-direct.js';
import { prepareScratchDbs, type ScratchDbs } from './scratch-db.js';

// Run 15 of each fixture is RUNNING; its last heartbeat is 04:39 (v2.20.0) or 04:45 (v3.9.5, v4.2.2).
const CLOCKS = [new Date('2026-11-21T04:46:30Z'), new Date('2026-11-21T06:00:00Z')];
const NOW = new Date('2026-11-21T06:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

let backends: FixtureBackends;
let scratchDbs: ScratchDbs;
beforeAll(async () => {
  [backends, scratchDbs] = await Promise.all([prepareFixtureBackends(), prepareScratchDbs()]);
});
afterAll(async () => {
  await Promise.all([backends?.cleanup(), scratchDbs?.cleanup()]);
});

describe.each(DIALECTS)('the run summary on %s', (dialect) => {
  describe.each(FIXTURE_DBS)('of the real %s fixture', (fixture) => {
    it.each(CLOCKS)('answers what the direct queries answer at %s', async (clock) => {
      const db = backends.open(dialect, fixture, () => clock);
      const ids = [...(await allStateIds(db)), 'manual-edit', 'never-ran'];
      expect(ids.length).toBeGreaterThan(8);
      expect(await db.runs.summaries(ids)).toEqual(await directSummaries(db, ids));
      expect(await db.runs.stateIdSummaries()).toEqual(await directStateIdSummaries(db));
      const summaries = await db.runs.summaries(ids);
      for (const [id, summary] of await db.runs.latestByStateId(ids)) {
        expect(summaries.get(id)?.recent[0]).toEqual(summary);
      }
    });
  });

  describe('follows the CLI', () => {
    const setup = async () => {
      const scratch = await scratchDbs.create(dialect, 'v4.2.2');
      const db = scratch.open(() => NOW);
      const ids = [...(await allStateIds(db)), 'new-state'];
      expect(await db.runs.summaries(ids)).toEqual(await directSummaries(db, ids));
      return { scratch, db, ids };
    };

    it('picks up new runs', async () => {
      const { scratch, db, ids } = await setup();
      const ok = await scratch.insert({ job_name: 'manual-ok', state: 'SUCCESS', started_at: ago(300) });
      const failed = await scratch.insert({
        job_name: 'new-state',
        state: 'FAIL',
        started_at: ago(200),
        payload: '{"singer_state": {"bookmarks": {}}, "error": "Loader failed"}',
      });
      const summaries = await db.runs.summaries(ids);
      expect(summaries.get('manual-ok')).toMatchObject({
        run_count: 3,
        stats: { total: 3, succeeded: 3, failed: 0 },
        recent: [{ id: ok, status: 'success' }, { id: 2 }, { id: 1 }],
      });
      expect(summaries.get('new-state')).toMatchObject({
        run_count: 1,
        stats: { total: 1, succeeded: 0, failed: 1 },
        recent: [{ id: failed, status: 'failed', error: 'Loader failed' }],
      });
      expect(summaries).toEqual(await directSummaries(db, ids));
      const stateIds = await db.runs.stateIdSummaries();
      expect(stateIds.slice(0, 2).map((s) => s.state_id)).toEqual(['new-state', 'manual-ok']);
      expect(stateIds).toEqual(await directStateIdSummaries(db));
    });

    it('follows a RUNNING row: heartbeats, then the end of the run', async () => {
      const { scratch, db, ids } = await setup();
      const id = await scratch.insert({
        job_name: 'manual-ok',
        state: 'RUNNING',
        started_at: ago(60),
        last_heartbeat_at: ago(10),
      });
      let summary = (await db.runs.summaries(ids)).get('manual-ok');
      expect(summary).toMatchObject({ run_count: 3, stats: { total: 2, succeeded: 2, failed: 0 } });
      expect(summary?.recent[0]).toMatchObject({ id, status: 'running', heartbeat_age_seconds: 10 });

      await scratch.update(id, { last_heartbeat_at: ago(2) });
      summary = (await db.runs.summaries(ids)).get('manual-ok');
      expect(summary?.recent[0]).toMatchObject({ id, status: 'running', heartbeat_age_seconds: 2 });
      expect(await db.runs.summaries(ids)).toEqual(await directSummaries(db, ids));

      await scratch.update(id, { state: 'SUCCESS', ended_at: ago(1), last_heartbeat_at: ago(1) });
      summary = (await db.runs.summaries(ids)).get('manual-ok');
      expect(summary).toMatchObject({ run_count: 3, stats: { total: 3, succeeded: 3, failed: 0 } });
      expect(summary?.recent[0]).toMatchObject({ id, status: 'success', duration_seconds: 59 });
      expect(await db.runs.summaries(ids)).toEqual(await directSummaries(db, ids));
    });

    it('counts a RUNNING row that the CLI fails after it left the last 20 runs', async () => {
      const { scratch, db } = await setup();
      const ids = ['busy'];
      const running = await scratch.insert({
        job_name: 'busy',
        state: 'RUNNING',
        started_at: ago(3600),
        last_heartbeat_at: ago(3000),
      });
      for (let i = 0; i < 25; i++) {
        await scratch.insert({ job_name: 'busy', state: 'SUCCESS', started_at: ago(2000 - i * 10) });
      }
      let summary = (await db.runs.summaries(ids)).get('busy');
      expect(summary).toMatchObject({ run_count: 26, stats: { total: 25, succeeded: 25, failed: 0 } });
      expect(summary?.recent.map((r) => r.id)).not.toContain(running);

      // What `fail_stale_jobs` writes when the next run of the state ID starts.
      await scratch.update(running, {
        state: 'FAIL',
        ended_at: ago(5),
        payload:
          '{"error": "No heartbeat recorded for 5 minutes. The process was likely killed unceremoniously."}',
      });
      summary = (await db.runs.summaries(ids)).get('busy');
      expect(summary).toMatchObject({ run_count: 26, stats: { total: 26, succeeded: 25, failed: 1 } });
      expect(summary?.recent).toHaveLength(20);
      expect(await db.runs.summaries(ids)).toEqual(await directSummaries(db, ids));
    });

    it('ignores STATE_EDIT rows (meltano state set/merge/copy/move)', async () => {
      const { scratch, db, ids } = await setup();
      const before = await db.runs.summaries(ids);
      const stateIdsBefore = await db.runs.stateIdSummaries();
      await scratch.insert({
        job_name: 'manual-ok',
        state: 'STATE_EDIT',
        started_at: ago(30),
        ended_at: ago(30),
        payload: '{"singer_state": {"bookmarks": {"error": {"x": 1}}}}',
      });
      expect(await db.runs.summaries(ids)).toEqual(before);
      expect(await db.runs.stateIdSummaries()).toEqual(stateIdsBefore);
      const id = await scratch.insert({ job_name: 'manual-ok', state: 'SUCCESS', started_at: ago(20) });
      expect((await db.runs.summaries(ids)).get('manual-ok')?.recent[0]?.id).toBe(id);
    });

    it('sees a row that commits after one with a higher id (PostgreSQL takes ids before commit)', async () => {
      const { scratch, db, ids } = await setup();
      await scratch.insert({ id: 17, job_name: 'manual-ok', state: 'SUCCESS', started_at: ago(30) });
      expect((await db.runs.summaries(ids)).get('manual-ok')?.run_count).toBe(3);
      await scratch.insert({ id: 16, job_name: 'manual-ok', state: 'FAIL', started_at: ago(40) });
      const summary = (await db.runs.summaries(ids)).get('manual-ok');
      expect(summary?.run_count).toBe(4);
      expect(summary?.recent.map((r) => r.id)).toEqual([17, 16, 2, 1]);
      expect(await db.runs.summaries(ids)).toEqual(await directSummaries(db, ids));
    });
  });
});
