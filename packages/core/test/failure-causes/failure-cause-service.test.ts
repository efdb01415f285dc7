import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureCauseService } from '../../src/failure-causes/failure-cause-service.js';
import type {
  FailureCausesRepository,
  StoredFailureCause,
} from '../../src/failure-causes/failure-causes.repository.js';
import type { RunView } from '../../src/runs/run.types.js';
import { tempDir } from '../logs/fixtures.js';

const RUN_ID = '01a1fc64-830a-7eb2-802c-09796b82fbc3';
const TS = '2026-11-21T04:36:48.418458Z';
const tap = (m: string) => `${TS} [info     ] ${m.padEnd(30)} cmd_type=extractor name=tap-x stdio=stderr\n`;

function failedRun(over: Partial<RunView> = {}): RunView {
  return {
    id: 9,
    state_id: 'failing-demo',
    run_id: RUN_ID,
    status: 'failed',
    meltano_state: 'FAIL',
    started_at: null,
    ended_at: null,
    last_heartbeat_at: null,
    heartbeat_age_seconds: null,
    duration_seconds: null,
    trigger: null,
    error: 'Extractor failed',
    payload_flags: null,
    ...over,
  };
}

/** The table, as a map: what a second replica would find. */
function memoryRepo(): FailureCausesRepository & { rows: Map<number, StoredFailureCause> } {
  const rows = new Map<number, StoredFailureCause>();
  return {
    rows,
    getMany: async (ids) => ids.flatMap((id) => (rows.has(id) ? [rows.get(id) as StoredFailureCause] : [])),
    put: async (stored) => void rows.set(stored.run_id, stored),
  };
}

describe('FailureCauseService', () => {
  let scratch: { dir: string; cleanup: () => Promise<void> };
  let log: string;
  beforeAll(async () => {
    scratch = await tempDir();
    log = path.join(scratch.dir, 'elt', 'failing-demo', RUN_ID, 'elt.log');
    await mkdir(path.dirname(log), { recursive: true });
    await writeFile(log, tap('ERROR first attempt failed'));
  });
  afterAll(() => scratch.cleanup());

  it('reads a log once, serves lists from memory, and reads it again when it grew', async () => {
    const repo = memoryRepo();
    const service = new FailureCauseService({
      repo,
      roots: [{ dir: scratch.dir, kind: 'project' }],
      revalidateMs: 0,
    });
    expect(await service.known([failedRun()])).toEqual(new Map()); // not known yet: queued
    await service.idle();
    expect(service.logReads).toBe(1);
    expect((await service.known([failedRun()])).get(9)).toMatchObject({
      message: 'ERROR first attempt failed',
      line: 1,
    });
    await service.idle(); // the re-check found the same size and mtime
    expect(service.logReads).toBe(1);

    await appendFile(log, tap('Traceback (most recent call last):') + tap('ValueError: second'));
    await service.known([failedRun()]);
    await service.idle();
    expect(service.logReads).toBe(2);
    expect(await service.of(failedRun())).toMatchObject({
      message: 'ValueError: second',
      line: 3,
      kind: 'exception',
    });
    expect(repo.rows.get(9)?.cause?.message).toBe('ValueError: second');

    // Another replica (same table, empty memory) reads no log.
    const replica = new FailureCauseService({ repo, roots: [{ dir: scratch.dir, kind: 'project' }] });
    expect(await replica.of(failedRun())).toMatchObject({ message: 'ValueError: second' });
    expect(replica.logReads).toBe(0);
  });

  it('without a log, the runs row error; runs that did not fail cost nothing', async () => {
    const service = new FailureCauseService({
      repo: memoryRepo(),
      roots: [{ dir: scratch.dir, kind: 'project' }],
    });
    const noLog = failedRun({ id: 10, run_id: '01a1fc64-0000-7000-8000-000000000000' });
    expect(await service.of(noLog)).toEqual({
      message: 'Extractor failed',
      line: null,
      source: null,
      cmd_type: null,
      kind: 'run_row',
    });
    expect(await service.of(failedRun({ id: 11, status: 'success' }))).toBeNull();
    expect(await service.known([failedRun({ id: 11, status: 'success' })])).toEqual(new Map());
    expect(service.logReads).toBe(0);
  });

  it('a table that cannot be written still leaves the cause in memory', async () => {
    const repo = memoryRepo();
    const errors: unknown[] = [];
    const broken = { ...repo, put: async () => Promise.reject(new Error('read-only database')) };
    const service = new FailureCauseService({
      repo: broken,
      roots: [{ dir: scratch.dir, kind: 'project' }],
      onError: (e) => errors.push(e),
    });
    expect(await service.of(failedRun())).toMatchObject({ kind: 'exception' });
    expect(await service.of(failedRun())).toMatchObject({ kind: 'exception' });
    expect(service.logReads).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
