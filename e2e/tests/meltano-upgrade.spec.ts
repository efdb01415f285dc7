import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import {
  copyProject,
  REAL_MELTANO,
  type RunningUi,
  STANDIN,
  startUi,
  watchErrors,
} from '../support/ui-server';

// Sign-in on, over Meltano 2.20's project and users (made by the real CLI): alice is admin. The Meltano
// CLI is the stand-in (NOT the real Meltano): its `upgrade` prints Meltano's lines and reports the new
// version afterwards. "PyPI" is a fake on loopback that says 4.3.0 is the newest Meltano.
const repo = path.resolve(import.meta.dirname, '..', '..');
const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: 'e2e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
  MELTANO_UI_PASSWORD_SALT: 'e2e9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
  MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
  // This machine may be a Docker container (where Meltano refuses to upgrade itself).
  MELTANO_UI_CONTAINER_MARKER: path.join(os.tmpdir(), 'e2e-no-dockerenv'),
  STANDIN_UPGRADE_TO: '4.3.0',
  // Slow enough that the output is seen arriving.
  STANDIN_DELAY_MS: '250',
};

/** axe-core's serious and critical findings, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('User name or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

let ui: RunningUi;
let pypi: http.Server;
test.beforeAll(async () => {
  pypi = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ info: { name: 'meltano', version: '4.3.0' } }));
  });
  await new Promise<void>((resolve) => pypi.listen(0, '127.0.0.1', resolve));
  const pypiUrl = `http://127.0.0.1:${(pypi.address() as AddressInfo).port}/pypi/meltano/json`;
  const root = copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project'));
  const env = { ...process.env, ...AUTH_ENV };
  execFileSync(
    process.execPath,
    [
      path.join(repo, 'apps/cli/bin/meltano.js'),
      'user',
      'add',
      'vera',
      'vera-reads-only',
      '-G',
      'viewer',
      '--project-root',
      root,
    ],
    { env },
  );
  ui = await startUi(root, { ...AUTH_ENV, MELTANO_UI_PYPI_URL: pypiUrl });
});
test.afterAll(async () => {
  await ui?.stop();
  if (ui) fs.rmSync(ui.root, { recursive: true, force: true });
  await new Promise((resolve) => pypi?.close(resolve));
});

test('a viewer sees the Meltano version but is not offered the upgrade', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await signIn(page, 'vera', 'vera-reads-only');
  const header = page.getByRole('banner');
  await expect(header.getByText('Meltano 3.9.5')).toBeVisible();
  await expect(header.getByRole('button', { name: /Upgrade Meltano/ })).toHaveCount(0);
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('on a phone the admin’s upgrade button fits in the header', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(ui.url);
  await signIn(page, 'alice', 'S3cret-pass');
  await expect(
    page.getByRole('banner').getByRole('button', { name: 'Upgrade Meltano to 4.3.0' }),
  ).toBeVisible();
  await page.screenshot({ path: 'artifacts/meltano-upgrade/phone.png' });
  const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scroll[0], 'the phone page overflows').toBeLessThanOrEqual(scroll[1] ?? 0);
  await context.close();
});

test('an admin upgrades Meltano from the header, watches the output arrive, and sees the new version', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await signIn(page, 'alice', 'S3cret-pass');
  const header = page.getByRole('banner');
  await expect(header.getByText('Meltano 3.9.5')).toBeVisible();
  await header.screenshot({ path: 'artifacts/meltano-upgrade/header.png' });
  await header.getByRole('button', { name: 'Upgrade Meltano to 4.3.0' }).click();

  const dialog = page.getByRole('dialog', { name: 'Upgrade Meltano to 4.3.0' });
  await expect(dialog).toContainText(
    'The Meltano CLI this UI runs pipelines with is 3.9.5; the newest on PyPI is 4.3.0.',
  );
  await expect(dialog).toContainText('pip install --upgrade meltano');
  await page.screenshot({ path: 'artifacts/meltano-upgrade/dialog.png' });
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Run meltano upgrade' }).click();

  const log = dialog.getByRole('log', { name: 'Output of meltano upgrade' });
  const status = dialog.getByRole('status');
  // Live: part of the output is shown while the upgrade still runs.
  await page.waitForFunction(() => {
    const d = document.querySelector('dialog.upgrade-dialog');
    const text = d?.querySelector('[role="log"]')?.textContent ?? '';
    const state = d?.querySelector('[role="status"]')?.textContent ?? '';
    return state === 'Upgrading Meltano…' && text.includes('Collecting meltano');
  });
  await expect(log).not.toContainText('have been upgraded!');
  await page.screenshot({ path: 'artifacts/meltano-upgrade/running.png' });

  await expect(status).toHaveText('Upgraded: the Meltano CLI is now 4.3.0.', { timeout: 30_000 });
  await expect(log).toContainText('Successfully installed meltano-4.3.0');
  await expect(log).toContainText('Meltano and your Meltano project have been upgraded!');
  await page.screenshot({ path: 'artifacts/meltano-upgrade/done.png' });
  await page.evaluate(() => localStorage.setItem('meltano-ui.theme', 'dark'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await page.screenshot({ path: 'artifacts/meltano-upgrade/done-dark.png' });
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(header.getByText('Meltano 4.3.0')).toBeVisible();
  await expect(header.getByRole('button', { name: /Upgrade Meltano/ })).toHaveCount(0);
  await header.screenshot({ path: 'artifacts/meltano-upgrade/header-after-dark.png' });
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});
