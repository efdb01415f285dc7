import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import type { DeploymentDetail } from '../../src/deployments/deployment.types.js';
import { DeploymentService } from '../../src/deployments/deployment-service.js';
import { comparePromotion } from '../../src/deployments/promotion.js';
import { LaunchRunner } from '../../src/executor/launch-runner.js';
import { ProjectStore } from '../../src/project/project-store.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS } from '../support/backends.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';
import { BASE_YML, createGitSetup, type GitSetup, git } from './git-repos.js';

// `meltano install` runs the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DIALECTS)('deployments from a bare Git remote (%s)', (dialect) => {
  let pg: TestPostgres | null = null;
  let repos: GitSetup;
  let db: SystemDatabase;
  let store: ProjectStore;
  let services: DeploymentService[] = [];

  beforeAll(async () => {
    if (dialect === 'postgres') pg = await createTestPostgres();
  });
  afterAll(async () => {
    await pg?.drop();
  });

  beforeEach(async () => {
    repos = createGitSetup();
    const uri = pg ? pg.uri() : `sqlite:///${path.join(repos.project, '.meltano', 'meltano.db')}`;
    db = openSystemDatabase(
      parseDatabaseUri(uri, {
        projectRoot: repos.project,
        cwd: repos.project,
        sysDir: path.join(repos.project, '.meltano'),
      }),
    );
    if (pg)
      await uiTables(db)
        .with((k) => k.deleteFrom('ui_deployments').execute())
        .catch(() => {});
    store = new ProjectStore(repos.project, { checkIntervalMs: 0 });
    services = [];
  });
  afterEach(async () => {
    for (const s of services) await s.close();
    if (pg) {
      await uiTables(db).with(async (k) => {
        await k.deleteFrom('ui_deployments').execute();
        await k.deleteFrom('ui_deployment_lock').execute();
      });
    }
    await db.close();
    repos.cleanup();
  });

  const service = (opts: { host?: string; env?: Record<string, string>; secret?: string | null } = {}) => {
    const tables = uiTables(db);
    const s = new DeploymentService({
      root: repos.project,
      tables,
      projectStore: store,
      settings: { branch: 'main', remote: 'origin', secret: opts.secret ?? null },
      runner: new LaunchRunner({
        root: repos.project,
        sysDir: path.join(repos.project, '.meltano'),
        tables,
        executableSetting: STANDIN,
        env: { ...process.env, STANDIN_DELAY_MS: '5', ...opts.env },
        databaseUriOverride: null,
        now: () => new Date(),
        earlyExitWaitMs: 0,
      }),
      now: () => new Date(),
      pollMs: 100,
      ...(opts.host ? { host: opts.host } : {}),
    });
    services.push(s);
    return s;
  };
  const ended = (s: DeploymentService, id: string) =>
    until<DeploymentDetail>(`deployment ${id}`, async () => {
      const d = await s.get(id);
      return d.status === 'queued' || d.status === 'running' ? null : d;
    });
  const head = () => git(repos.project, 'rev-parse', 'HEAD');

  it('fast-forwards to a pushed commit; a schedule it adds is in the project at once, no install when plugins did not change', async () => {
    const s = service();
    const before = head();
    const sha = repos.push(
      {
        'meltano.yml': `${BASE_YML}- name: hourly-csv\n  interval: '@hourly'\n  extractor: tap-csv\n  loader: target-jsonl\n  transform: skip\n`,
      },
      'Add an hourly schedule',
    );
    const { deployment } = await s.request({ trigger: 'api', commit: sha, requestedBy: 'admin' });
    expect(deployment).toMatchObject({
      status: 'queued',
      trigger: 'api',
      branch: 'main',
      requested_commit: sha,
    });
    const done = await ended(s, deployment.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      commit: sha,
      previous_commit: before,
      author: 'Dana Dev <dana@example.com>',
      message: 'Add an hourly schedule',
      installed: false,
      error: null,
    });
    expect(done.duration_seconds).toBeGreaterThanOrEqual(0);
    expect(head()).toBe(sha);
    expect(done.log).toContain('$ git fetch origin main');
    expect(done.log).toContain(`$ git merge --ff-only ${sha}`);
    expect(done.log).toContain('meltano install is not needed');
    const snapshot = await store.get();
    expect(snapshot.ok && snapshot.project.schedules.map((x) => x.name)).toEqual(['daily-csv', 'hourly-csv']);
  });

  it('deploys the tip of the branch when no commit is given, and runs meltano install through the stand-in when a plugin is added', async () => {
    const s = service();
    const yml = BASE_YML.replace(
      '  loaders:\n',
      '  - name: tap-github\n    variant: meltanolabs\n    pip_url: meltanolabs-tap-github\n  loaders:\n',
    );
    const sha = repos.push({ 'meltano.yml': yml }, 'Add tap-github');
    const { deployment } = await s.request({ trigger: 'user', commit: null, requestedBy: 'admin' });
    const done = await ended(s, deployment.id);
    expect(done).toMatchObject({ status: 'succeeded', commit: sha, installed: true });
    expect(done.log).toContain('The plugins changed: running meltano install');
    expect(done.log).toContain(`$ ${STANDIN} install`);
    expect(done.log).toContain("Installing extractor 'tap-github'");
    expect(done.log).toContain("Installed loader 'target-jsonl'");
  });

  it('runs meltano install when only a lock file changed; a failing install fails the deployment', async () => {
    const s = service({ env: { STANDIN_MODE: 'fail' } });
    const sha = repos.push(
      { 'plugins/loaders/target-jsonl--andyh1203.lock': '{"name": "target-jsonl"}\n' },
      'Lock target-jsonl',
    );
    const { deployment } = await s.request({ trigger: 'api', commit: sha, requestedBy: null });
    const done = await ended(s, deployment.id);
    expect(done.status).toBe('failed');
    expect(done.installed).toBe(false);
    expect(done.log).toContain('Lock files changed: running meltano install');
    expect(done.error).toMatch(/^meltano install failed \(exit code 1\)/);
  });

  it('refuses a non-fast-forward (the branch was rewritten) and changes nothing', async () => {
    const s = service();
    const first = repos.push({ 'README.md': 'one\n' }, 'One');
    const ok = await ended(
      s,
      (await s.request({ trigger: 'api', commit: first, requestedBy: null })).deployment.id,
    );
    expect(ok.status).toBe('succeeded');
    git(repos.dev, 'reset', '-q', '--hard', 'HEAD~1');
    writeFileSync(path.join(repos.dev, 'README.md'), 'rewritten\n');
    git(repos.dev, 'add', '-A');
    git(repos.dev, 'commit', '-q', '-m', 'Rewritten');
    git(repos.dev, 'push', '-q', '--force', 'origin', 'main');
    const rewritten = git(repos.dev, 'rev-parse', 'HEAD');
    const done = await ended(
      s,
      (await s.request({ trigger: 'webhook', commit: rewritten, requestedBy: null })).deployment.id,
    );
    expect(done.status).toBe('failed');
    expect(done.error).toContain('Not a fast-forward');
    expect(done.error).toContain('nothing was changed');
    expect(head()).toBe(first);
  });

  it('refuses a dirty work tree and a commit that is not on the branch, changing nothing', async () => {
    const s = service();
    const before = head();
    const sha = repos.push({ 'README.md': 'x\n' }, 'Readme');
    writeFileSync(path.join(repos.project, 'meltano.yml'), `${BASE_YML}# local edit\n`);
    const dirty = await ended(
      s,
      (await s.request({ trigger: 'api', commit: sha, requestedBy: null })).deployment.id,
    );
    expect(dirty.status).toBe('failed');
    expect(dirty.error).toContain('uncommitted changes (meltano.yml)');
    expect(head()).toBe(before);
    expect(readFileSync(path.join(repos.project, 'meltano.yml'), 'utf8')).toContain('# local edit');
    git(repos.project, 'checkout', '-q', '--', 'meltano.yml');

    const other = repos.push({ 'README.md': 'feature\n' }, 'On a feature branch', 'feature');
    git(repos.dev, 'checkout', '-q', 'main');
    const off = await ended(
      s,
      (await s.request({ trigger: 'api', commit: other, requestedBy: null })).deployment.id,
    );
    expect(off.status).toBe('failed');
    expect(off.error).toMatch(/not in the repository after fetching main|is not on the branch main/);
    expect(head()).toBe(before);
  });

  it('fails on a broken meltano.yml in the new commit and leaves the running project untouched', async () => {
    const s = service();
    const before = head();
    const sha = repos.push({ 'meltano.yml': `${BASE_YML}schedules: [unclosed\n` }, 'Break it');
    const done = await ended(
      s,
      (await s.request({ trigger: 'api', commit: sha, requestedBy: null })).deployment.id,
    );
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(
      /^The project of [0-9a-f]{12} does not load \(meltano\.yml:\d+:\d+: .+\); nothing was changed$/,
    );
    expect(head()).toBe(before);
    expect(readFileSync(path.join(repos.project, 'meltano.yml'), 'utf8')).toBe(BASE_YML);
    const snapshot = await store.get();
    expect(snapshot.ok).toBe(true);
  });

  it('deduplicates requests for the same commit while one is queued or running, and runs one deployment at a time across replicas', async () => {
    const a = service({ host: 'replica-a' });
    const b = service({ host: 'replica-b' });
    const sha = repos.push({ 'README.md': 'dedup\n' }, 'Dedup');
    const results = await Promise.all([
      a.request({ trigger: 'webhook', commit: sha, requestedBy: null }),
      b.request({ trigger: 'webhook', commit: sha, requestedBy: null }),
      a.request({ trigger: 'webhook', commit: sha, requestedBy: null }),
      b.request({ trigger: 'webhook', commit: sha, requestedBy: null }),
    ]);
    const ids = new Set(results.map((r) => r.deployment.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.deduplicated)).toHaveLength(3);
    const done = await ended(a, [...ids][0] as string);
    expect(done.status).toBe('succeeded');

    // Two different commits queued at once on two replicas: both run, one after the other.
    const second = repos.push({ 'README.md': 'second\n' }, 'Second');
    const third = repos.push({ 'README.md': 'third\n' }, 'Third');
    const [q2, q3] = await Promise.all([
      a.request({ trigger: 'api', commit: second, requestedBy: null }),
      b.request({ trigger: 'api', commit: third, requestedBy: null }),
    ]);
    const d2 = await ended(a, q2.deployment.id);
    const d3 = await ended(b, q3.deployment.id);
    expect([d2.status, d3.status]).toEqual(['succeeded', 'succeeded']);
    const [firstEnded, secondStarted] =
      (d2.ended_at ?? '') <= (d3.ended_at ?? '')
        ? [d2.ended_at, d3.started_at]
        : [d3.ended_at, d2.started_at];
    expect((secondStarted ?? '') >= (firstEnded ?? '')).toBe(true);
    expect(head()).toBe(third);
    // A finished deployment no longer holds its commit: asking again deploys (and finds nothing to move).
    const again = await a.request({ trigger: 'api', commit: third, requestedBy: null });
    expect(again.deduplicated).toBe(false);
    expect((await ended(a, again.deployment.id)).log).toContain('already contains');
  });

  it('ignores webhook pushes to other branches and deleted branches, with the reason in the history', async () => {
    const s = service({ secret: 'x' });
    const other = await s.webhook('push', 'delivery-1', () => ({
      ref: 'refs/heads/feature',
      after: 'a'.repeat(40),
      deleted: false,
      pusher: 'dana',
    }));
    expect(other).toMatchObject({
      kind: 'ignored',
      reason: 'The push is to refs/heads/feature; this workspace deploys refs/heads/main',
      deployment: { status: 'ignored', trigger: 'webhook', requested_by: 'dana' },
    });
    expect(
      await s.webhook('issues', null, () => ({ ref: '', after: '', deleted: false, pusher: null })),
    ).toMatchObject({
      kind: 'ignored',
      deployment: null,
    });
    expect(
      await s.webhook('ping', null, () => ({ ref: '', after: '', deleted: false, pusher: null })),
    ).toEqual({ kind: 'pong' });
    const list = await s.list(10);
    expect(list.map((d) => [d.status, d.reason])).toEqual([
      ['ignored', 'The push is to refs/heads/feature; this workspace deploys refs/heads/main'],
    ]);
  });

  it('compares this branch with another stage: the commits a promotion brings and the project-file diff', async () => {
    git(repos.dev, 'checkout', '-q', '-b', 'staging');
    git(repos.dev, 'push', '-q', 'origin', 'staging');
    git(repos.dev, 'checkout', '-q', 'main');
    const sha = repos.push(
      {
        'meltano.yml': BASE_YML.replace("interval: '@daily'", "interval: '@hourly'"),
        'README.md': 'not a project file\n',
      },
      'Run hourly',
    );
    const promotion = await comparePromotion({
      root: repos.project,
      remote: 'origin',
      branch: 'main',
      target: 'staging',
    });
    expect(promotion.source).toMatchObject({ branch: 'main', commit: sha });
    expect(promotion.commits.map((c) => [c.sha, c.author, c.subject])).toEqual([
      [sha, 'Dana Dev', 'Run hourly'],
    ]);
    expect(promotion.files).toEqual([{ path: 'meltano.yml', additions: 1, deletions: 1 }]);
    expect(promotion.diff).toContain("-  interval: '@daily'\n+  interval: '@hourly'");
    expect(promotion.diff).not.toContain('README');
    await expect(
      comparePromotion({ root: repos.project, remote: 'origin', branch: 'main', target: 'nope' }),
    ).rejects.toMatchObject({ code: 'branch_not_found', status: 409 });
  });
});
