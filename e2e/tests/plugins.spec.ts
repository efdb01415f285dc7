import { expect, test } from '@playwright/test';
import { type RunningUi, serveFixtureProject, watchErrors } from '../support/ui-server';

const served = serveFixtureProject();
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

test('plugins list and a plugin’s settings with their sources, secrets redacted', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await page.getByRole('link', { name: 'Plugins' }).click();
  const extractors = page.getByRole('table', { name: /extractors/ });
  await expect(extractors.getByRole('rowheader')).toHaveText([/tap-demo/, /tap-demo-fail/, /tap-demo-slow/]);
  await extractors.getByRole('link', { name: 'tap-demo-fail' }).click();
  const settings = page.getByRole('table', { name: 'Settings of tap-demo-fail' });
  const apiKey = settings.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /api_key/ }) });
  await expect(apiKey).toContainText('(redacted)');
  await expect(apiKey).toContainText('system database');
  await expect(settings.getByRole('row').filter({ hasText: /^mode/ })).toContainText('fail');
  await expect(page.getByText('sk-db-456')).toHaveCount(0);
  await page.screenshot({ path: 'artifacts/plugin-settings.png', fullPage: true });

  await page.goto(`${ui.url}/plugins/extractors/tap-demo`);
  await page.getByLabel('Environment').selectOption('prod');
  const mode = page
    .getByRole('table', { name: 'Settings of tap-demo' })
    .getByRole('row')
    .filter({ hasText: /^mode/ });
  await expect(mode).toContainText('ok-prod');
  await expect(mode).toContainText('environment in meltano.yml');
  expect(errors).toEqual([]);
});
