import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import {
  startOpenIdProvider,
  TEST_ROLE_MAP,
  type TestOpenIdProvider,
} from '../../apps/server/test/support/openid-provider';
import { freePort, startTlsProxy, type TlsProxy } from '../support/nginx';
import { copyProject, REAL_MELTANO, type RunningUi, startUi } from '../support/ui-server';

// Single sign-on in Chromium through a real OpenID Provider: oidc-provider (pinned in apps/server's
// devDependencies) on loopback, with its own development login and consent pages.

const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: 'e2e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
  MELTANO_UI_PASSWORD_SALT: 'e2e9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};

function oidcEnv(opPort: number, extra: Record<string, string> = {}) {
  return {
    ...AUTH_ENV,
    MELTANO_UI_OIDC_ISSUER: `http://127.0.0.1:${opPort}`,
    MELTANO_UI_OIDC_CLIENT_ID: 'meltano-ui-test',
    MELTANO_UI_OIDC_CLIENT_SECRET: 'a-client-secret-for-tests-only-0123456789',
    MELTANO_UI_OIDC_SCOPES: 'openid profile email groups',
    MELTANO_UI_OIDC_BUTTON_LABEL: 'Sign in with Test IdP',
    MELTANO_UI_OIDC_ROLE_MAP: JSON.stringify(TEST_ROLE_MAP),
    ...extra,
  };
}

/** The provider's development pages, as a person fills them in. */
async function signInAtProvider(page: Page, account: string) {
  await page.getByPlaceholder('Enter any login').fill(account);
  await page.getByPlaceholder('and password').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test.describe('single sign-on, served directly', () => {
  let op: TestOpenIdProvider;
  let ui: RunningUi;
  test.beforeAll(async () => {
    const opPort = await freePort();
    const uiPort = await freePort();
    // The UI starts before its provider: discovery waits for the first sign-in.
    ui = await startUi(copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project')), oidcEnv(opPort), {
      port: uiPort,
    });
    op = await startOpenIdProvider({
      port: opPort,
      redirectUris: [`${ui.url}/api/v1/auth/oidc/callback`],
    });
  });
  test.afterAll(async () => {
    await ui?.stop();
    await op?.close();
    if (ui) fs.rmSync(ui.root, { recursive: true, force: true });
  });

  test("signs in through the provider's login and consent pages, with the role of the user's group", async ({
    page,
  }) => {
    // The UI's own errors only: the provider's development pages load fonts from the internet.
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && page.url().startsWith(ui.url)) errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(`${ui.url}/runs`);
    await expect(page.getByRole('heading', { name: 'Sign in to Meltano UI' })).toBeVisible();
    // Local sign-in is offered beside the provider.
    await expect(page.getByLabel('User name or email')).toBeVisible();
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await expect(page).toHaveURL(new RegExp(`^${op.issuer}/interaction/`));
    await signInAtProvider(page, 'alice');
    // Back on the page asked for, signed in as the provider's alice, an admin by her group. The
    // project's own local alice is another account (never linked by name or email): this one takes
    // her verified email as user name.
    await expect(page).toHaveURL(`${ui.url}/runs`);
    await expect(page.getByRole('heading', { name: 'Runs' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'alice@example.com', exact: true })).toHaveAttribute(
      'title',
      'Role: admin',
    );
    await page.goto(`${ui.url}/users`);
    const row = page.getByRole('row', { name: /alice@example\.com/ });
    await expect(row).toContainText(`single sign-on: ${op.issuer}`);
    await expect(row).toContainText('The next sign-in applies the role map');
    await page.screenshot({ path: 'artifacts/oidc-users.png' });
    // Sign-out ends the local session and goes on to the provider's sign-out page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(new RegExp(`^${op.issuer}/session/end`));
    const me = await page.request.get(`${ui.url}/api/v1/identity`);
    expect(me.status()).toBe(401);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  test('a user without a mapped group gets a clear error page, and a password still signs in', async ({
    page,
  }) => {
    await page.goto(`${ui.url}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await signInAtProvider(page, 'dave');
    await expect(page.getByRole('heading', { name: 'Single sign-on failed' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('None of your groups');
    await page.getByRole('link', { name: 'Back to the sign-in page' }).click();
    await page.getByLabel('User name or email').fill('alice');
    await page.getByLabel('Password').fill('S3cret-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'alice', exact: true })).toBeVisible();
  });
});

test.describe('single sign-on with the provider down', () => {
  let ui: RunningUi;
  test.beforeAll(async () => {
    ui = await startUi(copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project')), oidcEnv(await freePort()));
  });
  test.afterAll(async () => {
    await ui?.stop();
    if (ui) fs.rmSync(ui.root, { recursive: true, force: true });
  });

  test('the button answers a clear error page; local sign-in works', async ({ page }) => {
    await page.goto(`${ui.url}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await expect(page.getByRole('heading', { name: 'Single sign-on failed' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('cannot be reached');
    await page.goBack();
    await page.getByLabel('User name or email').fill('alice');
    await page.getByLabel('Password').fill('S3cret-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'alice', exact: true })).toBeVisible();
  });
});

test.describe('single sign-on behind nginx with TLS, under ui.base_path, ui.oidc.only', () => {
  test.use({ ignoreHTTPSErrors: true });
  let op: TestOpenIdProvider;
  let ui: RunningUi;
  let proxy: TlsProxy;
  test.beforeAll(async () => {
    const opPort = await freePort();
    ui = await startUi(
      copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project')),
      oidcEnv(opPort, { MELTANO_UI_BASE_PATH: '/meltano', MELTANO_UI_OIDC_ONLY: 'true' }),
    );
    proxy = await startTlsProxy(ui.url);
    op = await startOpenIdProvider({
      port: opPort,
      redirectUris: [`${proxy.url}/meltano/api/v1/auth/oidc/callback`],
    });
  });
  test.afterAll(async () => {
    await proxy?.stop();
    await ui?.stop();
    await op?.close();
    if (ui) fs.rmSync(ui.root, { recursive: true, force: true });
  });

  test('only the provider signs in; the session cookie is Secure and below the base path', async ({
    page,
    context,
  }) => {
    await page.goto(`${proxy.url}/meltano/runs`);
    await expect(page.getByRole('heading', { name: 'Sign in to Meltano UI' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in with Test IdP' })).toBeVisible();
    await expect(page.getByLabel('User name or email')).toHaveCount(0);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await signInAtProvider(page, 'carol');
    await expect(page).toHaveURL(`${proxy.url}/meltano/runs`);
    await expect(page.getByRole('link', { name: 'carol', exact: true })).toHaveAttribute(
      'title',
      'Role: viewer',
    );
    const session = (await context.cookies(`${proxy.url}/meltano/`)).find((c) =>
      c.name.endsWith('meltano_ui_session'),
    );
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/meltano' });
    // The password route refuses too, not only the page.
    const password = await page.request.post(`${proxy.url}/meltano/api/v1/auth/login`, {
      data: { username: 'alice', password: 'S3cret-pass' },
      headers: { 'x-requested-with': 'e2e' },
    });
    expect(password.status()).toBe(403);
  });
});
