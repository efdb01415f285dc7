import { expect, test } from '@playwright/test';
import { type RunningUi, serveFixtureProject, watchErrors } from '../support/ui-server';

const served = serveFixtureProject();
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

test('plugins list and a plugin’s settings with their sources, secrets never shown', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await page.getByRole('link', { name: 'Plugins' }).click();
  const extractors = page.getByRole('table', { name: /extractors/ });
  await expect(extractors.getByRole('rowheader')).toHaveText([/tap-demo/, /tap-demo-fail/, /tap-demo-slow/]);
  await extractors.getByRole('link', { name: 'tap-demo-fail', exact: true }).click();
  const settings = page.getByRole('list', { name: 'Settings of tap-demo-fail' });
  // A secret shows as set, with where it comes from, never its value (not even in the field).
  const apiKey = settings.getByRole('listitem', { name: 'api_key' });
  await expect(apiKey).toContainText('Set from system database');
  await expect(apiKey.getByLabel('api_key', { exact: true })).toHaveValue('');
  await expect(settings.getByRole('textbox', { name: 'mode', exact: true })).toHaveValue('fail');
  await expect(page.getByText('sk-db-456')).toHaveCount(0);
  expect(await page.content()).not.toContain('sk-db-456');
  await page.screenshot({ path: 'artifacts/plugin-settings.png', fullPage: true });

  await page.goto(`${ui.url}/plugins/extractors/tap-demo`);
  await page.getByRole('main').getByLabel('Environment').selectOption('prod');
  const mode = page
    .getByRole('list', { name: 'Settings of tap-demo' })
    .getByRole('listitem', { name: 'mode' });
  await expect(mode.getByLabel('mode', { exact: true })).toHaveValue('ok-prod');
  await expect(mode).toContainText('from environment in meltano.yml');
  expect(errors).toEqual([]);
});
