import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunScanRepository } from '../../src/runs/run-scan.repository.js';
import { RunSummaryCache } from '../../src/runs/run-summary-cache.js';
import { runsIndexes } from '../../src/runs/runs-indexes.js';
import { DIALECTS } from '../support/backends.js';
import { FIXTURE_DBS } from '../support/fixtures.js';
import { allStateIds, directStateIdSummaries, directSummaries } from './run-summary-direct.js';
import { prepareScratchDbs, type ScratchDbs } from './scratch-db.js';

// A first pass that counts through the UI's indexes (RunScanRepository.seed) must build the summary a
// pass over every row builds. The fixtures hold a few dozen rows, so the seed margin (1,000 ids by
// default) is cut to 3 here: the seed covers all but the newest rows, which are read as heads.
const NOW = new Date('2026-11-21T06:00:00Z');
const now = () => NOW;
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

let scratchDbs: ScratchDbs;
beforeAll(async () => {
  scratchDbs = await prepareScratchDbs();
});
afterAll(async () => {
  await scratchDbs?.cleanup();
});

describe.each(DIALECTS)('a run summary seeded from the UI indexes on %s', (dialect) => {
  it.each(FIXTURE_DBS)(
    'creates the indexes and answers what the direct queries answer (%s)',
    async (fixture) => {
      const scratch = await scratchDbs.create(dialect, fixture);
      const db = scratch.open(now);
      const conn = scratch.connection();
      const cache = new RunSummaryCache(createRunScanRepository(conn), { now, seedMargin: 3 });
      const ids = [...(await allStateIds(db)), 'manual-edit', 'never-ran'];
      expect(await cache.summaries(ids)).toEqual(await directSummaries(db, ids));
      expect(await cache.stateIdSummaries()).toEqual(await directStateIdSummaries(db));
      expect(cache.size()).toMatchObject({ passes: 1, seeded: 1 });
      const indexes = await db.withKysely((k) => runsIndexes(k, dialect));
      expect([...indexes]).toEqual(
        expect.arrayContaining([
          ['ui_runs_job_name_id', true],
          ['ui_runs_job_name_state', true],
        ]),
      );
    },
  );

  it('follows the CLI after a seed: new runs, and a RUNNING row below the seed that finishes', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const db = scratch.open(now);
    const running = await scratch.insert({
      job_name: 'busy',
      state: 'RUNNING',
      started_at: ago(3600),
      last_heartbeat_at: ago(3000),
    });
    for (let i = 0; i < 25; i++) {
      await scratch.insert({ job_name: 'busy', state: 'SUCCESS', started_at: ago(2000 - i * 10) });
    }
    const cache = new RunSummaryCache(createRunScanRepository(scratch.connection()), { now, seedMargin: 3 });
    const ids = [...(await allStateIds(db)), 'busy'];
    let summary = (await cache.summaries(ids)).get('busy');
    expect(summary).toMatchObject({ run_count: 26, stats: { total: 25, succeeded: 25, failed: 0 } });
    // The fixture's own run 15 is RUNNING too.
    expect(cache.size()).toMatchObject({ seeded: 1, running: 2 });

    await scratch.update(running, { state: 'FAIL', ended_at: ago(5) });
    const next = await scratch.insert({ job_name: 'busy', state: 'FAIL', started_at: ago(4) });
    summary = (await cache.summaries(ids)).get('busy');
    expect(summary).toMatchObject({ run_count: 27, stats: { total: 27, succeeded: 25, failed: 2 } });
    expect(summary?.recent[0]?.id).toBe(next);
    expect(await cache.summaries(ids)).toEqual(await directSummaries(db, ids));
    expect(cache.size()).toMatchObject({ passes: 1, seeded: 1 });
  });

  it('reads every head when there are no more rows than the margin', async () => {
    const scratch = await scratchDbs.create(dialect, 'v3.9.5');
    const db = scratch.open(now);
    const cache = new RunSummaryCache(createRunScanRepository(scratch.connection()), { now });
    const ids = await allStateIds(db);
    expect(await cache.summaries(ids)).toEqual(await directSummaries(db, ids));
    expect(cache.size()).toMatchObject({ passes: 1, seeded: 0 });
  });
});
