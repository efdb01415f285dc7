import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import {
  copyProject,
  REAL_MELTANO,
  type RunningUi,
  STANDIN,
  startUi,
  watchErrors,
} from '../support/ui-server';

// Sign-in on, over Meltano 2.20's project and users (made by the real CLI): alice is admin. Runs go
// through the Meltano-CLI stand-in.
const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: 'e2e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
  MELTANO_UI_PASSWORD_SALT: 'e2e9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
  MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
  STANDIN_DELAY_MS: '20',
};
const WRONG_PASSWORD = 'wrong-password-never-recorded';

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('User name or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

let ui: RunningUi;
test.beforeAll(async () => {
  ui = await startUi(copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project')), AUTH_ENV);
});
test.afterAll(async () => {
  if (!ui) return;
  await ui.stop();
  fs.rmSync(ui.root, { recursive: true, force: true });
});

test('an admin finds a failed sign-in, her own sign-in and the run she started in the audit log', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/audit`);
  await signIn(page, 'alice', WRONG_PASSWORD);
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');
  await signIn(page, 'alice', 'S3cret-pass');
  await expect(page.getByRole('heading', { name: 'Audit log', level: 2 })).toBeVisible();

  const table = page.getByRole('table', { name: /Audit log/ });
  const logins = table.getByRole('row').filter({ hasText: 'POST /api/v1/auth/login' });
  await expect(logins).toHaveCount(2);
  await expect(logins.first()).toContainText('alice');
  await expect(logins.first()).toContainText('Done · 200');
  await expect(logins.nth(1)).toContainText('anonymous');
  await expect(logins.nth(1)).toContainText('Refused · 401');
  await expect(table).not.toContainText(WRONG_PASSWORD);

  await page.goto(`${ui.url}/schedules/daily-demo`);
  await page.getByRole('button', { name: 'Run daily-demo now' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/, { timeout: 15_000 });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Pipeline').fill('daily-demo');
  const run = table.getByRole('row').filter({ hasText: 'POST /api/v1/schedules/{name}/run' });
  await expect(run).toHaveCount(1);
  await expect(run).toContainText('alice');
  await expect(run).toContainText('127.0.0.1');
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.screenshot({ path: 'artifacts/audit/filtered.png', fullPage: true });

  const exportLink = page.getByRole('link', { name: 'Export JSON lines' });
  await expect(exportLink).toHaveAttribute('href', /\/api\/v1\/audit\/export\?pipeline=daily-demo$/);
  const exported = await page.request.get(`${ui.url}/api/v1/audit/export?pipeline=daily-demo`);
  expect(exported.headers()['content-type']).toMatch(/^application\/x-ndjson/);
  const lines = (await exported.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { actor: string; action: string; target: Record<string, string> });
  expect(lines).toEqual([
    expect.objectContaining({
      actor: 'alice',
      action: 'POST /api/v1/schedules/{name}/run',
      target: { name: 'daily-demo' },
    }),
  ]);
  await page.getByLabel('Pipeline').fill('');
  await expect(logins).toHaveCount(2);
  for (const view of [
    { name: 'dark', theme: 'dark', viewport: { width: 1280, height: 800 } },
    { name: 'phone', theme: 'light', viewport: { width: 390, height: 844 } },
  ]) {
    await page.setViewportSize(view.viewport);
    await page.evaluate((t) => localStorage.setItem('meltano-ui.theme', t), view.theme);
    await page.reload();
    await expect(logins).toHaveCount(2);
    await page.screenshot({ path: `artifacts/audit/${view.name}.png`, fullPage: true });
    const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scroll[0], `${view.name}: the page overflows`).toBeLessThanOrEqual(scroll[1] ?? 0);
  }

  // The sign-in page's own 401s (not signed in yet, then the wrong password) are expected.
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});
