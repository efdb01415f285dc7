import { describe, expect, it } from 'vitest';
import {
  githubSignature,
  parseWebhookBody,
  readPushEvent,
  verifyGithubSignature,
} from '../../src/deployments/github-webhook.js';
import { parseWorkspaces } from '../../src/deployments/workspaces.js';

// GitHub's documented example (docs: "Validating webhook deliveries").
const SECRET = "It's a Secret to Everybody";
const VECTOR = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('GitHub webhook signatures', () => {
  it("matches GitHub's test vector", () => {
    expect(githubSignature(SECRET, Buffer.from('Hello, World!'))).toBe(VECTOR);
    expect(() => verifyGithubSignature(SECRET, Buffer.from('Hello, World!'), VECTOR)).not.toThrow();
  });

  it('refuses a tampered body, a wrong secret, a missing or malformed header with 401', () => {
    const cases: [Buffer, string, string | undefined, string][] = [
      [Buffer.from('Hello, World?'), SECRET, VECTOR, 'does not match'],
      [Buffer.from('Hello, World!'), 'another secret', VECTOR, 'does not match'],
      [Buffer.from('Hello, World!'), SECRET, undefined, 'missing'],
      [Buffer.from('Hello, World!'), SECRET, '', 'missing'],
      [Buffer.from('Hello, World!'), SECRET, VECTOR.slice(0, -1), 'does not match'],
      [Buffer.from('Hello, World!'), SECRET, VECTOR.replace('sha256=', 'sha1='), 'does not match'],
    ];
    for (const [body, secret, header, message] of cases) {
      let caught: unknown = null;
      try {
        verifyGithubSignature(secret, body, header);
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ status: 401, code: 'webhook_signature_invalid' });
      expect((caught as Error).message).toContain(message);
    }
  });

  it('reads JSON and form-encoded push bodies', () => {
    const push = { ref: 'refs/heads/main', after: 'ab'.repeat(20), pusher: { name: 'dana' } };
    expect(readPushEvent(parseWebhookBody(Buffer.from(JSON.stringify(push)), 'application/json'))).toEqual({
      ref: 'refs/heads/main',
      after: 'ab'.repeat(20),
      deleted: false,
      pusher: 'dana',
    });
    const form = `payload=${encodeURIComponent(JSON.stringify({ ...push, after: '0'.repeat(40) }))}`;
    expect(
      readPushEvent(parseWebhookBody(Buffer.from(form), 'application/x-www-form-urlencoded')).deleted,
    ).toBe(true);
    expect(() => parseWebhookBody(Buffer.from('{'), 'application/json')).toThrow(/not JSON/);
    expect(() => readPushEvent({ ref: 1 })).toThrow(/needs ref and after/);
  });
});

describe('ui.workspaces', () => {
  it('reads name → {url, branch} and refuses malformed values naming the setting', () => {
    expect(
      parseWorkspaces(
        '{"staging": {"url": "https://staging.example.com", "branch": "staging"}, "prod": {"url": "https://meltano.example.com/ui", "branch": "main"}}',
      ),
    ).toEqual([
      { name: 'staging', url: 'https://staging.example.com', branch: 'staging' },
      { name: 'prod', url: 'https://meltano.example.com/ui', branch: 'main' },
    ]);
    expect(parseWorkspaces(null)).toEqual([]);
    expect(() => parseWorkspaces('{')).toThrow('ui.workspaces: not JSON');
    expect(() => parseWorkspaces('{"x": {"url": "javascript:alert(1)", "branch": "main"}}')).toThrow(
      /url must be an http/,
    );
    expect(() => parseWorkspaces('{"x": {"url": "https://a", "branch": "--upload-pack=x"}}')).toThrow(
      /not a branch name/,
    );
  });
});

describe('the deployment queue poller', () => {
  it('does not create a SQLite system DB that does not exist yet', async () => {
    const { mkdtempSync, existsSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { parseDatabaseUri } = await import('../../src/db/database-uri.js');
    const { openSystemDatabase } = await import('../../src/db/system-database.js');
    const { uiTables } = await import('../../src/ui-db/migrate-ui-tables.js');
    const { DeploymentService } = await import('../../src/deployments/deployment-service.js');
    const { LaunchRunner } = await import('../../src/executor/launch-runner.js');
    const { ProjectStore } = await import('../../src/project/project-store.js');
    const root = mkdtempSync(path.join(os.tmpdir(), 'deploy-nodb-'));
    const file = path.join(root, '.meltano', 'meltano.db');
    const db = openSystemDatabase(
      parseDatabaseUri(`sqlite:///${file}`, { projectRoot: root, cwd: root, sysDir: root }),
    );
    try {
      const tables = uiTables(db);
      const service = new DeploymentService({
        root,
        tables,
        projectStore: new ProjectStore(root),
        settings: { branch: null, remote: 'origin', secret: null },
        runner: new LaunchRunner({
          root,
          sysDir: path.join(root, '.meltano'),
          tables,
          executableSetting: null,
          env: {},
          databaseUriOverride: null,
          now: () => new Date(),
        }),
        now: () => new Date(),
      });
      await service.drain();
      await service.close();
      expect(existsSync(file)).toBe(false);
    } finally {
      await db.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the deployment log', () => {
  it('keeps its beginning and its end when a step prints too much, and masks credentials', async () => {
    const { DeploymentLog } = await import('../../src/deployments/deployment-log.js');
    const { maskGitCredentials } = await import('../../src/deployments/git-command.js');
    const log = new DeploymentLog(() => new Date('2026-12-02T00:00:00.000Z'));
    for (let i = 0; i < 10_000; i++) log.line(`line ${i} ${'x'.repeat(50)}`);
    const text = log.text();
    expect(Buffer.byteLength(text)).toBeLessThan(260 * 1024);
    expect(text.startsWith('2026-12-02T00:00:00.000Z line 0 ')).toBe(true);
    expect(text).toMatch(/\n… \d+ lines left out …\n/);
    expect(text.trimEnd().endsWith(`line 9999 ${'x'.repeat(50)}`)).toBe(true);
    expect(maskGitCredentials('From https://ghp_abc123@github.com/acme/project')).toBe(
      'From https://(redacted)@github.com/acme/project',
    );
    expect(maskGitCredentials('fatal: https://x-access-token:ghs_s3cr3t@github.com/a/b.git')).toBe(
      'fatal: https://x-access-token:(redacted)@github.com/a/b.git',
    );
  });
});
