import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAuthService, githubSignature } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Dana Dev',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Dev',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

const SECRET = `deploy-secret-${process.pid}-4f1c9a`;
const VECTOR_SECRET = "It's a Secret to Everybody";

/** The app's project made a clone of a bare repository beside it; `dev` is where pushes come from. */
function makeCheckout(root: string) {
  const remote = `${root}-remote.git`;
  const dev = `${root}-dev`;
  writeFileSync(path.join(root, '.gitignore'), '.meltano/\n.env\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'The project');
  git(path.dirname(root), 'clone', '-q', '--bare', root, remote);
  git(root, 'remote', 'add', 'origin', remote);
  git(root, 'fetch', '-q', 'origin');
  git(root, 'branch', '-q', '--set-upstream-to=origin/main');
  git(path.dirname(root), 'clone', '-q', remote, dev);
  return {
    remote,
    dev,
    push(edit: (yml: string) => string, message: string, branch = 'main') {
      git(dev, 'checkout', '-q', '-B', branch, `origin/${branch === 'main' ? 'main' : 'main'}`);
      const file = path.join(dev, 'meltano.yml');
      writeFileSync(file, edit(execFileSync('cat', [file], { encoding: 'utf8' })));
      git(dev, 'commit', '-q', '-am', message);
      git(dev, 'push', '-q', '--force', 'origin', `${branch}`);
      git(dev, 'fetch', '-q', 'origin');
      return git(dev, 'rev-parse', 'HEAD');
    },
    cleanup() {
      rmSync(remote, { recursive: true, force: true });
      rmSync(dev, { recursive: true, force: true });
    },
  };
}

const ADD_SCHEDULE = (yml: string) =>
  yml.replace(
    '\nschedules:\n',
    '\nschedules:\n- name: pushed-schedule\n  interval: "@hourly"\n  job: demo-job\n',
  );

describe.each(DIALECTS)('deployments over HTTP (%s)', (dialect) => {
  let app: TestApp;
  let replica: TestApp;
  let repo: ReturnType<typeof makeCheckout>;
  const logLines: string[] = [];

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      env: {
        MELTANO_UI_DEPLOY_SECRET: SECRET,
        MELTANO_PROJECT_READONLY: 'true',
        MELTANO_UI_WORKSPACES: JSON.stringify({
          staging: { url: 'https://staging.example.com', branch: 'staging' },
        }),
      },
      logLines,
    });
    // Another replica on the same checkout and database, without the webhook secret.
    replica = await startTestApp(dialect, { replicaOf: app, env: { MELTANO_PROJECT_READONLY: 'true' } });
    repo = makeCheckout(app.root);
  });
  afterAll(async () => {
    await replica?.cleanup();
    await app?.cleanup();
    repo?.cleanup();
  });

  const webhook = (target: TestApp, body: string, headers: Record<string, string>) =>
    target.server.inject({
      method: 'POST',
      url: '/api/v1/deployments/github-webhook',
      // As GitHub sends it: no cookie, no X-Requested-With, no browser Origin.
      headers: {
        'content-type': 'application/json',
        'x-requested-with': '',
        'user-agent': 'GitHub-Hookshot/abc',
        ...headers,
      },
      payload: body,
    });
  const signedPush = (target: TestApp, payload: object, secret = SECRET) => {
    const body = JSON.stringify(payload);
    return webhook(target, body, {
      'x-github-event': 'push',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': githubSignature(secret, Buffer.from(body)),
    });
  };
  const ended = async (id: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await app.server.inject({ url: `/api/v1/deployments/${id}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      if (body.status !== 'queued' && body.status !== 'running') return body;
      if (Date.now() > deadline) throw new Error(`deployment ${id} did not end`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('answers a signed ping with 200 and checks the signature before anything else', async () => {
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const ok = await webhook(app, ping, {
      'x-github-event': 'ping',
      'x-hub-signature-256': githubSignature(SECRET, Buffer.from(ping)),
      origin: 'https://github.com',
    });
    expect([ok.statusCode, ok.json()]).toEqual([200, { event: 'ping', message: 'pong' }]);

    const huge = await webhook(app, 'x'.repeat(1024 * 1024 + 1), { 'x-github-event': 'ping' });
    expect(huge.statusCode).toBe(413);
    const missing = await webhook(app, ping, { 'x-github-event': 'ping' });
    expect([missing.statusCode, missing.json().code]).toEqual([401, 'webhook_signature_invalid']);
    const tampered = await webhook(app, `${ping} `, {
      'x-github-event': 'ping',
      'x-hub-signature-256': githubSignature(SECRET, Buffer.from(ping)),
    });
    expect([tampered.statusCode, tampered.json().code]).toEqual([401, 'webhook_signature_invalid']);
    // GitHub's documented test vector: accepted by a replica whose secret is the vector's, refused here.
    const vectorHeaders = {
      'x-github-event': 'ping',
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    };
    expect((await webhook(app, 'Hello, World!', vectorHeaders)).statusCode).toBe(401);
    const vectorReplica = await startTestApp(dialect, {
      replicaOf: app,
      env: { MELTANO_UI_DEPLOY_SECRET: VECTOR_SECRET },
    });
    try {
      const vector = await webhook(vectorReplica, 'Hello, World!', vectorHeaders);
      expect([vector.statusCode, vector.json()]).toEqual([200, { event: 'ping', message: 'pong' }]);
      const changed = await webhook(vectorReplica, 'Hello, World?', vectorHeaders);
      expect(changed.statusCode).toBe(401);
    } finally {
      await vectorReplica.cleanup();
    }
    // The replica has no ui.deploy.secret: the webhook is off there, whatever is sent.
    const off = await webhook(replica, ping, {
      'x-github-event': 'ping',
      'x-hub-signature-256': githubSignature(SECRET, Buffer.from(ping)),
    });
    expect([off.statusCode, off.json().code]).toEqual([404, 'webhook_not_configured']);
  });

  it('deploys a signed push under project_readonly: the pushed schedule appears on both replicas without a restart', async () => {
    const sha = repo.push(ADD_SCHEDULE, 'Add pushed-schedule');
    const before = await replica.server.inject({ url: '/api/v1/schedules' });
    expect(before.json().schedules.map((s: { name: string }) => s.name)).not.toContain('pushed-schedule');
    const res = await signedPush(app, { ref: 'refs/heads/main', after: sha, pusher: { name: 'dana' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      status: 'queued',
      deduplicated: false,
      deployment: { trigger: 'webhook', requested_commit: sha },
    });
    const done = await ended(res.json().deployment.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      commit: sha,
      message: 'Add pushed-schedule',
      author: 'Dana Dev <dana@example.com>',
      requested_by: 'dana',
    });
    expect(done.log).toContain('$ git fetch origin main');
    for (const target of [app, replica]) {
      const schedules = await target.server.inject({ url: '/api/v1/schedules' });
      expect(schedules.json().schedules.map((s: { name: string }) => s.name)).toContain('pushed-schedule');
    }
    // The UI's own writes to project files stay refused.
    const write = await app.server.inject({ method: 'DELETE', url: '/api/v1/schedules/pushed-schedule' });
    expect([write.statusCode, write.json().code]).toEqual([
      499,
      'This Meltano project is deployed as read-only',
    ]);
    const list = await replica.server.inject({ url: '/api/v1/deployments' });
    expect(list.json()).toMatchObject({
      branch: 'main',
      remote: 'origin',
      webhook_configured: false,
      problem: null,
    });
    expect(list.json().deployments[0]).toMatchObject({ id: done.id, status: 'succeeded' });
    expect(list.json().deployments[0].log).toBeUndefined();
  });

  it('deduplicates concurrent webhooks for one commit, ignores other branches with the reason', async () => {
    const sha = repo.push((yml) => `${yml}# another change\n`, 'Another change');
    const payload = { ref: 'refs/heads/main', after: sha, pusher: { name: 'dana' } };
    const answers = await Promise.all([1, 2, 3].map(() => signedPush(app, payload)));
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
    const ids = new Set(answers.map((a) => a.json().deployment.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.json().deduplicated)).toHaveLength(2);
    expect((await ended([...ids][0] as string)).status).toBe('succeeded');

    const other = await signedPush(app, { ref: 'refs/heads/feature', after: sha, pusher: { name: 'dana' } });
    expect([other.statusCode, other.json().status, other.json().reason]).toEqual([
      202,
      'ignored',
      'The push is to refs/heads/feature; this workspace deploys refs/heads/main',
    ]);
    const issues = JSON.stringify({ action: 'opened' });
    const event = await webhook(app, issues, {
      'x-github-event': 'issues',
      'x-hub-signature-256': githubSignature(SECRET, Buffer.from(issues)),
    });
    expect([event.statusCode, event.json().status, event.json().deployment]).toEqual([202, 'ignored', null]);
  });

  it('POST /deployments deploys the branch tip; refuses unknown fields and bad commits with 400', async () => {
    const sha = repo.push((yml) => `${yml}# by the API\n`, 'By the API');
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/deployments', payload: {} });
    expect(res.statusCode).toBe(202);
    expect(res.json().deployment).toMatchObject({
      trigger: 'user',
      requested_commit: null,
      status: 'queued',
    });
    expect(await ended(res.json().deployment.id)).toMatchObject({ status: 'succeeded', commit: sha });
    const unknown = await app.server.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      payload: { ref: 'main' },
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([400, 'invalid_request']);
    const bad = await app.server.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      payload: { commit: '--force' },
    });
    expect(bad.statusCode).toBe(400);
    for (const limit of ['Infinity', '0', '201', '1e3']) {
      const res = await app.server.inject({ url: `/api/v1/deployments?limit=${limit}` });
      expect([limit, res.statusCode]).toEqual([limit, 400]);
    }
    const missing = await app.server.inject({
      url: '/api/v1/deployments/00000000-0000-4000-8000-000000000000',
    });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'deployment_not_found']);
  });

  it("an admin's API token deploys (trigger api); a regular user's is refused; ui.readonly refuses the webhook after its signature", async () => {
    const strict = await startTestApp(dialect, {
      replicaOf: app,
      env: { MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_DEPLOY_SECRET: SECRET },
    });
    const readonly = await startTestApp(dialect, {
      replicaOf: app,
      env: { MELTANO_UI_READONLY: 'true', MELTANO_UI_DEPLOY_SECRET: SECRET },
    });
    try {
      const auth = createAuthService({
        db: strict.core.db,
        passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT,
      });
      const tokenOf = async (username: string, role: string) => {
        const user = await auth.users.create({ username, password: 'deploy-password-1', roles: [role] });
        return (await auth.createApiToken(user.id, 'ci')).token;
      };
      const admin = await tokenOf(`deployer-${dialect}`, 'admin');
      const regular = await tokenOf(`regular-${dialect}`, 'regular');
      const post = (token: string) =>
        strict.server.inject({
          method: 'POST',
          url: '/api/v1/deployments',
          headers: { authorization: `Bearer ${token}`, 'x-requested-with': '' },
          payload: {},
        });
      const refused = await post(regular);
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'permission_denied']);
      const ok = await post(admin);
      expect(ok.statusCode).toBe(202);
      expect(ok.json().deployment).toMatchObject({ trigger: 'api', requested_by: `deployer-${dialect}` });
      expect((await ended(ok.json().deployment.id)).status).toBe('succeeded');
      // The webhook needs no session even with sign-in on: its signature is its authentication.
      const ping = JSON.stringify({ zen: 'ok' });
      const signed = {
        'x-github-event': 'ping',
        'x-hub-signature-256': githubSignature(SECRET, Buffer.from(ping)),
      };
      expect((await webhook(strict, ping, signed)).statusCode).toBe(200);
      expect((await webhook(readonly, ping, { 'x-github-event': 'ping' })).statusCode).toBe(401);
      const blocked = await webhook(readonly, ping, signed);
      expect([blocked.statusCode, blocked.json().code]).toEqual([
        499,
        'Meltano UI is running in read-only mode',
      ]);
    } finally {
      await readonly.cleanup();
      await strict.cleanup();
    }
  });

  it('compares this branch with another stage and lists the workspaces', async () => {
    git(repo.dev, 'push', '-q', 'origin', 'origin/main~1:refs/heads/staging');
    const res = await app.server.inject({ url: '/api/v1/deployments/compare?branch=staging' });
    expect(res.statusCode).toBe(200);
    expect(res.json().commits.map((c: { subject: string }) => c.subject)).toEqual(['By the API']);
    expect(res.json().files).toEqual([{ path: 'meltano.yml', additions: 1, deletions: 0 }]);
    expect(res.json().diff).toContain('+# by the API');
    const none = await app.server.inject({ url: '/api/v1/deployments/compare?branch=nope' });
    expect([none.statusCode, none.json().code]).toEqual([409, 'branch_not_found']);
    const option = await app.server.inject({ url: '/api/v1/deployments/compare?branch=--upload-pack=x' });
    expect(option.statusCode).toBe(400);
    const ws = await app.server.inject({ url: '/api/v1/workspaces' });
    expect(ws.json()).toEqual({
      branch: 'main',
      workspaces: [{ name: 'staging', url: 'https://staging.example.com', branch: 'staging' }],
    });
  });

  it('never shows the webhook secret in a response or a log line', () => {
    expect(logLines.join('\n')).not.toContain(SECRET);
    expect(logLines.some((l) => l.includes('deploy_webhook'))).toBe(true);
  });
});
