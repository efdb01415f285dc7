import { randomUUID } from 'node:crypto';
import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { findRunLog, normalizeRunId } from '../../src/logs/find-run-log.js';
import { type LogRoot, resolveLogRoots } from '../../src/logs/log-roots.js';
import { fixtureRuns, MELTANO_VERSIONS, REAL_MELTANO_DIR, tempDir } from './fixtures.js';

function fixtureRoots(version: string): LogRoot[] {
  const sysDir = path.join(REAL_MELTANO_DIR, version, 'project', '.meltano');
  // v4 wrote its logs to the per-user dir; the fixture keeps a copy, reached as ui.logs_dir.
  const logsDir = version === 'v4.2.2' ? path.join(REAL_MELTANO_DIR, version, 'user-log-dir') : null;
  return resolveLogRoots({ sysDir, logsDir, env: {}, homeDir: '/nonexistent-home' });
}

describe('findRunLog on real Meltano fixtures', () => {
  describe.each(MELTANO_VERSIONS)('%s', (version) => {
    const runs = fixtureRuns(version).filter((run) => run.state !== 'STATE_EDIT');

    it.each(runs.map((run) => [run.id, run.job_name, run.run_id] as const))(
      'finds the elt.log of run %i (%s)',
      async (_id, stateId, runId) => {
        const found = await findRunLog(fixtureRoots(version), stateId, runId);
        expect(found).not.toBeNull();
        const dashed = normalizeRunId(runId);
        expect(found).toMatch(new RegExp(`/elt/[^/]+/${dashed}/elt\\.log$`));
        // The first line of every elt.log is a Meltano timestamped line.
        expect((await readFile(found as string, 'utf8')).slice(0, 30)).toMatch(/^\d{4}-\d\d-\d\dT/);
      },
    );

    it('returns null for a run id that never ran, and for a known run under another state ID', async () => {
      const roots = fixtureRoots(version);
      expect(await findRunLog(roots, 'manual-ok', randomUUID())).toBeNull();
      const run = runs.find((r) => r.job_name === 'manual-fail');
      expect(await findRunLog(roots, 'manual-ok', run?.run_id ?? '')).toBeNull();
    });
  });

  it('accepts the dashed form and upper case, and rejects what is not a UUID', async () => {
    const roots = fixtureRoots('v2.20.0');
    const expected = await findRunLog(roots, 'manual-ok', 'a6a94679591046c882d74620891918e9');
    expect(await findRunLog(roots, 'manual-ok', 'A6A94679-5910-46C8-82D7-4620891918E9')).toBe(expected);
    for (const bad of [
      '',
      'latest',
      '../a6a94679591046c882d74620891918e9',
      'a6a94679591046c882d74620891918e',
      '*',
    ]) {
      await expect(findRunLog(roots, 'manual-ok', bad)).rejects.toBeInstanceOf(InvalidInputError);
    }
    await expect(findRunLog(roots, '', randomUUID())).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('findRunLog on a scratch logs tree', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  async function writeLog(root: string, stateFolder: string, runId: string, name = 'elt.log', text = 'x\n') {
    const runDir = path.join(root, 'elt', stateFolder, runId);
    await mkdir(runDir, { recursive: true });
    await writeFile(path.join(runDir, name), text);
    return path.join(runDir, name);
  }

  it('prefers roots in order, uses the legacy run/ layout last, and creates nothing', async () => {
    const sysDir = path.join(dir, '.meltano');
    const runId = randomUUID();
    const roots = resolveLogRoots({ sysDir, logsDir: path.join(dir, 'configured'), env: {}, homeDir: dir });
    expect(await findRunLog(roots, 'dev:tap-a-to-target-b', runId)).toBeNull();
    // The lookup above must not have created any folder (the old UI did).
    await expect(readFile(path.join(sysDir, 'logs'))).rejects.toMatchObject({ code: 'ENOENT' });

    const legacy = await writeLog(path.join(sysDir, 'run'), 'devtap-a-to-target-b', runId, 'tap.log');
    expect(await findRunLog(roots, 'dev:tap-a-to-target-b', runId)).toBe(legacy);
    const xdg = await writeLog(path.join(dir, '.local/state/meltano/log'), 'devtap-a-to-target-b', runId);
    expect(await findRunLog(roots, 'dev:tap-a-to-target-b', runId)).toBe(xdg);
    const project = await writeLog(path.join(sysDir, 'logs'), 'devtap-a-to-target-b', runId);
    expect(await findRunLog(roots, 'dev:tap-a-to-target-b', runId)).toBe(project);
    const configured = await writeLog(path.join(dir, 'configured'), 'devtap-a-to-target-b', runId);
    expect(await findRunLog(roots, 'dev:tap-a-to-target-b', runId)).toBe(configured);
  });

  it('finds a state ID that sanitizes to nothing where Meltano put it (elt/<run id>/)', async () => {
    const runId = randomUUID();
    const file = await writeLog(dir, '', runId);
    expect(await findRunLog([{ dir, kind: 'project' }], '日本語', runId)).toBe(file);
  });

  it('maps hostile state IDs to folders inside the root, never outside', async () => {
    const root = path.join(dir, 'root');
    const runId = randomUUID();
    // Logs just outside the root, where a naive join would land…
    await writeLog(dir, 'etc', runId);
    await writeLog(path.join(dir, 'elt'), '', runId);
    await mkdir(path.join(dir, runId), { recursive: true });
    await writeFile(path.join(dir, runId, 'elt.log'), 'outside\n');
    // …and inside it, where Meltano itself would have written them after sanitizing.
    const etc = await writeLog(root, 'etc', runId);
    const unnamed = await writeLog(root, '', runId);
    const roots: LogRoot[] = [{ dir: root, kind: 'project' }];
    const expected: Array<[string, string | null]> = [
      ['../../etc', etc],
      ['..', unnamed],
      ['../', unnamed],
      ['..%2f..', null],
      ['%2e%2e%2f%2e%2e', null],
      ['/etc/passwd', null],
      ['a/../../b', null],
      ['a\u0000b', null],
    ];
    for (const [stateId, file] of expected) {
      expect(await findRunLog(roots, stateId, runId), stateId).toBe(file);
    }
  });

  it('treats a symlinked elt.log or run folder that leads outside the root as absent', async () => {
    const root = path.join(dir, 'root');
    const outside = path.join(dir, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, 'secret.log'), 'secret\n');
    const fileRun = randomUUID();
    const dirRun = randomUUID();
    const innerRun = randomUUID();
    await mkdir(path.join(root, 'elt', 'job', fileRun), { recursive: true });
    await symlink(path.join(outside, 'secret.log'), path.join(root, 'elt', 'job', fileRun, 'elt.log'));
    await writeFile(path.join(outside, 'elt.log'), 'secret\n');
    await symlink(outside, path.join(root, 'elt', 'job', dirRun));
    // A symlink that stays inside the root is fine.
    const inner = await writeLog(root, 'other', innerRun);
    await mkdir(path.join(root, 'elt', 'job', innerRun), { recursive: true });
    await symlink(inner, path.join(root, 'elt', 'job', innerRun, 'elt.log'));

    const roots: LogRoot[] = [{ dir: root, kind: 'project' }];
    expect(await findRunLog(roots, 'job', fileRun)).toBeNull();
    expect(await findRunLog(roots, 'job', dirRun)).toBeNull();
    expect(await findRunLog(roots, 'job', innerRun)).toBe(await realpath(inner));
  });

  it('ignores a dangling elt.log symlink', async () => {
    const runId = randomUUID();
    await mkdir(path.join(dir, 'elt', 'job', runId), { recursive: true });
    await symlink(path.join(dir, 'not-there.log'), path.join(dir, 'elt', 'job', runId, 'elt.log'));
    expect(await findRunLog([{ dir, kind: 'project' }], 'job', runId)).toBeNull();
  });
});
