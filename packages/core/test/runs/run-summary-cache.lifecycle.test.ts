import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConnection } from '../../src/db/database-connection.js';
import { postgresProvider } from '../../src/db/postgres-connection.js';
import { sqliteProvider } from '../../src/db/sqlite-connection.js';
import { DatabaseUnavailableError } from '../../src/errors.js';
import { createRunScanRepository, type RunScanRepository } from '../../src/runs/run-scan.repository.js';
import { RunSummaryCache } from '../../src/runs/run-summary-cache.js';
import { DIALECTS } from '../support/backends.js';
import { copyFixtureDb, type TempDir, tempDir } from '../support/fixtures.js';
import { allStateIds, directStateIdSummaries, directSummaries } from './run-summary-direct.js';
import { prepareScratchDbs, type ScratchDb, type ScratchDbs } from './scratch-db.js';

const NOW = new Date('2026-11-21T06:00:00Z');
const now = () => NOW;
const V2_RUN_15 = '645b459e-8341-4afb-b46b-9ad3e44c131a';
const V4_RUN_15 = '01a1fc6c-c6b1-79c8-ae27-c349219448eb';

let scratchDbs: ScratchDbs;
let tmp: TempDir;
beforeAll(async () => {
  [scratchDbs, tmp] = await Promise.all([prepareScratchDbs(), tempDir()]);
});
afterAll(async () => {
  await Promise.all([scratchDbs?.cleanup(), tmp?.cleanup()]);
});

/** A cache on its own connection, the scan counted: `passes` is how often it read from id 0. */
function cacheOn(scratch: ScratchDb, batchSize?: number) {
  const scan = createRunScanRepository(scratch.connection());
  const counted = { passes: 0, batches: 0, onBatch: () => {} };
  const spy: RunScanRepository = {
    heads(fromId, limit) {
      if (fromId === 0) counted.passes++;
      counted.batches++;
      counted.onBatch();
      return scan.heads(fromId, limit);
    },
    byIds: (ids) => scan.byIds(ids),
    seed: (opts) => scan.seed(opts),
  };
  return { cache: new RunSummaryCache(spy, batchSize ? { now, batchSize } : { now }), counted };
}

