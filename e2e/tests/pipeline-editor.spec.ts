import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import {
  copyProject,
  REAL_MELTANO,
  type RunningUi,
  STANDIN,
  serveFixtureProject,
  startUi,
  watchErrors,
} from '../support/ui-server';

const READONLY = 'This Meltano project is deployed as read-only';

/**
 * The Meltano 3.9 fixture with what real files have and a careless writer would lose: comments, and an
 * environment with env vars (for the environments view).
 */
function annotatedProject(): string {
  const root = copyProject(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
  const file = path.join(root, 'meltano.yml');
  const text = fs
    .readFileSync(file, 'utf8')
    .replace('version: 1\n', '# Owned by the data team: keep this comment.\nversion: 1\n')
    .replace(
      '- name: staging\n',
      '- name: staging\n  env:\n    WAREHOUSE_SCHEMA: staging  # per environment\n',
    )
    .replace('jobs:\n', '# Jobs run by `meltano run`\njobs:\n');
  fs.writeFileSync(file, text);
  return root;
}

const readYml = (ui: RunningUi) => fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8');

/** The one changed region between two texts: lines removed from `before` and added in `after`. */
function lineDiff(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let tail = 0;
  while (tail < a.length - start && tail < b.length - start && a.at(-1 - tail) === b.at(-1 - tail)) tail++;
  return { removed: a.slice(start, a.length - tail), added: b.slice(start, b.length - tail) };
}

/**
 * URLs the page fetched that answered `status`. Chromium logs each as a console error, so tests that
 * expect one (a 409 on purpose, a new schedule's missing Singer state) check the URLs instead.
 */
function watchStatus(page: Page, status: number): string[] {
  const urls: string[] = [];
  page.on('response', (res) => {
    if (res.status() === status) urls.push(new URL(res.url()).pathname);
  });
  return urls;
}
const notStatus = (errors: string[], ...statuses: number[]) =>
  errors.filter((e) => !statuses.some((s) => e.includes(`status of ${s}`)));

async function confirmDelete(page: Page, what: 'schedule' | 'job') {
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: `Delete ${what}` }).click();
  await expect(page).toHaveURL(/\/$/);
}

