import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuthService, openSystemDatabase, parseDatabaseUri } from '@meltano-ui/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Drives the built launcher on a writable copy of the real Meltano 2.20.0 project.
const BIN = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../test-fixtures/real-meltano/v2.20.0/', import.meta.url));
const SALT = 'fixture-salt-7f3a9c';

let root: string;

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MELTANO_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

function meltano(args: string[], extraEnv: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: root,
    env: cleanEnv(extraEnv),
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-user-'));
  fs.cpSync(path.join(FIXTURE, 'project'), dir, { recursive: true });
  const chmod = (p: string) => {
    fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chmod(path.join(p, e));
  };
  chmod(dir);
  return dir;
}

const dotenv = () => fs.readFileSync(path.join(root, '.env'), 'utf8');

beforeAll(() => {
  if (!fs.existsSync(fileURLToPath(new URL('../dist/commands/user.js', import.meta.url)))) {
    throw new Error('apps/cli is not built: run `pnpm build` first');
  }
});
beforeEach(() => {
  root = copyProject();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('meltano ui setup', () => {
  it("does what Meltano 2.20 did for the fixture (salt in the environment), in Meltano's words", () => {
    // The .env as it was before Meltano's `ui setup localhost` ran.
    fs.writeFileSync(path.join(root, '.env'), "TAP_DEMO_API_KEY='sk-demo-123'\n");
    const res = meltano(['ui', 'setup', 'localhost'], { MELTANO_UI_PASSWORD_SALT: SALT });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const expected = fs
      .readFileSync(path.join(FIXTURE, 'outputs', 'ui-setup.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Setting ') || l.startsWith('The server') || l.startsWith('In production'));
    expect(res.stdout.trimEnd().split('\n')).toEqual(expected);
    expect(dotenv()).toMatch(
      /^TAP_DEMO_API_KEY='sk-demo-123'\nMELTANO_UI_SERVER_NAME='localhost'\nMELTANO_UI_SECRET_KEY='[0-9a-f]{64}'\n$/,
    );
    expect(fs.statSync(path.join(root, '.env')).mode & 0o777).toBe(0o644);
  });

  it('leaves secrets already in .env alone, replaces the server name in place, honours --bits', () => {
    const before = dotenv();
    const secret = /MELTANO_UI_SECRET_KEY='([0-9a-f]+)'/.exec(before)?.[1];
    const res = meltano(['ui', 'setup', 'meltano.example.com', '--bits', '512']);
    expect(res.status).toBe(0);
    expect(res.stdout.split('\n')[0]).toBe(
      "Setting 'ui.secret_key' has already been set in `.env`. Please unset it manually and rerun this command to regenerate this secret.",
    );
    const lines = dotenv().trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      "TAP_DEMO_API_KEY='sk-demo-123'",
      "MELTANO_UI_SERVER_NAME='meltano.example.com'",
      `MELTANO_UI_SECRET_KEY='${secret}'`,
    ]);
    expect(lines[3]).toMatch(/^MELTANO_UI_PASSWORD_SALT='[0-9a-f]{128}'$/);
    expect(lines).toHaveLength(4);
    expect(fs.readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('stops at a legacy ui.cfg (after writing the server name) and refuses short secrets', () => {
    fs.writeFileSync(path.join(root, 'ui.cfg'), 'SECRET_KEY = "x"\n');
    const res = meltano(['ui', 'setup', 'other.example.com']);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(
      `Found existing secrets in file '${path.join(fs.realpathSync(root), 'ui.cfg')}'. Please delete this file and rerun this command to regenerate the secrets.\n`,
    );
    expect(dotenv()).toContain("MELTANO_UI_SERVER_NAME='other.example.com'");
    const short = meltano(['ui', 'setup', 'x', '--bits', '64']);
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/--bits must be a multiple of 8 and at least 256/);
  });
});

describe('meltano user', () => {
  const withSalt = { MELTANO_UI_PASSWORD_SALT: SALT };

  async function login(
    username: string,
    password: string,
    dbFile = path.join(root, '.meltano', 'meltano.db'),
  ) {
    const target = parseDatabaseUri(`sqlite:///${dbFile}`, { projectRoot: root, cwd: root, sysDir: root });
    const db = openSystemDatabase(target);
    try {
      return await createAuthService({ db, passwordSalt: SALT }).login(username, password);
    } finally {
      await db.close();
    }
  }

  it("lists Meltano's users after importing them", () => {
    const res = meltano(['user', 'list'], withSalt);
    expect(res.status).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout.split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['USERNAME', 'EMAIL', 'ROLES', 'ACTIVE', 'LAST LOGIN'],
      ['alice', '-', 'admin', 'yes', 'never'],
      ['bob', '-', '-', 'yes', 'never'],
      [''],
    ]);
  });

  it('adds users with roles; refuses duplicates and unknown roles with Meltano-style messages', async () => {
    const added = meltano(
      ['user', 'add', 'carol', 'carol-password', '-G', 'viewer', '--role', 'regular'],
      withSalt,
    );
    expect([added.status, added.stdout, added.stderr]).toEqual([
      0,
      'Added user carol (viewer, regular).\n',
      '',
    ]);
    const dup = meltano(['user', 'add', 'Alice', 'whatever-pw'], withSalt);
    expect([dup.status, dup.stderr]).toEqual([
      1,
      "Could not create user 'Alice': User 'Alice' already exists. Use --overwrite to update it.\n",
    ]);
    const role = meltano(['user', 'add', 'dave', 'dave-password', '-G', 'superuser'], withSalt);
    expect([role.status, role.stderr]).toEqual([
      1,
      "Could not create user 'dave': Role 'superuser' does not exists.\n",
    ]);
    const short = meltano(['user', 'add', 'dave', 'short'], withSalt);
    expect(short.stderr).toBe(
      "Could not create user 'dave': The password must have at least 8 characters.\n",
    );
    expect((await login('carol', 'carol-password'))?.roles).toEqual(['regular', 'viewer']);
    expect(await login('dave', 'dave-password')).toBeNull();
  });

  it('--overwrite sets the password and replaces the roles; set-password and remove work by name', async () => {
    const overwritten = meltano(['user', 'add', 'alice', 'new-alice-pass', '-f'], withSalt);
    expect([overwritten.status, overwritten.stdout]).toEqual([
      0,
      'Updated user alice (no role): new password, active; their sessions ended.\n',
    ]);
    expect(await login('alice', 'S3cret-pass')).toBeNull();
    expect((await login('alice', 'new-alice-pass'))?.roles).toEqual([]);

    expect(meltano(['user', 'set-password', 'bob', 'new-bob-pass'], withSalt).stdout).toBe(
      'Changed the password of user bob; their sessions ended.\n',
    );
    expect((await login('bob', 'new-bob-pass'))?.username).toBe('bob');

    expect(meltano(['user', 'remove', 'bob'], withSalt).stdout).toBe(
      'Removed user bob with its sessions and API tokens.\n',
    );
    const again = meltano(['user', 'remove', 'bob'], withSalt);
    expect([again.status, again.stderr]).toEqual([1, "User 'bob' does not exist.\n"]);
    expect(meltano(['user', 'list'], withSalt).stdout).toMatch(/^USERNAME.*\nalice .*\n$/);
  });

  it('respects --database-uri and warns about the default salt', async () => {
    const other = path.join(root, 'elsewhere.db');
    const res = meltano(['user', '--database-uri', `sqlite:///${other}`, 'add', 'erin', 'erin-password']);
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/ui.password_salt is Meltano's published default/);
    expect(fs.existsSync(other)).toBe(true);
    expect(meltano(['user', 'list', '--database-uri', `sqlite:///${other}`]).stdout).toMatch(/\nerin /);
    expect(meltano(['user', 'list']).stdout).not.toMatch(/erin/);
  });

  it('refuses to work with unfit secrets when authentication is on', () => {
    const res = meltano(['user', 'list'], { MELTANO_UI_AUTHENTICATION: 'true' });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ui.authentication is on, but .*Run `meltano ui setup/);
  });
});