describe.each(DIALECTS)('the run summary cache on %s', (dialect) => {
  it('starts over when the database is replaced by another', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const db = scratch.open(now);
    const ids = [...(await allStateIds(db)), 'never-ran'];
    const { cache, counted } = cacheOn(scratch);
    expect((await cache.summaries(ids)).get('dev:tap-demo-slow-to-target-demo')?.recent[0]?.run_id).toBe(
      V4_RUN_15,
    );

    await scratch.replaceWith('v2.20.0'); // same ids, other runs
    const after = await cache.summaries(ids);
    expect(after.get('dev:tap-demo-slow-to-target-demo')?.recent[0]?.run_id).toBe(V2_RUN_15);
    expect(after).toEqual(await directSummaries(db, ids));
    expect(await cache.stateIdSummaries()).toEqual(await directStateIdSummaries(db));
    expect(counted.passes).toBe(2);
  });

  it('starts over when the highest rows vanish (a restored backup), then follows the new rows', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const db = scratch.open(now);
    const ids = [...(await allStateIds(db)), 'after-restore'];
    const { cache, counted } = cacheOn(scratch);
    await cache.sync();
    await scratch.deleteAbove(9);
    expect(await cache.summaries(ids)).toEqual(await directSummaries(db, ids));
    expect(counted.passes).toBe(2);

    await scratch.insert({ job_name: 'after-restore', state: 'SUCCESS', started_at: NOW });
    expect((await cache.summaries(ids)).get('after-restore')?.run_count).toBe(1);
    expect(await cache.summaries(ids)).toEqual(await directSummaries(db, ids));
    expect(counted.passes).toBe(2);
  });

  it('holds at most 20 runs per state ID, whatever the number of runs', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const db = scratch.open(now);
    for (let i = 0; i < 60; i++) {
      const state = i % 7 === 0 ? 'FAIL' : 'SUCCESS';
      await scratch.insert({
        job_name: i % 3 === 0 ? 'quiet' : 'busy',
        state,
        started_at: new Date(i * 1000),
      });
    }
    const { cache } = cacheOn(scratch, 7);
    const ids = [...(await allStateIds(db)), 'never-ran'];
    const summaries = await cache.summaries(ids);
    expect(summaries.get('busy')).toMatchObject({ run_count: 40, stats: { total: 40, succeeded: 34 } });
    expect(summaries.get('busy')?.recent).toHaveLength(20);
    expect(summaries).toEqual(await directSummaries(db, ids));
    const size = cache.size();
    expect(size.stateIds).toBe(12);
    // busy and quiet are capped at 20; the fixture's ten state IDs have 13 runs between them.
    expect(size.runs).toBe(20 + 20 + 13);
    expect(size.runs).toBeLessThanOrEqual(20 * size.stateIds);
  });

  it('shares one pass among callers that arrive while it runs', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const db = scratch.open(now);
    const ids = await allStateIds(db);
    const { cache, counted } = cacheOn(scratch, 2);
    let during: Promise<unknown>[] = [];
    counted.onBatch = () => {
      if (counted.batches === 2) during = [cache.summaries(ids), cache.stateIdSummaries(), cache.sync()];
    };
    const first = await cache.summaries(ids);
    const [second, stateIds] = await Promise.all(during);
    expect(counted.batches).toBeGreaterThan(7); // 15 rows, 2 per batch: the others came mid-pass
    expect(counted.passes).toBe(1);
    expect(first).toEqual(await directSummaries(db, ids));
    expect(second).toEqual(first);
    expect(stateIds).toEqual(await directStateIdSummaries(db));
  });

  it('lets the event loop run between the batches of a pass', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const { cache } = cacheOn(scratch, 2);
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    await cache.sync();
    done = true;
    // better-sqlite3 answers synchronously: without a yield per batch, no turn would run during the pass.
    expect(turns).toBeGreaterThanOrEqual(7);
  });

  it('fails with DatabaseUnavailableError once the database is gone, even after a sync', async () => {
    const scratch = await scratchDbs.create(dialect, 'v4.2.2');
    const conn = scratch.connection();
    const cache = new RunSummaryCache(createRunScanRepository(conn), { now });
    expect((await cache.stateIdSummaries()).length).toBe(10);
    await conn.close();
    await expect(cache.summaries(['manual-ok'])).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(cache.stateIdSummaries()).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });

  it('fails with DatabaseUnavailableError while the database cannot be read, and recovers', async () => {
    let conn: DatabaseConnection;
    let repair: () => Promise<void>;
    if (dialect === 'sqlite') {
      const file = path.join(tmp.dir, 'not-a-db', 'meltano.db');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, 'not a database, not even close'.repeat(100));
      conn = new DatabaseConnection(sqliteProvider(file, file));
      repair = async () => rename(await copyFixtureDb('v4.2.2', path.join(tmp.dir, 'fixed')), file);
    } else {
      conn = new DatabaseConnection(postgresProvider('postgresql://postgres@127.0.0.1:1/nowhere', 'pg:1'));
      repair = async () => {};
    }
    const cache = new RunSummaryCache(createRunScanRepository(conn), { now });
    await expect(cache.summaries(['manual-ok'])).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(cache.sync()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    if (dialect === 'sqlite') {
      await repair();
      expect((await cache.summaries(['manual-ok'])).get('manual-ok')?.run_count).toBe(2);
    }
    await conn.close();
  });

  it('answers empty while there is no database, then reads it once the CLI has made one', async () => {
    if (dialect === 'postgres') return; // a PostgreSQL database without tables: see system-database tests
    const file = path.join(tmp.dir, 'later', '.meltano', 'meltano.db');
    const conn = new DatabaseConnection(sqliteProvider(file, file));
    const cache = new RunSummaryCache(createRunScanRepository(conn), { now });
    expect(await cache.summaries(['manual-ok'])).toEqual(
      new Map([
        [
          'manual-ok',
          { state_id: 'manual-ok', run_count: 0, stats: { total: 0, succeeded: 0, failed: 0 }, recent: [] },
        ],
      ]),
    );
    expect(await cache.stateIdSummaries()).toEqual([]);
    await mkdir(path.dirname(file), { recursive: true });
    await rename(await copyFixtureDb('v4.2.2', path.join(tmp.dir, 'made-later')), file);
    expect((await cache.stateIdSummaries()).length).toBe(10);
    await conn.close();
  });
});
