import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { copyProject, REAL_MELTANO, type RunningUi, startUi, watchErrors } from '../support/ui-server';

let ui: RunningUi;
test.beforeAll(async () => {
  ui = await startUi(copyProject(path.join(REAL_MELTANO, 'v3.9.5', 'project')), {
    MELTANO_UI_BASE_PATH: '/meltano',
  });
});
test.afterAll(async () => {
  await ui.stop();
  fs.rmSync(ui.root, { recursive: true, force: true });
});

test('under ui.base_path, pages, links, lazy screens and deep-link reloads stay below it', async ({
  page,
}) => {
  const errors = watchErrors(page);
  expect(ui.url).toMatch(/\/meltano$/);
  await page.goto(`${ui.url}/`);
  await expect(page.getByRole('heading', { name: 'Pipelines' })).toBeVisible();
  await page.getByRole('link', { name: 'Runs' }).click();
  await expect(page).toHaveURL(/\/meltano\/runs$/);
  await page.getByRole('link', { name: 'Run 11 log' }).click();
  await expect(page).toHaveURL(/\/meltano\/runs\/11$/);
  await expect(page.getByRole('region', { name: 'Log of run 11' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('region', { name: 'Log of run 11' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download log' })).toHaveAttribute(
    'href',
    '/meltano/api/v1/runs/11/log/download',
  );
  expect(errors).toEqual([]);
});
