import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCHER_MARKER, resolveMeltanoExecutable } from '../../src/executor/meltano-executable.js';
import { pipelineCommand } from '../../src/executor/pipeline-command.js';
import { loadProject } from '../../src/project/load-project.js';

const V3_PROJECT = fileURLToPath(
  new URL('../../../../test-fixtures/real-meltano/v3.9.5/project', import.meta.url),
);
const v = (major: number, minor: number) => ({ major, minor, patch: 0, text: `${major}.${minor}.0` });

describe('the command the UI runs for a pipeline (Meltano’s own argv)', () => {
  it('uses `meltano schedule run NAME` on Meltano 2+', async () => {
    const project = await loadProject(V3_PROJECT);
    const cmd = pipelineCommand(project, 'schedule', 'daily-demo', { version: v(3, 9), environment: 'dev' });
    expect(cmd).toMatchObject({
      kind: 'schedule',
      args: ['schedule', 'run', '--', 'daily-demo'],
      stateIds: ['daily-demo'],
    });
  });

  it('falls back to the ELT and job forms when the CLI version is unknown', async () => {
    const project = await loadProject(V3_PROJECT);
    expect(
      pipelineCommand(project, 'schedule', 'failing-demo', { version: null, environment: 'dev' }).args,
    ).toEqual(['elt', 'tap-demo-fail', 'target-demo', '--transform=skip', '--state-id=failing-demo']);
    const job = pipelineCommand(project, 'schedule', 'demo-job-schedule', {
      version: null,
      environment: 'dev',
    });
    expect(job).toMatchObject({ args: ['run', '--', 'demo-job'], stateIds: ['dev:tap-demo-to-target-demo'] });
    expect(
      pipelineCommand(project, 'job', 'multi-job', { version: null, environment: 'prod' }),
    ).toMatchObject({
      args: ['run', '--', 'multi-job'],
      stateIds: ['prod:tap-demo-to-target-demo', 'prod:tap-demo-fail-to-target-demo'],
    });
  });

  it('passes run options as the flags of the command that reads them, for the Meltano version found', async () => {
    const project = await loadProject(V3_PROJECT);
    const all = {
      full_refresh: true,
      refresh_catalog: true,
      dry_run: true,
      state_strategy: 'merge' as const,
    };
    // An ELT schedule: `schedule run` hands the flags to `meltano elt` (dry run is --dry there).
    expect(
      pipelineCommand(project, 'schedule', 'daily-demo', {
        version: v(3, 9),
        environment: 'dev',
        options: all,
      }),
    ).toMatchObject({
      args: [
        'schedule',
        'run',
        '--',
        'daily-demo',
        '--full-refresh',
        '--refresh-catalog',
        '--dry',
        '--state-strategy=merge',
      ],
      options: all,
    });
    // A job, on Meltano 4: `meltano run` flags before `--`; a suffix changes the state IDs it locks.
    expect(
      pipelineCommand(project, 'job', 'multi-job', {
        version: v(4, 0),
        environment: 'prod',
        options: {
          full_refresh: true,
          no_state_update: true,
          state_id_suffix: 'backfill',
          timeout: 600,
          dry_run: false,
        },
      }),
    ).toMatchObject({
      args: [
        'run',
        '--full-refresh',
        '--no-state-update',
        '--state-id-suffix=backfill',
        '--timeout=600',
        '--',
        'multi-job',
      ],
      stateIds: ['prod:tap-demo-to-target-demo:backfill', 'prod:tap-demo-fail-to-target-demo:backfill'],
      options: { full_refresh: true, no_state_update: true, state_id_suffix: 'backfill', timeout: 600 },
    });
    // Before `schedule run` (Meltano 1.x): the ELT form carries the flags itself.
    expect(
      pipelineCommand(project, 'schedule', 'failing-demo', {
        version: v(1, 105),
        environment: null,
        options: { full_refresh: true },
      }).args,
    ).toEqual([
      'elt',
      'tap-demo-fail',
      'target-demo',
      '--transform=skip',
      '--state-id=failing-demo',
      '--full-refresh',
    ]);
  });

  it('refuses an option the Meltano version or the command lacks, naming it', async () => {
    const project = await loadProject(V3_PROJECT);
    const run = (name: string, version: ReturnType<typeof v> | null, options: object) => () =>
      pipelineCommand(project, name.startsWith('job:') ? 'job' : 'schedule', name.replace('job:', ''), {
        version,
        environment: 'dev',
        options,
      });
    expect(run('job:multi-job', v(3, 9), { timeout: 60 })).toThrow(
      /'timeout' \(--timeout\) needs Meltano 4\.0 or later; this server runs Meltano 3\.9\.0/,
    );
    expect(run('job:multi-job', v(3, 4), { refresh_catalog: true })).toThrow(/needs Meltano 3\.5/);
    expect(run('job:multi-job', v(2, 6), { state_id_suffix: 'x' })).toThrow(/needs Meltano 2\.7/);
    expect(run('job:multi-job', v(3, 7), { state_strategy: 'overwrite' })).toThrow(/needs Meltano 3\.8/);
    expect(run('daily-demo', v(4, 2), { state_id_suffix: 'x' })).toThrow(/not an option of `meltano elt`/);
    expect(run('daily-demo', v(4, 2), { no_state_update: true })).toThrow(/not an option of `meltano elt`/);
    expect(run('job:multi-job', null, { full_refresh: true })).toThrow(/version could not be told/);
    try {
      run('job:multi-job', v(3, 9), { timeout: 60 })();
    } catch (err) {
      expect(err).toMatchObject({
        code: 'invalid_input',
        status: 400,
        details: { field: 'options.timeout' },
      });
    }
    // Nothing set is nothing asked: works on any version.
    expect(run('job:multi-job', null, { full_refresh: false, state_id_suffix: '' })().args).toEqual([
      'run',
      '--',
      'multi-job',
    ]);
  });

  it('answers 404 for an unknown pipeline', async () => {
    const project = await loadProject(V3_PROJECT);
    expect(() => pipelineCommand(project, 'schedule', 'nope', { version: null, environment: null })).toThrow(
      /No schedule named 'nope'/,
    );
  });
});

