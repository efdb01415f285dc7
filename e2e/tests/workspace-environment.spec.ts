import fs from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { WORKSPACE_TAP_AUTH0 } from '../../test-fixtures/fixture-locations.mjs';
import { copyProject, type RunningUi, startUi, watchErrors } from '../support/ui-server';

// The tap-auth0 project of Meltano's workspace guide (test-fixtures/workspace-tap-auth0): the guide's
// table, value by value, on a pipeline's Environment tab, and the active environment switched for all.
const TABLE = {
  dev: {
    client_id: '39Pu9tTomnTv594VAFYnmRvkEpSlI7a6',
    domain: ['matatika-staging.eu.auth0.com', 'from base'],
  },
  staging: {
    client_id: '4Zd5QXqHKNoKq4ySx8CP1UBm5eIUgh7t',
    domain: ['matatika-staging.eu.auth0.com', 'from base'],
  },
  prod: {
    client_id: 'u4kcVHKUD9lkbUbXA3eXCt88scStaqHM',
    domain: ['matatika.eu.auth0.com', 'from prod override'],
  },
} as const;
type Env = keyof typeof TABLE;

/**
 * Console errors, less Chromium's "Failed to load resource" line for the one expected 404: a state ID
 * with no state stored yet (the project has never run); every other failed response is kept by URL.
 */
function watchProblems(page: Page): () => string[] {
  const errors = watchErrors(page);
  const failed: string[] = [];
  page.on('response', (res) => {
    if (res.status() >= 400 && !(res.status() === 404 && res.url().includes('/api/v1/state/'))) {
      failed.push(`${res.status()} ${res.url()}`);
    }
  });
  return () => [...failed, ...errors.filter((e) => !e.startsWith('Failed to load resource'))];
}

/** client_id always comes from the environment's override; the guide's "(from base)" is about domain. */
const clientIdLayer = (env: Env) => `from ${env} override`;

async function expectGuideRow(page: Page, env: Env) {
  const table = page.getByRole('table', { name: `Settings of tap-auth0 in ${env}` });
  await expect(table).toBeVisible();
  const row = (name: string) =>
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await expect(row('client_id').getByRole('cell').nth(0)).toHaveText(TABLE[env].client_id);
  await expect(row('client_id').getByRole('cell').nth(1)).toContainText(clientIdLayer(env));
  await expect(row('domain').getByRole('cell').nth(0)).toHaveText(TABLE[env].domain[0]);
  await expect(row('domain').getByRole('cell').nth(1)).toContainText(TABLE[env].domain[1]);
  // The guide's table has exactly these two settings.
  await expect(table.getByRole('rowheader')).toHaveCount(2);
}

test.describe('workspace environments', () => {
  let ui: RunningUi;
  test.beforeAll(async () => {
    ui = await startUi(copyProject(WORKSPACE_TAP_AUTH0));
  });
  test.afterAll(async () => {
    await ui.stop();
    fs.rmSync(ui.root, { recursive: true, force: true });
  });

  test("the Environment tab shows the guide's tap-auth0 table for each environment", async ({ page }) => {
    const problems = watchProblems(page);
    await page.goto(`${ui.url}/jobs/auth0-to-jsonl`);
    await expect(
      page.getByRole('banner').getByRole('link', { name: 'Active environment: dev' }),
    ).toBeVisible();
    await page.getByRole('tab', { name: 'Environment' }).click();
    await expect(page).toHaveURL(/tab=environment/);
    await expectGuideRow(page, 'dev');
    await expect(page.getByRole('table', { name: 'Settings of target-jsonl in dev' })).toContainText(
      'destination_path',
    );
    for (const env of ['staging', 'prod', 'dev'] as const) {
      await page.getByRole('combobox', { name: 'Environment', exact: true }).selectOption(env);
      await expectGuideRow(page, env);
    }
    await page.getByRole('combobox', { name: 'Environment', exact: true }).selectOption('prod');
    await page.screenshot({ path: 'artifacts/environment-tab.png', fullPage: true });
    expect(problems()).toEqual([]);
  });

  test('switching the active environment asks first, then every page and pipeline uses it', async ({
    page,
  }) => {
    const problems = watchProblems(page);
    await page.goto(`${ui.url}/settings`);
    await page.getByRole('combobox', { name: 'Active environment' }).selectOption('prod');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch the active environment to prod?' });
    await expect(dialog).toContainText('every pipeline');
    await page.screenshot({ path: 'artifacts/settings-switch-environment.png', fullPage: true });
    // Cancel changes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(
      page.getByRole('banner').getByRole('link', { name: 'Active environment: dev' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'Switch to prod' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'every pipeline now uses prod' })).toBeVisible();
    await expect(
      page.getByRole('banner').getByRole('link', { name: 'Active environment: prod' }),
    ).toBeVisible();

    // A schedule's Environment tab now opens on prod, marked active.
    await page.goto(`${ui.url}/schedules/auth0-daily?tab=environment`);
    await expect(
      page.getByRole('banner').getByRole('link', { name: 'Active environment: prod' }),
    ).toBeVisible();
    await expectGuideRow(page, 'prod');
    await expect(page.getByRole('combobox', { name: 'Environment', exact: true })).toHaveValue('prod');
    await expect(page.getByRole('option', { name: 'prod (active)' })).toBeAttached();
    // The job's state IDs follow it.
    await page.goto(`${ui.url}/jobs/auth0-to-jsonl`);
    await expect(page.getByRole('region', { name: /State IDs/ })).toContainText(
      'prod:tap-auth0-to-target-jsonl',
    );
    expect(problems()).toEqual([]);
  });
});