test.describe
  .serial('schedule and job editors on a writable project', () => {
    let ui: RunningUi;
    let original: string;
    test.beforeAll(async () => {
      ui = await startUi(annotatedProject());
      original = readYml(ui);
    });
    test.afterAll(async () => {
      await ui.stop();
      fs.rmSync(ui.root, { recursive: true, force: true });
    });

    test('creates an ELT schedule with the cron preview', async ({ page }) => {
      const errors = watchErrors(page);
      const missing = watchStatus(page, 404);
      await page.goto(ui.url);
      await page.getByRole('link', { name: 'New schedule' }).click();
      await expect(page.getByRole('heading', { name: 'New schedule' })).toBeVisible();
      await page.getByLabel('Extractor', { exact: true }).selectOption('tap-demo');
      await page.getByLabel('Loader', { exact: true }).selectOption('target-demo');
      // The old UI's name, proposed until a name is typed.
      await expect(page.getByLabel('Name', { exact: true })).toHaveValue('demo-to-demo');

      const interval = page.getByLabel('Interval or cron expression');
      await interval.fill('every tuesday');
      await expect(page.getByText(/"every tuesday" is not a valid interval/)).toBeVisible();
      await page.getByRole('button', { name: 'Weekly', exact: true }).click();
      await expect(interval).toHaveValue('@weekly');
      await expect(page.getByRole('button', { name: 'Weekly', exact: true })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      await expect(page.getByText('cron 0 0 * * 0')).toBeVisible();
      await interval.fill('30 6 * * 1-5');
      await expect(page.getByText('At 06:30, Monday through Friday (UTC)')).toBeVisible();
      const runs = page.getByRole('list').filter({ hasText: 'UTC' }).getByRole('listitem');
      await expect(runs).toHaveCount(5);
      await expect(runs.first()).toContainText(/(Mon|Tue|Wed|Thu|Fri), .*06:30 UTC/);

      await page.getByLabel('Name', { exact: true }).fill('e2e-weekdays');
      await page.getByRole('button', { name: 'Add variable' }).click();
      await page.getByLabel('Name of variable 1').fill('TARGET_SCHEMA');
      await page.getByLabel('Value of TARGET_SCHEMA').fill('raw_e2e');
      await page.screenshot({ path: 'artifacts/schedule-editor.png', fullPage: true });
      await page.getByRole('button', { name: 'Create schedule' }).click();

      await expect(page).toHaveURL(/\/schedules\/e2e-weekdays$/);
      const definition = page.getByRole('region', { name: 'Definition' });
      await expect(definition).toContainText('30 6 * * 1-5');
      await expect(definition).toContainText('TARGET_SCHEMA=raw_e2e');
      const diff = lineDiff(original, readYml(ui));
      expect(diff.removed).toEqual([]);
      expect(diff.added).toEqual([
        '- name: e2e-weekdays',
        '  extractor: tap-demo',
        '  loader: target-demo',
        '  transform: skip',
        '  interval: 30 6 * * 1-5',
        '  env:',
        '    TARGET_SCHEMA: raw_e2e',
      ]);
      // A new schedule has no Singer state yet: the state panel's lookup answers 404, as it should
      // (it may still be on its way when the definition shows).
      await expect.poll(() => missing).toEqual(['/api/v1/state/e2e-weekdays']);
      expect(notStatus(errors, 404)).toEqual([]);
    });

    test('edits and renames it; a change made on disk meanwhile is caught and can be reloaded', async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const missing = watchStatus(page, 404);
      const refused = watchStatus(page, 409);
      await page.goto(`${ui.url}/schedules/e2e-weekdays`);
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await expect(page).toHaveURL(/\/schedules\/e2e-weekdays\/edit$/);
      await expect(page.getByLabel('Interval or cron expression')).toHaveValue('30 6 * * 1-5');

      // Someone edits the file by hand while the form is open.
      fs.writeFileSync(
        path.join(ui.root, 'meltano.yml'),
        readYml(ui).replace('interval: 30 6 * * 1-5', 'interval: 45 6 * * 1-5'),
      );
      await page.getByLabel('Transform', { exact: true }).selectOption('run');
      await page.getByRole('button', { name: 'Save schedule' }).click();
      await expect(page.getByText(/changed on disk/).first()).toBeVisible();
      await page.getByRole('button', { name: /Reload the schedule|Load the new version/ }).click();
      await expect(page.getByLabel('Interval or cron expression')).toHaveValue('45 6 * * 1-5');
      await expect(page.getByLabel('Transform', { exact: true })).toHaveValue('skip');

      await page.getByRole('button', { name: 'Hourly', exact: true }).click();
      await page.getByLabel('Name', { exact: true }).fill('e2e-hourly');
      await expect(page.getByText(/its next run will not find the Singer state/)).toBeVisible();
      await page.getByRole('button', { name: 'Save schedule' }).click();
      await expect(page).toHaveURL(/\/schedules\/e2e-hourly$/);
      await expect(page.getByRole('region', { name: 'Definition' })).toContainText('@hourly');
      const yml = readYml(ui);
      expect(yml).toContain(
        "- name: e2e-hourly\n  extractor: tap-demo\n  loader: target-demo\n  transform: skip\n  interval: '@hourly'\n",
      );
      expect(yml).not.toContain('e2e-weekdays');
      expect(refused).toEqual(['/api/v1/schedules/e2e-weekdays']);
      // No Singer state under either name yet; the old name's page is never asked for again.
      // (The new page's state panel asks after its definition shows.)
      await expect
        .poll(() => new Set(missing))
        .toEqual(new Set(['/api/v1/state/e2e-weekdays', '/api/v1/state/e2e-hourly']));
      expect(notStatus(errors, 404, 409)).toEqual([]);
    });

    test('a field the server rejects is marked next to that field', async ({ page }) => {
      await page.goto(`${ui.url}/schedules/new`);
      await page.getByLabel('Extractor', { exact: true }).selectOption('tap-demo');
      await page.getByLabel('Loader', { exact: true }).selectOption('target-demo');
      await page.getByLabel('Name', { exact: true }).fill('daily-demo');
      await page.getByRole('button', { name: 'Create schedule' }).click();
      const name = page.getByLabel('Name', { exact: true });
      await expect(name).toHaveAttribute('aria-invalid', 'true');
      await expect(page.getByText("A schedule named 'daily-demo' already exists")).toBeVisible();
    });

    test('creates a job from the plugin picker, reorders its tasks', async ({ page }) => {
      const errors = watchErrors(page);
      const missing = watchStatus(page, 404);
      await page.goto(ui.url);
      await page.getByRole('link', { name: 'New job' }).click();
      await page.getByLabel('Name', { exact: true }).fill('e2e-job');
      await page.getByLabel('Add a plugin to task 1').selectOption('tap-demo');
      await page.getByLabel('Add a plugin to task 1').selectOption('target-demo');
      await expect(page.getByLabel('Task 1', { exact: true })).toHaveValue('tap-demo target-demo');
      await page.getByRole('button', { name: 'Add task' }).click();
      await page.getByLabel('Task 2', { exact: true }).fill('tap-demo-slow target-demo');
      await page.getByRole('button', { name: 'Add task' }).click();
      await page.getByLabel('Task 3', { exact: true }).fill('tap-nope target-demo');
      await expect(page.getByText('Not a plugin of this project: tap-nope')).toBeVisible();
      await page.getByRole('button', { name: 'Remove task 3' }).click();
      await page.getByRole('button', { name: 'Move task 2 up' }).click();
      await expect(page.getByLabel('Task 1', { exact: true })).toHaveValue('tap-demo-slow target-demo');
      await page.screenshot({ path: 'artifacts/job-editor.png', fullPage: true });
      await page.getByRole('button', { name: 'Create job' }).click();

      await expect(page).toHaveURL(/\/jobs\/e2e-job$/);
      await expect(page.getByRole('region', { name: 'Definition' })).toContainText(
        'tap-demo-slow target-demo · tap-demo target-demo',
      );
      expect(readYml(ui)).toContain(
        '- name: e2e-job\n  tasks:\n  - tap-demo-slow target-demo\n  - tap-demo target-demo\n',
      );
      // The job page leads to a schedule for it, prefilled.
      await page.getByRole('link', { name: 'add a schedule' }).click();
      await expect(page.getByRole('radio', { name: /a job/ })).toBeChecked();
      await expect(page.getByLabel('Job', { exact: true })).toHaveValue('e2e-job');
      await expect(page.getByLabel('Name', { exact: true })).toHaveValue('e2e-job-schedule');
      // Only Singer state lookups of state IDs with no state yet.
      expect(missing.every((url) => url.startsWith('/api/v1/state/'))).toBe(true);
      expect(notStatus(errors, 404)).toEqual([]);
    });

    test('deleting a job that schedules run names them instead', async ({ page }) => {
      await page.goto(`${ui.url}/jobs/demo-job`);
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toContainText('The schedule demo-job-schedule runs this job');
      await expect(dialog.getByRole('button', { name: 'Delete job' })).toHaveCount(0);
      await page.screenshot({ path: 'artifacts/delete-job-in-use.png' });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(dialog).toBeHidden();
    });

    test('deletes both after a confirmation; meltano.yml is back to what it was, comments and all', async ({
      page,
    }) => {
      const errors = watchErrors(page);
      const missing = watchStatus(page, 404);
      await page.goto(`${ui.url}/jobs/e2e-job`);
      await confirmDelete(page, 'job');
      await page.goto(`${ui.url}/schedules/e2e-hourly`);
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await expect(page.getByRole('dialog')).toContainText('It is removed from meltano.yml');
      await page.screenshot({ path: 'artifacts/delete-schedule.png' });
      await page.getByRole('dialog').getByRole('button', { name: 'Delete schedule' }).click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole('rowheader', { name: 'daily-demo', exact: true })).toBeVisible();
      await expect(page.getByRole('link', { name: 'e2e-hourly' })).toHaveCount(0);
      expect(readYml(ui)).toBe(original);
      // Only Singer state lookups of pipelines that never ran: a deleted entity is not asked for again.
      expect(missing.every((url) => url.startsWith('/api/v1/state/'))).toBe(true);
      expect(notStatus(errors, 404)).toEqual([]);
    });

    test('lists environments with what each overrides', async ({ page }) => {
      const errors = watchErrors(page);
      await page.goto(ui.url);
      await page.getByRole('link', { name: 'Environments' }).click();
      await expect(page.getByRole('heading', { name: 'Environments' })).toBeVisible();
      const dev = page.getByRole('region', { name: 'dev' });
      await expect(dev).toContainText('active');
      await expect(dev).toContainText('default');
      await expect(dev).toContainText('Overrides nothing');
      const staging = page.getByRole('region', { name: 'staging' });
      await expect(staging.getByRole('definition')).toHaveText('staging');
      await expect(staging).toContainText('WAREHOUSE_SCHEMA');
      const prod = page.getByRole('region', { name: 'prod' });
      await expect(prod.getByRole('link', { name: 'tap-demo' })).toBeVisible();
      await expect(prod).toContainText('mode');
      await expect(prod).toContainText('ok-prod');
      await page.screenshot({ path: 'artifacts/environments.png', fullPage: true });
      expect(errors).toEqual([]);
    });

    test('editors and environments stay readable in dark mode on a phone', async ({ browser }) => {
      const context = await browser.newContext({
        colorScheme: 'dark',
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${ui.url}/schedules/daily-demo/edit`);
      await expect(page.getByText('At 00:00 (UTC)')).toBeVisible();
      await page.screenshot({ path: 'artifacts/schedule-editor-phone-dark.png', fullPage: true });
      await page.goto(`${ui.url}/jobs/multi-job/edit`);
      await expect(page.getByLabel('Task 2', { exact: true })).toHaveValue('tap-demo-fail target-demo');
      await page.screenshot({ path: 'artifacts/job-editor-phone-dark.png', fullPage: true });
      await page.goto(`${ui.url}/environments`);
      await expect(page.getByRole('region', { name: 'prod' })).toBeVisible();
      await page.screenshot({ path: 'artifacts/environments-phone-dark.png', fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    });
  });

test.describe('on a project deployed read-only', () => {
  // The Meltano-CLI stand-in (not the real Meltano), so Run now has a CLI to be enabled with.
  const served = serveFixtureProject({
    env: { MELTANO_PROJECT_READONLY: 'true', MELTANO_UI_MELTANO_EXECUTABLE: STANDIN },
  });

  test('every edit control is disabled, with the reason', async ({ page }) => {
    const errors = watchErrors(page);
    const ui = served();
    const before = readYml(ui);
    await page.goto(ui.url);
    await expect(page.getByRole('table', { name: /Schedules/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New schedule' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'New job' })).toBeDisabled();
    await expect(page.getByText(READONLY).first()).toBeVisible();
    await page.screenshot({ path: 'artifacts/pipelines-readonly.png' });

    await page.goto(`${ui.url}/schedules/daily-demo`);
    await expect(page.getByRole('button', { name: 'Edit', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeDisabled();
    await expect(page.getByText(READONLY).first()).toBeVisible();
    // Runs are not project changes: Run now stays available.
    await expect(page.getByRole('button', { name: 'Run daily-demo now' })).toBeEnabled();

    // A direct link to the form shows it, locked, saying why.
    await page.goto(`${ui.url}/schedules/daily-demo/edit`);
    await expect(page.getByRole('note')).toContainText(READONLY);
    await expect(page.getByLabel('Interval or cron expression')).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Save schedule' })).toBeDisabled();
    await page.screenshot({ path: 'artifacts/schedule-editor-readonly.png', fullPage: true });
    await page.goto(`${ui.url}/jobs/new`);
    await expect(page.getByRole('button', { name: 'Create job' })).toBeDisabled();
    expect(readYml(ui)).toBe(before);
    expect(errors).toEqual([]);
  });
});
