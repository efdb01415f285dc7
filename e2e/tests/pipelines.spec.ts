import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { copyProject, FIXTURES, type RunningUi, startUi } from '../support/ui-server';

let ui: RunningUi;

test.beforeAll(async () => {
  const root = copyProject(path.join(FIXTURES, 'real-meltano', 'v3.9.5', 'project'));
  ui = await startUi(root);
});

test.afterAll(async () => {
  await ui.stop();
  fs.rmSync(ui.root, { recursive: true, force: true });
});

test('the pipelines page lists every schedule of a real Meltano 3.9 project with its latest status', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(ui.url);
  const table = page.getByRole('table', { name: 'Pipelines' });
  await expect(table).toBeVisible();
  const row = (name: string) =>
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await expect(row('daily-demo').getByText('Success')).toBeVisible();
  await expect(row('failing-demo').getByText('Failed')).toBeVisible();
  await expect(row('cron-demo').getByText('Every 15 minutes', { exact: false })).toBeVisible();
  await expect(row('demo-job-schedule')).toContainText('job demo-job');
  await page.screenshot({ path: 'artifacts/pipelines.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('deep links serve the app and unknown API paths answer JSON', async ({ request }) => {
  const page = await request.get(`${ui.url}/pipelines/daily-demo`);
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('<div id="root">');
  const api = await request.get(`${ui.url}/api/v1/nope`);
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error: true, code: 'route_not_found' });
});
