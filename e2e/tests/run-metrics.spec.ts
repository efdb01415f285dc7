import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type RunningUi, serveFixtureProject } from '../support/ui-server';

// Run 8 (daily-demo) of the real-Meltano v3.9.5 fixture gets Singer SDK METRIC lines in its log,
// wrapped as Meltano 3.9 writes a plugin's stderr (the real run's demo tap logged none).
const RUN_ID = '01a1fc64-72b2-7906-8379-1e4a31b1c9a7';
const served = serveFixtureProject();
let ui: RunningUi;

function metric(plugin: 'tap-demo' | 'target-demo', body: object): string {
  const producer = plugin === 'tap-demo' ? 'True' : 'False';
  const consumer = plugin === 'tap-demo' ? 'False' : 'True';
  return `2026-11-21T04:36:40.000000Z [info     ] 2026-11-21 04:36:40,000 | INFO     | singer_sdk.metrics | METRIC: ${JSON.stringify(body)} cmd_type=elb consumer=${consumer} job_name=daily-demo name=${plugin} producer=${producer} run_id=${RUN_ID} stdio=stderr string_id=${plugin}\n`;
}

test.beforeAll(() => {
  ui = served();
  const log = path.join(ui.root, '.meltano', 'logs', 'elt', 'daily-demo', RUN_ID, 'elt.log');
  const records = (plugin: 'tap-demo' | 'target-demo', stream: string, value: number) =>
    metric(plugin, { type: 'counter', metric: 'record_count', value, tags: { stream } });
  const request = (ms: number, status: number) =>
    metric('tap-demo', {
      type: 'timer',
      metric: 'http_request_duration',
      value: ms / 1000,
      tags: {
        stream: 'users',
        endpoint: '/v1/users',
        http_status_code: status,
        status: status < 400 ? 'succeeded' : 'failed',
      },
    });
  fs.appendFileSync(
    log,
    records('tap-demo', 'users', 1000) +
      records('tap-demo', 'users', 234) +
      records('tap-demo', 'orders', 56) +
      records('target-demo', 'users', 1234) +
      request(120, 200) +
      request(80, 200) +
      request(300, 503),
  );
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(log, past, past);
});

test('the run page says what the run moved, per stream and per endpoint', async ({ page }) => {
  await page.goto(`${ui.url}/runs/8`);
  const summary = page.getByText(/^Records moved: /);
  await expect(summary).toHaveText(
    'Records moved: 1,290 records extracted · 1,234 loaded · 2 streams · 3 HTTP requests',
  );
  await summary.click();
  const streams = page.getByRole('table', { name: 'Per stream' });
  await expect(streams.getByRole('row', { name: /users/ })).toContainText('1,234');
  await expect(streams.getByRole('row', { name: /orders/ })).toContainText('56');
  const http = page.getByRole('table', { name: 'HTTP requests per endpoint' });
  await expect(http.getByRole('row', { name: /\/v1\/users/ })).toContainText('3');
  await page.screenshot({ path: 'artifacts/screens/light/run-metrics.png', fullPage: true });

  // The pipelines list and the run history show the stored totals once they have been read.
  await page.goto(`${ui.url}/`);
  await expect(page.getByRole('row', { name: /daily-demo/ })).toContainText('1,290 records', {
    timeout: 15_000,
  });
  await page.goto(`${ui.url}/schedules/daily-demo`);
  await expect(page.getByRole('row', { name: /Run 8 log/ })).toContainText('1,290 / 1,234');
  // Records per run, stacked by stream, beside the durations; each bar says its run's figures.
  const chart = page.getByRole('figure').filter({ hasText: 'Records per run' });
  await expect(chart.getByRole('listitem')).toHaveText(['users', 'orders']);
  await expect(
    chart.getByRole('link', { name: /^Run #8: Success, 1,290 records \(users 1,234, orders 56\)/ }),
  ).toBeVisible();
  await page.screenshot({ path: 'artifacts/screens/light/records-chart.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'artifacts/screens/dark/records-chart.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: 'artifacts/screens/phone/records-chart.png', fullPage: true });
});

test('a run whose log has no Singer metrics says its records are unknown', async ({ page }) => {
  await page.goto(`${ui.url}/runs/9`);
  await expect(page.getByText(/Records moved: unknown/)).toBeVisible();
});
