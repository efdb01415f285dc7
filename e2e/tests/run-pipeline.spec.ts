import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type RunningUi, STANDIN, serveFixtureProject, watchErrors } from '../support/ui-server';

// "Run now" runs the Meltano-CLI stand-in (not the real Meltano), told to keep running until cancelled.
const served = serveFixtureProject({
  env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_MODE: 'hang', STANDIN_DELAY_MS: '150' },
});
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

test('Run now opens the live log; lines arrive; Cancel stops the run as Meltano does', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/schedules/cron-demo`);
  await page.getByRole('button', { name: 'Run cron-demo now' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/, { timeout: 15_000 });
  const log = page.getByRole('region', { name: /^Log of run / });
  await expect(log.getByText(/Emitted record id=2\b/)).toBeVisible({ timeout: 10_000 });
  await expect(log.getByText(/Emitted record id=6\b/)).toBeVisible({ timeout: 10_000 });
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await expect(page.getByText(/Started from this UI: schedule run -- cron-demo/)).toBeVisible();
  await page.screenshot({ path: 'artifacts/run-live.png', fullPage: true });

  // Filtered to the extractor while it runs: only its lines, and new ones keep coming.
  await page.getByText('Filter lines').click();
  await page.getByRole('group', { name: 'Source' }).getByRole('checkbox', { name: 'Extractor' }).check();
  const tapLines = page.getByRole('region', { name: /^Lines of run \d+ matching Extractor$/ });
  await expect(tapLines.getByText(/Emitted record/).first()).toBeVisible({ timeout: 10_000 });
  await expect(tapLines.getByText(/target-demo/)).toHaveCount(0);
  const lastShown = async () =>
    Number((await tapLines.getByRole('listitem').last().textContent())?.match(/record id=(\d+)/)?.[1] ?? 0);
  const before = await lastShown();
  await expect.poll(lastShown, { timeout: 15_000 }).toBeGreaterThan(before);
  await page.getByRole('button', { name: 'Show all lines' }).click();
  await expect(log.getByText(/Emitted record/).first()).toBeVisible();

  // A second start of the same pipeline is refused, and the page says why.
  await page.goto(`${ui.url}/schedules/cron-demo`);
  await expect(page.getByRole('button', { name: 'Run cron-demo now' })).toBeDisabled();
  // The running run can be cancelled from the pipeline pages too.
  await expect(page.getByRole('button', { name: /^Cancel run \d+$/ })).toBeVisible();
  await page.goto(ui.url);
  await expect(
    page.getByRole('row', { name: /cron-demo/ }).getByRole('button', { name: /^Cancel run \d+$/ }),
  ).toBeVisible();
  await page.goBack();
  await page.goBack();

  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.getByRole('button', { name: 'Stop the run' }).click();
  await expect(page.getByText('Failed', { exact: true }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('region', { name: 'Failure message' })).toContainText(
    'The process was terminated',
  );
  await expect(page.getByText(/exited with code 143/)).toBeVisible({ timeout: 10_000 });
  await page.screenshot({ path: 'artifacts/run-cancelled.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a run started elsewhere cannot be cancelled here, and the page says why', async ({ page }) => {
  await page.goto(`${ui.url}/runs/15`);
  await expect(page.getByText(/started outside this UI \(trigger: cli\)/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
});

test('a finished run offers to run its pipeline again; a failed one to retry it', async ({ page }) => {
  await page.goto(`${ui.url}/runs/8`);
  await expect(page.getByRole('button', { name: 'Run daily-demo again' })).toBeEnabled();
  await page.goto(`${ui.url}/runs/9`);
  await expect(page.getByRole('button', { name: 'Retry' })).toBeEnabled();
  // dev:tap-demo-fail-to-target-demo is recorded by the job multi-job only.
  await page.goto(`${ui.url}/runs/6`);
  await expect(page.getByRole('button', { name: 'Retry' })).toBeEnabled();
});

test('run with a full refresh (asked twice), then retry the failed run with the same option', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/schedules/failing-demo`);
  await page.getByRole('button', { name: 'Run with options…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run failing-demo with options' });
  // The stand-in says it is Meltano 3.9.5; an ELT schedule's options go to `meltano elt`.
  await expect(dialog).toContainText('Meltano 3.9.5 runs this as meltano elt');
  await expect(dialog).toContainText(
    'Not offered by this Meltano for meltano elt: No state update, State ID suffix, Timeout.',
  );
  await dialog.getByRole('checkbox', { name: /Full refresh/ }).check();
  await page.screenshot({ path: 'artifacts/screens/light/run-options.png' });
  await dialog.getByRole('button', { name: 'Run with full refresh…' }).click();
  await expect(dialog.getByRole('alert')).toContainText('every stream is extracted again from the start');
  await dialog.getByRole('button', { name: 'Yes, extract everything again' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/, { timeout: 15_000 });
  const first = Number(page.url().split('/').pop());
  await expect(page.getByText('Failed', { exact: true }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Run options: full refresh')).toBeVisible();
  await expect(
    page.getByText(/Started from this UI: schedule run -- failing-demo --full-refresh/),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${first}$`));
  await expect(page).toHaveURL(/\/runs\/\d+$/, { timeout: 15_000 });
  await expect(page.getByRole('link', { name: `run #${first}` })).toBeVisible();
  await expect(page.getByText(`Retry of run #${first}`)).toBeVisible();
  await expect(page.getByText('Run options: full refresh')).toBeVisible();
  const second = Number(page.url().split('/').pop());
  await page.goto(`${ui.url}/runs/${first}`);
  await expect(page.getByText(`Retried as run #${second}`)).toBeVisible({ timeout: 10_000 });
  await page.screenshot({ path: 'artifacts/screens/light/run-retried.png', fullPage: true });
  expect(errors).toEqual([]);
});

test.describe('when the Meltano CLI cannot run', () => {
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-meltano-'));
  const script = path.join(broken, 'meltano');
  fs.writeFileSync(
    script,
    // It answers the start-up version check (as a real CLI with a broken project does), then fails runs.
    '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "meltano, version 3.5.0"; exit 0; fi\n' +
      'echo "meltano: error: plugin tap-demo is not installed" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  const failing = serveFixtureProject({ env: { MELTANO_UI_MELTANO_EXECUTABLE: script } });
  const missing = serveFixtureProject({ env: { MELTANO_UI_MELTANO_EXECUTABLE: '/opt/nowhere/meltano' } });

  test('a CLI that exits at once: its output and exit code are shown', async ({ page }) => {
    await page.goto(`${failing().url}/schedules/daily-demo`);
    await page.getByRole('button', { name: 'Run daily-demo now' }).click();
    await expect(page.getByRole('heading', { name: 'Could not run daily-demo' })).toBeVisible({
      timeout: 10_000,
    });
    await expect(page.getByText('exited with code 1')).toBeVisible();
    await expect(page.getByText('meltano: error: plugin tap-demo is not installed')).toBeVisible();
    await page.screenshot({ path: 'artifacts/run-failed-to-start.png', fullPage: true });
  });

  test('a missing CLI: every page says so up front, and Run now is disabled with the reason', async ({
    page,
  }) => {
    await page.goto(`${missing().url}/schedules/daily-demo`);
    const banner = page.getByRole('status').filter({ hasText: 'Runs and installs are unavailable' });
    await expect(banner).toContainText('the Meltano CLI was not found');
    await banner.getByText('Runs and installs are unavailable').click();
    await expect(banner).toContainText('ui.meltano_executable is set to /opt/nowhere/meltano');
    const run = page.getByRole('button', { name: 'Run daily-demo now' });
    await expect(run).toBeDisabled();
    await expect(run).toHaveAttribute('title', /ui\.meltano_executable is set to \/opt\/nowhere\/meltano/);
    await page.screenshot({ path: 'artifacts/runs-unavailable.png', fullPage: true });
    await page.goto(`${missing().url}/plugins`);
    await expect(banner).toBeVisible();
    await expect(page.getByRole('button', { name: /^Install / }).first()).toBeDisabled();
  });
});