test.describe('editing environments', () => {
  let ui: RunningUi;
  test.beforeAll(async () => {
    ui = await startUi(copyProject(WORKSPACE_TAP_AUTH0));
  });
  test.afterAll(async () => {
    await ui.stop();
    fs.rmSync(ui.root, { recursive: true, force: true });
  });
  const yml = () => fs.readFileSync(`${ui.root}/meltano.yml`, 'utf8');

  test('add, edit an override, rename with the state IDs named first, delete', async ({ page }) => {
    const problems = watchProblems(page);
    await page.goto(`${ui.url}/environments`);
    await page.getByRole('textbox', { name: 'New environment' }).fill('qa');
    await page.getByRole('button', { name: 'Add environment' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added qa to meltano.yml' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'qa', exact: true })).toBeVisible();

    // prod's tap-auth0 override gets a new client_id; the Environment tab shows it at once.
    const prod = page.getByRole('region', { name: 'prod', exact: true });
    await prod.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit environment prod' });
    await form
      .getByRole('textbox', { name: /Config of tap-auth0/ })
      .fill('{"client_id": "rotated-prod-id", "domain": "matatika.eu.auth0.com"}');
    await form.getByRole('button', { name: 'Save environment' }).click();
    await expect(form).toBeHidden();
    await expect(prod).toContainText('rotated-prod-id');
    expect(yml()).toContain('client_id: rotated-prod-id');
    await page.goto(`${ui.url}/jobs/auth0-to-jsonl?tab=environment&environment=prod`);
    const table = page.getByRole('table', { name: 'Settings of tap-auth0 in prod' });
    await expect(table.getByRole('row').filter({ hasText: 'client_id' })).toContainText('rotated-prod-id');

    // Renaming staging says first which state IDs change.
    await page.goto(`${ui.url}/environments`);
    const staging = page.getByRole('region', { name: 'staging', exact: true });
    await staging.getByRole('button', { name: 'Edit' }).click();
    await page
      .getByRole('form', { name: 'Edit environment staging' })
      .getByRole('textbox', { name: 'Name' })
      .fill('stage');
    await page.getByRole('button', { name: 'Save environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename staging to stage?' });
    await expect(dialog.getByRole('list', { name: 'State IDs that change' })).toHaveText(
      /staging:tap-auth0-to-target-jsonl → stage:tap-auth0-to-target-jsonl/,
    );
    await page.screenshot({ path: 'artifacts/environment-rename.png', fullPage: true });
    await dialog.getByRole('button', { name: 'Rename to stage' }).click();
    await expect(page.getByRole('region', { name: 'stage', exact: true })).toBeVisible();
    expect(yml()).toContain('- name: stage\n');

    // dev is default_environment: its Delete is disabled with the reason; qa can go.
    const dev = page.getByRole('region', { name: 'dev', exact: true });
    await expect(dev.getByRole('button', { name: 'Delete' })).toBeDisabled();
    await expect(dev.getByRole('button', { name: 'Delete' })).toHaveAttribute('title', /default_environment/);
    await page
      .getByRole('region', { name: 'qa', exact: true })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page
      .getByRole('dialog', { name: 'Delete environment qa?' })
      .getByRole('button', { name: 'Delete environment' })
      .click();
    await expect(page.getByRole('region', { name: 'qa', exact: true })).toBeHidden();
    expect(yml()).not.toContain('name: qa');
    expect(problems()).toEqual([]);
  });
});

test('the active environment is locked, with the reason, when MELTANO_ENVIRONMENT is set', async ({
  page,
}) => {
  const ui = await startUi(copyProject(WORKSPACE_TAP_AUTH0), { MELTANO_ENVIRONMENT: 'staging' });
  try {
    await page.goto(`${ui.url}/settings`);
    await expect(
      page.getByRole('banner').getByRole('link', { name: 'Active environment: staging (locked)' }),
    ).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Active environment' })).toBeDisabled();
    await expect(page.getByRole('note').filter({ hasText: 'Locked' })).toContainText(
      "MELTANO_ENVIRONMENT is set to 'staging'",
    );
    await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  } finally {
    await ui.stop();
    fs.rmSync(ui.root, { recursive: true, force: true });
  }
});