describe('finding the Meltano CLI', () => {
  let dir: string;
  const exe = (rel: string, text = '#!/bin/sh\nexit 0\n') => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { mode: 0o755 });
    return file;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meltano-exe-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prefers ui.meltano_executable, then .meltano/run/bin, then PATH', () => {
    const setting = exe('custom/meltano');
    const projectBin = exe('project/.meltano/run/bin');
    const onPath = exe('bin/meltano');
    const base = {
      root: path.join(dir, 'project'),
      sysDir: path.join(dir, 'project/.meltano'),
      env: { PATH: path.join(dir, 'bin') },
    };
    expect(resolveMeltanoExecutable({ ...base, setting })).toEqual({ path: setting, source: 'setting' });
    expect(resolveMeltanoExecutable({ ...base, setting: null })).toEqual({
      path: projectBin,
      source: 'project',
    });
    fs.rmSync(projectBin);
    expect(resolveMeltanoExecutable({ ...base, setting: null })).toEqual({ path: onPath, source: 'path' });
  });

  it('skips this UI’s own `meltano` launcher on PATH', () => {
    exe('first/meltano', `#!/usr/bin/env node\n// ${LAUNCHER_MARKER}\n`);
    const python = exe('second/meltano');
    const env = { PATH: [path.join(dir, 'first'), path.join(dir, 'second')].join(path.delimiter) };
    expect(
      resolveMeltanoExecutable({ root: dir, sysDir: path.join(dir, '.meltano'), env, setting: null }).path,
    ).toBe(python);
  });

  it('says what to install or set when there is none, and when the setting is wrong', () => {
    const base = { root: dir, sysDir: path.join(dir, '.meltano'), env: { PATH: path.join(dir, 'empty') } };
    expect(() => resolveMeltanoExecutable({ ...base, setting: null })).toThrow(
      /pipx install meltano.*ui\.meltano_executable/s,
    );
    expect(() => resolveMeltanoExecutable({ ...base, setting: '/no/such/meltano' })).toThrow(
      /does not exist/,
    );
    const notExecutable = path.join(dir, 'plain');
    fs.writeFileSync(notExecutable, 'x', { mode: 0o644 });
    expect(() => resolveMeltanoExecutable({ ...base, setting: notExecutable })).toThrow(
      /not an executable file/,
    );
  });
});
