import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { microsToDbText } from '../../src/db/timestamps.js';
import { listJobViews, listScheduleViews } from '../../src/pipelines/pipeline-views.js';
import { loadProject } from '../../src/project/load-project.js';
import type { Project } from '../../src/project/project.types.js';
import type { RunView } from '../../src/runs/run.types.js';
import { describeInterval } from '../../src/schedules/interval.js';
import { HAS_REAL_PROJECTS, itReal, realMeltano, realProject } from '../project/fixture-paths.js';
import {
  DIALECTS,
  type FixtureBackends,
  prepareFixtureBackends,
  type TestDialect,
} from '../support/backends.js';
import { copyFixtureDb, type TempDir, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

const NOW = new Date('2026-11-21T06:00:00Z');
const LARGE = realProject('meltano__meltano', 'tests/fixtures/large_config_project');

/** What a pipeline row showed before the run summary: the three direct queries, combined. */
async function expectedRunFields(db: SystemDatabase, stateIds: string[][]) {
  const ids = [...new Set(stateIds.flat())];
  const [latest, recent, stats] = await Promise.all([
    db.runs.latestByStateId(ids),
    db.runs.recentByStateId(ids, 20),
    db.runs.stats(ids),
  ]);
  return stateIds.map((own) => {
    const runs: RunView[] = own.flatMap((id) => recent.get(id) ?? []).sort((a, b) => b.id - a.id);
    const newest = own.map((id) => latest.get(id)).filter((r) => r !== undefined);
    const counts = { total: 0, succeeded: 0, failed: 0 };
    for (const id of own) {
      counts.total += stats.get(id)?.total ?? 0;
      counts.succeeded += stats.get(id)?.succeeded ?? 0;
      counts.failed += stats.get(id)?.failed ?? 0;
    }
    const finished = counts.succeeded + counts.failed;
    return {
      latest_run: newest.sort((a, b) => b.id - a.id)[0] ?? null,
      recent_runs: runs.slice(0, 20).map(({ id, status, started_at, duration_seconds }) => ({
        id,
        status,
        started_at,
        duration_seconds,
      })),
      totals: { ...counts, success_rate: finished === 0 ? null : counts.succeeded / finished },
    };
  });
}

async function expectSameAsDirect(project: Project, db: SystemDatabase, environment: string | null) {
  const schedules = await listScheduleViews(project, db, { environment, now: NOW });
  const scheduleRuns = await expectedRunFields(
    db,
    schedules.map((s) => s.state_ids),
  );
  // The actual views with the expected run fields (and interval fields) put in: equal when they agree.
  expect(schedules).toEqual(
    schedules.map((view, i) => {
      const interval = describeInterval(project.schedules[i]?.interval ?? null, NOW);
      const { cron, description: interval_description, next_run_at } = interval;
      return { ...view, ...scheduleRuns[i], cron, interval_description, next_run_at };
    }),
  );
  const jobs = await listJobViews(project, db, { environment });
  const jobRuns = await expectedRunFields(
    db,
    jobs.map((j) => j.state_ids),
  );
  expect(jobs).toEqual(jobs.map((view, i) => ({ ...view, ...jobRuns[i] })));
  return schedules;
}

/**
 * 3,000 runs over the large project's 153 schedules: most run often, three ran only early on, one
 * never; failures with errors, STATE_EDIT rows, RUNNING rows fresh and stale, a row without state ID.
 */
function writeLargeRuns(file: string, names: string[]): void {
  const db = new Database(file);
  const insert = db.prepare(
    `INSERT INTO runs (id, job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'scheduler', ?)`,
  );
  const at = (id: number) => microsToDbText((NOW.getTime() - (3001 - id) * 60_000) * 1000);
  db.transaction(() => {
    db.exec('DELETE FROM runs');
    for (let id = 1; id <= 3000; id++) {
      const name = id < 100 && id % 10 === 0 ? names[149 + (id % 3)] : names[id % 149];
      const state =
        id % 250 === 0
          ? 'STATE_EDIT'
          : id % 401 === 0 || id === 2999
            ? 'RUNNING'
            : id % 13 === 0
              ? 'FAIL'
              : 'SUCCESS';
      const ended = state === 'RUNNING' ? null : at(id + 1);
      const payload = state === 'FAIL' ? `{"error": "Loader failed at ${id}"}` : '{"singer_state": {}}';
      insert.run(
        id,
        id === 1500 ? null : name,
        state,
        at(id),
        ended,
        payload,
        id.toString(16).padStart(32, '0'),
        ended ?? at(id),
      );
    }
  })();
  db.close();
}

describe.each(DIALECTS)('pipeline views on %s', (dialect: TestDialect) => {
  let tmp: TempDir;
  let pg: TestPostgres | null = null;
  let large: { project: Project; db: SystemDatabase };
  let backends: FixtureBackends;

  beforeAll(async () => {
    tmp = await tempDir();
    backends = await prepareFixtureBackends();
    if (!HAS_REAL_PROJECTS) return;
    const project = await loadProject(LARGE);
    const file = await copyFixtureDb('v4.2.2', tmp.dir);
    writeLargeRuns(
      file,
      project.schedules.map((s) => s.name),
    );
    let uri = `sqlite:///${file}`;
    if (dialect === 'postgres') {
      pg = await createTestPostgres();
      await pg.createMeltanoSchema();
      await pg.loadFromSqlite(file);
      uri = pg.uri();
    }
    const target = parseDatabaseUri(uri, { projectRoot: '/', cwd: '/', sysDir: path.dirname(file) });
    large = { project, db: openSystemDatabase(target, { now: () => NOW }) };
  });
  afterAll(async () => {
    await large?.db.close();
    await backends?.cleanup();
    await pg?.drop();
    await tmp?.cleanup();
  });

  itReal('show what the direct queries show for 153 schedules over 3,000 runs', async () => {
    const schedules = await expectSameAsDirect(large.project, large.db, null);
    expect(schedules).toHaveLength(153);
    const byName = new Map(schedules.map((s) => [s.name, s]));
    expect(byName.get('fixed_schedule_2022-12-31')).toMatchObject({ latest_run: null, recent_runs: [] });
    expect(byName.get('fixed_schedule_2022-12-28')?.totals.total).toBeGreaterThan(0);
    expect(schedules.some((s) => s.latest_run?.status === 'running')).toBe(true);
    expect(schedules.some((s) => s.latest_run?.status === 'failed')).toBe(true);
  });

  it('show what the direct queries show for the real Meltano 3.9.5 project (job schedules, environments)', async () => {
    const project = await loadProject(realMeltano('v3.9.5'));
    const db = backends.open(dialect, 'v3.9.5', () => NOW);
    for (const environment of ['dev', 'prod', null]) {
      const schedules = await expectSameAsDirect(project, db, environment);
      if (environment === 'dev') expect(schedules.some((s) => s.latest_run !== null)).toBe(true);
    }
  });
});
