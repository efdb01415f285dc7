import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { copyProject, FIXTURES, type RunningUi, startUi, watchErrors } from '../support/ui-server';

let ui: RunningUi;

test.beforeAll(async () => {
  ui = await startUi(
    copyProject(
      path.join(FIXTURES, 'real-projects', 'meltano__meltano', 'tests', 'fixtures', 'large_config_project'),
    ),
  );
});

test.afterAll(async () => {
  await ui.stop();
  fs.rmSync(ui.root, { recursive: true, force: true });
});

test('a project with 153 schedules (and no system DB yet) lists them all', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  const table = page.getByRole('table', { name: /Schedules/ });
  await expect(table.getByRole('rowheader')).toHaveCount(153);
  await expect(table.getByText('Never run').first()).toBeVisible();
  await page.getByLabel('Search').fill('fixed_schedule_2022-12-31');
  await expect(table.getByRole('rowheader')).toHaveCount(1);
  expect(errors).toEqual([]);
});
