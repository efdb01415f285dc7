import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startTlsProxy, type TlsProxy } from '../support/nginx';
import { copyProject, REAL_MELTANO, type RunningUi, startUi, watchErrors } from '../support/ui-server';

// Meltano 2.20's users (made by the real CLI; fixture README): alice is admin, bob has no role.
const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: 'e2e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
  MELTANO_UI_PASSWORD_SALT: 'e2e9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};

/** A request through the proxy with any Host header (browsers cannot forge Host). */
function viaProxy(proxy: TlsProxy, pathname: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: proxy.port, path: pathname, headers: { host }, rejectUnauthorized: false },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** POST /api/v1/auth/login through the proxy as a script would (no Origin); the Set-Cookie header. */
function loginViaProxy(proxy: TlsProxy, who: { username: string; password: string }): Promise<string> {
  const body = JSON.stringify(who);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: proxy.port,
        path: '/api/v1/auth/login',
        method: 'POST',
        headers: {
          host: `localhost:${proxy.port}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-requested-with': 'e2e',
        },
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        resolve([res.headers['set-cookie'] ?? []].flat().join('\n'));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function startBehindProxy(env: Record<string, string>) {
  const ui = await startUi(copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project')), {
    ...AUTH_ENV,
    ...env,
  });
  const proxy = await startTlsProxy(ui.url);
  return {
    ui,
    proxy,
    async stop() {
      await proxy.stop();
      await ui.stop();
      fs.rmSync(ui.root, { recursive: true, force: true });
    },
  };
}

test.use({ ignoreHTTPSErrors: true });

test.describe('behind nginx terminating TLS, proxy trusted (ui.forwarded_allow_ips default 127.0.0.1)', () => {
  let ui: RunningUi;
  let proxy: TlsProxy;
  let stop: () => Promise<void>;
  test.beforeAll(async () => {
    ({ ui, proxy, stop } = await startBehindProxy({}));
  });
  test.afterAll(() => stop());

  test('sign in with a Meltano user: Secure __Host- cookie, then sign out', async ({ page, context }) => {
    const errors = watchErrors(page);
    await page.goto(`${proxy.url}/runs`);
    await expect(page.getByRole('heading', { name: 'Sign in to Meltano UI' })).toBeVisible();

    await page.getByLabel('User name or email').fill('alice');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');

    await page.getByLabel('Password').fill('S3cret-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The page asked for comes back once signed in.
    await expect(page.getByRole('heading', { name: 'Runs' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'alice' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Users' })).toBeVisible();
    await page.screenshot({ path: 'artifacts/sign-in-behind-nginx.png' });

    const cookies = await context.cookies(proxy.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({
      name: '__Host-meltano_ui_session',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in to Meltano UI' })).toBeVisible();
    // The old cookie is dead on the server even if replayed.
    const replay = await page.request.get(`${proxy.url}/api/v1/identity`, {
      headers: { cookie: `${cookies[0]?.name}=${cookies[0]?.value}` },
    });
    expect(replay.status()).toBe(401);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  test('an admin adds a viewer, who can read but not run', async ({ page }) => {
    await page.goto(`${proxy.url}/users`);
    await page.getByLabel('User name or email').fill('alice');
    await page.getByLabel('Password').fill('S3cret-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('User name').fill('vera');
    await form.getByLabel('Password').fill('vera-password');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('rowheader', { name: /vera/ })).toBeVisible();
    await page.screenshot({ path: 'artifacts/users-admin.png' });
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByLabel('User name or email').fill('vera');
    await page.getByLabel('Password').fill('vera-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'vera' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
    const run = page.getByRole('button', { name: /^Run .* now$/ }).first();
    await expect(run).toBeDisabled();
    await expect(run).toHaveAttribute('title', /needs the regular role/);
  });

  test('health answers 200 through the proxy whatever the Host; other routes check ui.server_name', async () => {
    expect(await viaProxy(proxy, '/api/v1/health', 'lb-probe.internal')).toBe(200);
    expect(await viaProxy(proxy, '/api/v1/health', '10.0.0.8')).toBe(200);
    expect(await viaProxy(proxy, '/api/v1/ready', 'evil.example')).toBe(404);
    expect(await viaProxy(proxy, '/api/v1/ready', `localhost:${proxy.port}`)).toBe(200);
    // The fixture sets ui.server_name=localhost: the printed URL is one the host check answers.
    expect(ui.url).toMatch(/^http:\/\/localhost:/);
  });
});

test.describe('behind nginx, proxy NOT trusted', () => {
  let proxy: TlsProxy;
  let stop: () => Promise<void>;
  test.beforeAll(async () => {
    ({ proxy, stop } = await startBehindProxy({ MELTANO_UI_FORWARDED_ALLOW_IPS: '10.9.9.9' }));
  });
  test.afterAll(() => stop());

  test('X-Forwarded-Proto is not believed: the UI sees http, so an https page cannot sign in (CSRF origin) and the cookie is not Secure', async ({
    page,
  }) => {
    await page.goto(`${proxy.url}/`);
    await page.getByLabel('User name or email').fill('bob');
    await page.getByLabel('Password').fill('other-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // https://… is not the origin the UI believes it has (http://…): the message says what to set.
    await expect(page.getByText(/ui\.forwarded_allow_ips/)).toBeVisible();
    // A script (no Origin header) still signs in; its cookie is not Secure.
    const setCookie = await loginViaProxy(proxy, { username: 'bob', password: 'other-pass' });
    expect(setCookie).toMatch(/^meltano_ui_session=/);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
  });
});
