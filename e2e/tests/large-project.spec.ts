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

test('a project with 153 schedules (and no system DB yet) lists them all, 100 a page', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  const table = page.getByRole('table', { name: /Schedules \(153\)/ });
  await expect(table.getByRole('rowheader')).toHaveCount(100, { timeout: 15_000 });
  await expect(table.getByText('Never run').first()).toBeVisible();
  const pages = page.getByRole('navigation', { name: 'Schedule pages' });
  await expect(pages).toContainText('1–100 of 153');
  await pages.getByRole('button', { name: 'Next page' }).click();
  await expect(table.getByRole('rowheader')).toHaveCount(53);
  expect(page.url()).toContain('page=2');
  // Sorting by name, descending, is in the URL and goes back to page 1.
  await table.getByRole('button', { name: 'Name' }).click();
  await table.getByRole('button', { name: 'Name' }).click();
  await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  expect(page.url()).toContain('sort=-name');
  expect(page.url()).not.toContain('page=');
  const names = await table.getByRole('rowheader').locator('a').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
  // Every row's action is one compact button, named for its schedule.
  await expect(table.getByRole('button', { name: /^Run .+ now$/ })).toHaveCount(100);
  await page.getByLabel('Search').fill('fixed_schedule_2022-12-31');
  await expect(
    page.getByRole('table', { name: /Schedules \(1 of 153\)/ }).getByRole('rowheader'),
  ).toHaveCount(1);
  expect(errors).toEqual([]);
});
