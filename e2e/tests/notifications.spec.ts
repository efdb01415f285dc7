import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { copyProject, REAL_MELTANO, type RunningUi, startUi, watchErrors } from '../support/ui-server';

// Sign-in on, over Meltano 2.20's project and users (made by the real CLI): alice is admin.
const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: 'e2e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
  MELTANO_UI_PASSWORD_SALT: 'e2e9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};
const SECRET = 'e2e-webhook-signing-secret-never-shown';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback, on a free port, that keeps what it was sent. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/meltano`,
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a receiver checks: `sha256=` HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret. */
function expectSigned(message: Received | undefined, secret: string) {
  expect(message).toBeDefined();
  const timestamp = String(message?.headers['x-meltano-ui-timestamp']);
  expect(timestamp).toMatch(/^\d{10}$/);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${message?.body}`).digest('hex')}`;
  expect(message?.headers['x-meltano-ui-signature']).toBe(expected);
  expect(message?.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(message?.body ?? '') as Record<string, unknown>;
}

/** A loopback port with nothing listening: an SMTP server that refuses the connection. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** axe-core's serious and critical findings, one line each (as in accessibility.spec.ts). */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('User name or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

let ui: RunningUi;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
test.beforeAll(async () => {
  receiver = await startReceiver();
  ui = await startUi(copyProject(path.join(REAL_MELTANO, 'v2.20.0', 'project')), AUTH_ENV);
});
test.afterAll(async () => {
  await receiver?.close();
  if (!ui) return;
  await ui.stop();
  fs.rmSync(ui.root, { recursive: true, force: true });
});

test('an admin adds a webhook, sends a signed test, adds a rule and sees the delivery log', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/notifications`);
  await signIn(page, 'alice', 'S3cret-pass');
  await expect(page.getByRole('heading', { name: 'Notifications', level: 2 })).toBeVisible();
  await expect(page).toHaveTitle('Notifications · Meltano UI');
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toHaveText('Notifications');
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }),
  ).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('No channels yet — add one to be told when a run fails.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a rule' })).toBeDisabled();
  await page.screenshot({ path: 'artifacts/notifications/empty.png', fullPage: true });

  // The server's field error shows next to the field it names.
  await page.getByRole('button', { name: 'Add a channel' }).click();
  const add = page.getByRole('form', { name: 'Add a channel' });
  await expect(add.getByRole('radio', { name: /Webhook/ })).toBeChecked();
  await add.getByRole('button', { name: 'Add channel' }).click();
  await expect(add.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/A name is required/);
  await expect(add.getByLabel('Name', { exact: true })).toBeFocused();
  await add.getByLabel('Name', { exact: true }).fill('on-call');
  await add.getByLabel('URL', { exact: true }).fill('ftp://127.0.0.1/hook');
  await add.getByRole('button', { name: 'Add channel' }).click();
  const url = add.getByLabel('URL', { exact: true });
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(url).toHaveAccessibleDescription(/config\.url must be an http or https URL/);
  await expect(url).toBeFocused();

  await url.fill(receiver.url);
  await expect(url).not.toHaveAttribute('aria-invalid');
  await add.getByLabel(/Signing secret/).fill(SECRET);
  await add.getByRole('button', { name: 'Add channel' }).click();
  await expect(add).toBeHidden();
  const channels = page.getByRole('table', { name: 'Notification channels' });
  const row = channels.getByRole('row', { name: /on-call/ });
  await expect(row.getByRole('cell', { name: receiver.origin })).toBeVisible();
  await expect(row.getByText('secret set')).toBeVisible();
  // Neither the secret nor the URL's path is ever shown (the API never returns them).
  expect(await page.content()).not.toContain(SECRET);
  expect(await page.content()).not.toContain('/hooks/meltano');

  // "Send test": the receiver gets a signed JSON body, and the outcome is shown.
  await row.getByRole('button', { name: 'Send test through on-call' }).click();
  await expect(row.getByRole('status')).toHaveText('Delivered (204).');
  expect(receiver.received).toHaveLength(1);
  const body = expectSigned(receiver.received[0], SECRET);
  expect(JSON.stringify(body)).toContain('test');

  // A rule: failed and late runs of one schedule.
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const ruleForm = page.getByRole('form', { name: 'Add a rule' });
  await expect(ruleForm.getByLabel('Channel')).toHaveValue(/.+/);
  await ruleForm.getByRole('checkbox', { name: /^Presumed dead/ }).uncheck();
  await ruleForm.getByRole('checkbox', { name: /^Late/ }).check();
  await ruleForm.getByRole('radio', { name: 'Only these schedules and jobs' }).check();
  await ruleForm.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleForm.getByText('Pick at least one pipeline, or choose all pipelines')).toBeVisible();
  await ruleForm.getByRole('checkbox', { name: 'daily-demo' }).check();
  await ruleForm.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleForm).toBeHidden();
  const rules = page.getByRole('table', { name: 'Notification rules' });
  const ruleRow = rules.getByRole('row', { name: /on-call/ });
  await expect(ruleRow.getByRole('list', { name: 'Events' })).toHaveText(/Failed\s*Late/);
  await expect(ruleRow.getByRole('cell', { name: 'daily-demo' })).toBeVisible();
  // Edited: turned off, for every pipeline.
  await ruleRow.getByRole('button', { name: 'Edit the rule for on-call' }).click();
  const ruleEdit = page.getByRole('form', { name: 'Edit the rule for on-call' });
  await expect(ruleEdit.getByRole('checkbox', { name: 'daily-demo' })).toBeChecked();
  await ruleEdit.getByRole('radio', { name: /^All pipelines/ }).check();
  await ruleEdit.getByRole('checkbox', { name: /^On/ }).uncheck();
  await ruleEdit.getByRole('button', { name: 'Save rule' }).click();
  await expect(ruleEdit).toBeHidden();
  await expect(ruleRow.getByRole('cell', { name: 'Off' })).toBeVisible();
  await expect(ruleRow.getByRole('cell', { name: 'All pipelines' })).toBeVisible();
  await expect(
    channels.getByRole('row', { name: /on-call/ }).getByRole('cell', { name: '1', exact: true }),
  ).toBeVisible();

  // An email channel to several addresses, whose SMTP server refuses: the test says why it failed.
  const smtpPort = await closedPort();
  await page.getByRole('button', { name: 'Add a channel' }).click();
  await add.getByRole('radio', { name: /Email/ }).check();
  await page.screenshot({ path: 'artifacts/notifications/add-email.png', fullPage: true });
  await add.getByLabel('Name', { exact: true }).fill('team-mail');
  await add.getByLabel('SMTP server', { exact: true }).fill('127.0.0.1');
  await add.getByLabel('Port', { exact: true }).fill(String(smtpPort));
  await add.getByLabel('From', { exact: true }).fill('meltano@example.com');
  await add.getByLabel('To', { exact: true }).fill('oncall@example.com, data@example.com');
  await add.getByRole('button', { name: 'Add channel' }).click();
  await expect(add).toBeHidden();
  const mail = channels.getByRole('row', { name: /team-mail/ });
  await expect(mail.getByRole('cell', { name: 'Email' })).toBeVisible();
  await expect(mail).toContainText(`smtp://127.0.0.1:${smtpPort} → oncall@example.com, data@example.com`);
  await expect(mail).toContainText('no password');
  await mail.getByRole('button', { name: 'Send test through team-mail' }).click();
  await expect(mail.getByRole('status')).toHaveText('Not delivered: Could not send the email (ESOCKET)');

  // The delivery log shows both tests.
  const log = page.getByRole('table', { name: 'Delivery log' });
  const failed = log.getByRole('row', { name: /team-mail/ });
  await expect(failed.getByText('Failed')).toBeVisible();
  await expect(failed.getByRole('cell', { name: 'Could not send the email (ESOCKET)' })).toBeVisible();
  const delivery = log.getByRole('row', { name: /on-call/ });
  await expect(delivery.getByRole('cell', { name: 'on-call' })).toBeVisible();
  await expect(delivery.getByText('Delivered')).toBeVisible();
  await expect(delivery.getByRole('cell', { name: '1', exact: true })).toBeVisible();

  for (const view of [
    { name: 'light', theme: 'light', viewport: { width: 1280, height: 900 } },
    { name: 'dark', theme: 'dark', viewport: { width: 1280, height: 900 } },
    { name: 'phone', theme: 'light', viewport: { width: 390, height: 844 } },
  ]) {
    await page.setViewportSize(view.viewport);
    await page.evaluate((t) => localStorage.setItem('meltano-ui.theme', t), view.theme);
    await page.reload();
    await expect(log.getByRole('row', { name: /on-call/ })).toBeVisible();
    await page.screenshot({ path: `artifacts/notifications/${view.name}.png`, fullPage: true });
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(width[0], `${view.name}: the page is wider than the window`).toBeLessThanOrEqual(width[1] ?? 0);
    // Lists, an open email form and an open rule form: no serious axe finding in either theme.
    await page.getByRole('button', { name: 'Add a channel' }).click();
    await add.getByRole('radio', { name: /Email/ }).check();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await ruleForm.getByRole('radio', { name: 'Only these schedules and jobs' }).check();
    await expect(ruleForm.getByRole('checkbox', { name: 'daily-demo' })).toBeVisible();
    if (view.name !== 'phone') expect(await seriousViolations(page), view.name).toEqual([]);
    await page.screenshot({ path: `artifacts/notifications/${view.name}-forms.png`, fullPage: true });
    await ruleForm.screenshot({ path: `artifacts/notifications/${view.name}-rule-form.png` });
    await add.getByRole('button', { name: 'Cancel' }).click();
    await ruleForm.getByRole('button', { name: 'Cancel' }).click();
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Editing with the secret fields left empty keeps them: the next test is signed with the same secret.
  await page.getByRole('button', { name: 'Edit channel on-call' }).click();
  const edit = page.getByRole('form', { name: 'Edit channel on-call' });
  await expect(edit.getByLabel('URL', { exact: true })).toHaveValue('');
  await expect(edit.getByLabel('URL', { exact: true })).toHaveAccessibleDescription(
    /leave this empty to keep it/,
  );
  await page.screenshot({ path: 'artifacts/notifications/edit-channel.png', fullPage: true });
  // The keyboard goes into the form, and back to the Edit button once it is saved.
  await expect(edit.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('pager');
  await page.keyboard.press('Enter');
  await expect(edit).toBeHidden();
  const renamed = channels.getByRole('row', { name: /pager/ });
  await expect(renamed.getByRole('button', { name: 'Edit channel pager' })).toBeFocused();
  await renamed.getByRole('button', { name: 'Send test through pager' }).click();
  await expect(renamed.getByRole('status')).toHaveText('Delivered (204).');
  expect(receiver.received).toHaveLength(2);
  expectSigned(receiver.received[1], SECRET);

  // Deleting asks first; the rule goes with its channel.
  await rules.getByRole('button', { name: 'Delete the rule for pager' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete rule' }).click();
  await expect(page.getByText(/^No rules yet/)).toBeVisible();
  await renamed.getByRole('button', { name: 'Delete channel pager' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete channel pager?' });
  await expect(dialog).toContainText('No rule sends to it.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await renamed.getByRole('button', { name: 'Delete channel pager' }).click();
  await dialog.getByRole('button', { name: 'Delete channel' }).click();
  await expect(renamed).toHaveCount(0);
  await expect(channels.getByRole('row', { name: /team-mail/ })).toBeVisible();
  // The log keeps what was sent, through a channel now gone too.
  await expect(log.getByRole('row', { name: /Test message/ })).toHaveCount(3);
  await expect(log.getByRole('row', { name: /a removed channel/ })).toHaveCount(2);
  // The 401 before signing in, and the 400 of the refused URL, are the only failed requests.
  expect(errors.filter((e) => !/status of (401|400)/.test(e))).toEqual([]);
});

test('a non-admin sees no Notifications in the menu or the palette, and is refused the page', async ({
  page,
}) => {
  await page.goto(`${ui.url}/users`);
  await signIn(page, 'alice', 'S3cret-pass');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('User name').fill('rita');
  await form.getByLabel('Password').fill('rita-password');
  await form.getByLabel('Role').selectOption('regular');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('rowheader', { name: /rita/ })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'rita', 'rita-password');
  await expect(page.getByRole('link', { name: 'rita' })).toBeVisible();
  const rail = page.getByRole('navigation', { name: 'Main' });
  await expect(rail.getByRole('link', { name: 'Runs' })).toBeVisible();
  await expect(rail.getByRole('link', { name: 'Notifications' })).toHaveCount(0);
  await page.getByRole('button', { name: /Search/ }).click();
  const box = page.getByRole('combobox', { name: /Search pipelines/ });
  await expect(box).toBeFocused();
  const results = page.getByRole('listbox', { name: 'Results' });
  await box.fill('settings');
  await expect(results.getByRole('option')).toHaveCount(1);
  await box.fill('notifications');
  await expect(results.getByRole('option')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Nothing matches.' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.goto(`${ui.url}/notifications`);
  await expect(page.getByRole('heading', { name: 'Notifications', level: 2 })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Could not load notification channels.');
  await expect(page.getByRole('alert')).toContainText('this needs the admin role');
  await expect(page.getByRole('button', { name: 'Add a channel' })).toHaveCount(0);
  await page.screenshot({ path: 'artifacts/notifications/not-allowed.png' });
});
