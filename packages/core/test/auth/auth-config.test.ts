import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, validateAuthSecrets } from '../../src/auth/auth-config.js';
import { readLegacyUiCfg, resolveUiSettings, type SettingLayers } from '../../src/settings/ui-settings.js';

const KEY = 'k'.repeat(64);
const SALT = 's'.repeat(64);

function settings(env: Record<string, string>, extra: Partial<SettingLayers> = {}) {
  return resolveUiSettings({ env, dotenv: {}, meltanoYml: {}, expansionVars: {}, ...extra });
}

describe('validateAuthSecrets', () => {
  const ok = { authentication: true, secretKey: KEY, passwordSalt: SALT };

  it('accepts 32-byte secrets, and anything when authentication is off', () => {
    expect(() => validateAuthSecrets(ok)).not.toThrow();
    expect(validateAuthSecrets({ ...ok, secretKey: 'x'.repeat(32) })).toBeUndefined();
    expect(
      validateAuthSecrets({ authentication: false, secretKey: null, passwordSalt: null }),
    ).toBeUndefined();
  });

  it.each([
    [{ secretKey: null }, 'ui.secret_key is not set'],
    [{ passwordSalt: '' }, 'ui.password_salt is not set'],
    [{ secretKey: 'thisisnotapropersecretkey' }, "ui.secret_key is Meltano's published default"],
    [{ passwordSalt: 'b4c124932584ad6e69f2774a0ae5c138' }, "ui.password_salt is Meltano's published default"],
    [{ secretKey: 'x'.repeat(31) }, 'ui.secret_key is shorter than 32 bytes'],
    [{ passwordSalt: 'fixture-salt-7f3a9c' }, 'ui.password_salt is shorter than 32 bytes'],
  ])('refuses %j', (patch, problem) => {
    let error: unknown;
    try {
      validateAuthSecrets({ ...ok, ...patch });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'auth_secrets_invalid', details: { problems: [problem] } });
    expect((error as Error).message).toContain('meltano ui setup');
  });
});

describe('auth settings', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("default to Meltano's values, with authentication on they refuse to load", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'auth-config-'));
    const s = settings({});
    expect(s['ui.secret_key'].value).toBe('thisisnotapropersecretkey');
    expect(s['ui.forwarded_allow_ips'].value).toBe('127.0.0.1');
    expect(s['ui.session_cookie_secure'].value).toBe(false);
    expect(s['ui.base_path'].value).toBe('');
    const off = await loadAuthConfig({ root: dir, settings: s });
    expect([off.trustForwardedHost, off.allowedHosts, off.apiDocs]).toEqual([false, [], true]);
    expect(off.secrets.passwordSalt).toBe('b4c124932584ad6e69f2774a0ae5c138');
    await expect(
      loadAuthConfig({ root: dir, settings: settings({ MELTANO_UI_AUTHENTICATION: 'true' }) }),
    ).rejects.toMatchObject({ code: 'auth_secrets_invalid' });
  });

  it('read MELTANO_UI_* env vars', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'auth-config-'));
    const cfg = await loadAuthConfig({
      root: dir,
      settings: settings({
        MELTANO_UI_AUTHENTICATION: 'true',
        MELTANO_UI_SECRET_KEY: KEY,
        MELTANO_UI_PASSWORD_SALT: SALT,
        MELTANO_UI_SERVER_NAME: 'meltano.example.com',
        MELTANO_UI_SESSION_COOKIE_SECURE: 'yes',
        MELTANO_UI_FORWARDED_ALLOW_IPS: '10.0.0.0/8, 127.0.0.1',
        MELTANO_UI_BASE_PATH: '/meltano',
        MELTANO_UI_TRUST_FORWARDED_HOST: 'true',
        MELTANO_UI_ALLOWED_HOSTS: 'Meltano.internal, 10.1.2.3:5000',
        MELTANO_UI_API_DOCS: 'false',
      }),
    });
    expect(cfg).toEqual({
      authentication: true,
      serverName: 'meltano.example.com',
      sessionCookieDomain: null,
      sessionCookieSecure: true,
      forwardedAllowIps: ['10.0.0.0/8', '127.0.0.1'],
      trustForwardedHost: true,
      allowedHosts: ['meltano.internal', '10.1.2.3:5000'],
      apiDocs: false,
      basePath: '/meltano',
      oidc: null,
      secrets: { secretKey: KEY, passwordSalt: SALT, legacyPasswordSalt: null },
    });
  });

  it('fall back to the legacy ui.cfg only where the default would apply', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'auth-config-'));
    await writeFile(
      path.join(dir, 'ui.cfg'),
      `SERVER_NAME = "None"\nSECRET_KEY = "${KEY}"\nSECURITY_PASSWORD_SALT = "from-ui-cfg-${SALT}"\n`,
    );
    expect(await readLegacyUiCfg(dir)).toEqual({
      'ui.server_name': null,
      'ui.secret_key': KEY,
      'ui.password_salt': `from-ui-cfg-${SALT}`,
    });
    const cfg = await loadAuthConfig({
      root: dir,
      settings: settings({ MELTANO_UI_AUTHENTICATION: '1', MELTANO_UI_PASSWORD_SALT: SALT }),
    });
    expect(cfg.secrets).toEqual({ secretKey: KEY, passwordSalt: SALT, legacyPasswordSalt: null });
    expect(cfg.serverName).toBeNull();
    const layered = settings({}, { legacyUiCfg: await readLegacyUiCfg(dir) });
    expect([layered['ui.secret_key'].value, layered['ui.secret_key'].source]).toEqual([KEY, 'env']);
  });
});
