import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  copyProject,
  HAS_REAL_PROJECTS,
  REAL_PROJECTS,
  REAL_PROJECTS_SKIPPED,
  type RunningUi,
  startUi,
  watchErrors,
} from '../support/ui-server';

let ui: RunningUi;

test.skip(!HAS_REAL_PROJECTS, REAL_PROJECTS_SKIPPED);
if (!HAS_REAL_PROJECTS) console.log(REAL_PROJECTS_SKIPPED);

test.beforeAll(async () => {
  ui = await startUi(
    copyProject(path.join(REAL_PROJECTS, 'meltano__meltano', 'tests', 'fixtures', 'large_config_project')),
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
