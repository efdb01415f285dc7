import { expect, test } from '@playwright/test';
import { type RunningUi, runStandin, serveFixtureProject, watchErrors } from '../support/ui-server';

const served = serveFixtureProject();
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

test('lists every schedule of a real Meltano 3.9 project with its latest status', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  const table = page.getByRole('table', { name: /Schedules/ });
  await expect(table).toBeVisible();
  await expect(page).toHaveTitle('Pipelines · Meltano UI');
  const row = (name: string) =>
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await expect(row('daily-demo').getByText('Success')).toBeVisible();
  await expect(row('failing-demo').getByText('Failed')).toBeVisible();
  await expect(row('failing-demo')).toContainText('scheduler');
  await expect(row('cron-demo')).toContainText('Every 15 minutes');
  await expect(row('demo-job-schedule')).toContainText('job demo-job');
  const strip = row('demo-job-schedule').getByRole('group', { name: 'Last 3 runs: 0 failed' });
  await expect(strip.getByRole('link', { name: /^Run 10, success, / })).toBeVisible();
  // Runs no schedule records are listed too (manual --state-id runs), with their presumed-dead one.
  const others = page.getByRole('table', { name: /Runs no schedule or job records/ });
  await expect(others.getByRole('rowheader', { name: 'manual-ok' })).toBeVisible();
  await expect(others.getByRole('row').filter({ hasText: 'killed-stale' })).toContainText('Failed');
  await expect(page.getByText('Authentication off')).toBeVisible();
  await page.screenshot({ path: 'artifacts/pipelines.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a failed run shows the real cause from its log, linked to its line', async ({ page }) => {
  await page.goto(ui.url);
  const row = page
    .getByRole('table', { name: /Schedules/ })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'failing-demo', exact: true }) });
  // Read once in the background after the first list request; the polled list then carries it.
  const cause = row.getByRole('link', { name: /RuntimeError: HTTP 500 from upstream API/ });
  await expect(cause).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText('tap-demo-fail, line 14');
  await cause.click();
  await expect(page).toHaveURL(/\/runs\/9#L14$/);
  // The run page says it too, above Meltano's own "Extractor failed" message.
  const failure = page.getByRole('region', { name: 'Failure message' });
  await expect(failure.getByRole('link', { name: /RuntimeError: HTTP 500/ })).toBeVisible();
  await expect(failure).toContainText('ELT could not be completed: Extractor failed.');
});

test('search and status filter narrow the list and live in the URL', async ({ page }) => {
  await page.goto(ui.url);
  await page.getByLabel('Search').fill('cron');
  await expect(page.getByRole('table', { name: /Schedules/ }).getByRole('rowheader')).toHaveText([
    'cron-demo',
  ]);
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Latest status').selectOption('failed');
  await expect(page.getByRole('table', { name: /Schedules/ }).getByRole('rowheader')).toHaveText([
    'failing-demo',
  ]);
  expect(page.url()).toContain('status=failed');
  await page.reload();
  await expect(page.getByLabel('Latest status')).toHaveValue('failed');
  // The fixture's runs are days old: its schedules on a timer have missed their starts since.
  await page.getByLabel('Latest status').selectOption('late');
  const late = page
    .getByRole('table', { name: /Schedules/ })
    .getByRole('row')
    .filter({ hasText: 'missed' });
  await expect(late.getByRole('rowheader', { name: 'daily-demo', exact: true })).toBeVisible();
  await expect(late.first()).toContainText(/Late · \d+\+? missed/);
});

test('a run started by the CLI appears within 5 seconds without a reload', async ({ page }) => {
  await page.goto(ui.url);
  const row = page
    .getByRole('table', { name: /Schedules/ })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'failing-demo', exact: true }) });
  await expect(row.getByText('Failed')).toBeVisible();
  await expect(row).toContainText(/Late · \d+\+? missed/);
  // failing-demo's tap is configured to fail; STANDIN_MODE=ok runs it as a success this time.
  const result = runStandin(ui.root, ['elt', 'tap-demo', 'target-demo', '--state-id=failing-demo']);
  expect(result.status, result.stderr).toBe(0);
  await expect(row.getByText('Success')).toBeVisible({ timeout: 5000 });
  await expect(row).toContainText('50%');
  // It runs every hour: a run just now means the next start is not due yet.
  await expect(row).not.toContainText('missed');
});

test('the pipeline page shows the definition, Singer state, durations and run history', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await page.getByRole('link', { name: 'demo-job-schedule', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'demo-job-schedule' })).toBeVisible();
  await expect(page).toHaveTitle('demo-job-schedule · Schedule · Meltano UI');
  const definition = page.getByRole('region', { name: 'Definition' });
  await expect(definition).toContainText('@weekly');
  await expect(definition).toContainText('tap-demo target-demo');
  // The Singer state panel of that state ID (the shared-state notice above names it too).
  await page
    .getByRole('group')
    .filter({ hasText: 'dev:tap-demo-to-target-demo' })
    .getByText('dev:tap-demo-to-target-demo', { exact: true })
    .click();
  await expect(page.getByText('"last_id": 9')).toBeVisible();
  const durations = page.getByRole('figure', { name: /Duration of the last 3 runs/ });
  await expect(durations.getByRole('link', { name: /^Run #10: Success/ })).toBeVisible();
  // The fixture's demo taps log no Singer metrics: once their logs are read (in the background, the
  // chart asks again every 10 s), the records chart says so instead of drawing empty bars.
  await expect(page.getByRole('region', { name: 'Records moved' })).toContainText(
    'None of the last 3 runs logged Singer record counts',
    { timeout: 25_000 },
  );
  const history = page.getByRole('table', { name: 'Runs of demo-job-schedule' });
  await expect(history.getByRole('rowheader')).toHaveText(['#10', '#5', '#4']);
  await page.screenshot({ path: 'artifacts/pipeline-detail.png', fullPage: true });
  await history.getByRole('link', { name: 'Run 10 log' }).click();
  await expect(page).toHaveURL(/\/runs\/10$/);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'demo-job-schedule' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the runs page filters every run of the project', async ({ page }) => {
  await page.goto(`${ui.url}/runs`);
  const table = page.getByRole('table', { name: 'Runs' });
  await expect(table.getByRole('rowheader').first()).toBeVisible();
  await page.getByLabel('Status').selectOption('stale');
  await expect(table.getByRole('rowheader')).toHaveText(['#15']);
  await expect(table.getByRole('row').filter({ hasText: '#15' })).toContainText('Presumed dead');
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Trigger').fill('scheduler');
  await expect(table.getByRole('rowheader')).toHaveText(['#9']);
  await page.screenshot({ path: 'artifacts/runs.png', fullPage: true });
});

test('dark mode and a phone-sized screen stay readable', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await expect(page.getByRole('table', { name: /Schedules/ })).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(20, 20, 31)');
  await page.screenshot({ path: 'artifacts/pipelines-phone-dark.png', fullPage: true });
  await page.getByLabel('Theme').selectOption('light');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
    'rgb(255, 255, 255)',
  );
  expect(errors).toEqual([]);
  await context.close();
});

test('deep links serve the app, unknown API paths answer JSON and missing assets 404', async ({
  request,
}) => {
  const page = await request.get(`${ui.url}/schedules/daily-demo`);
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('<div id="root">');
  const api = await request.get(`${ui.url}/api/v1/nope`);
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ error: true, code: 'route_not_found' });
  expect((await request.get(`${ui.url}/assets/index-old.js`)).status()).toBe(404);
});
