import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type RunningUi, STANDIN, serveFixtureProject, watchErrors } from '../support/ui-server';

// `meltano install` runs the Meltano-CLI stand-in (not the real Meltano), which installs nothing but prints
// what Meltano prints. Meltano Hub is pointed at a closed port, so the catalog is the bundled offline one.
const OFFLINE_HUB = { MELTANO_HUB_URL: 'http://127.0.0.1:9' };
const SECRET = 'pg-secret-7f3a9c';

const settingsList = (page: Page, plugin: string) =>
  page.getByRole('list', { name: `Settings of ${plugin}` });
const setting = (page: Page, plugin: string, name: string) =>
  settingsList(page, plugin).getByRole('listitem', { name: new RegExp(`\\b${name}\\b`) });

test.describe('editing plugins', () => {
  const served = serveFixtureProject({
    env: { ...OFFLINE_HUB, MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_DELAY_MS: '150' },
  });
  let ui: RunningUi;
  test.beforeEach(() => {
    ui = served();
  });

  test('add a loader from the offline catalog, install it, configure it, remove it', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`${ui.url}/plugins`);
    await page
      .getByRole('navigation', { name: 'Plugin types' })
      .getByRole('link', { name: /^loaders/ })
      .click();
    await expect(page.getByRole('table', { name: /Installed loaders/ })).toContainText('target-demo');
    // The hub is unreachable: the bundled catalog is shown, and says so with the reason.
    const offline = page.getByRole('note').filter({ hasText: 'Offline' });
    await expect(offline).toContainText('Meltano Hub could not be reached');
    await expect(offline).toContainText('bundled with the UI');
    await page.getByLabel('Search loaders').fill('postgres');
    const catalog = page.getByRole('list', { name: 'Catalog of loaders' });
    await expect(catalog.getByRole('listitem')).toHaveCount(1);
    await catalog.getByLabel('Variant of target-postgres').selectOption('transferwise');
    await catalog.getByLabel('Variant of target-postgres').selectOption('meltanolabs');
    await page.screenshot({ path: 'artifacts/plugins-catalog-offline.png', fullPage: true });
    await catalog.getByRole('link', { name: 'Add target-postgres' }).click();

    // The definition of the chosen variant, then add it.
    await expect(page).toHaveURL(/\/plugins\/add\/loaders\?name=target-postgres&variant=meltanolabs$/);
    await expect(page.getByText('meltanolabs-target-postgres')).toBeVisible();
    await expect(
      page.getByRole('link', { name: /hub\.meltano\.com\/loaders\/target-postgres--meltanolabs/ }),
    ).toBeVisible();
    await page.screenshot({ path: 'artifacts/plugin-add.png', fullPage: true });
    await page.getByRole('button', { name: 'Add target-postgres' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Added target-postgres to meltano.yml' }),
    ).toBeVisible();
    expect(fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8')).toContain('name: target-postgres');
    expect(fs.existsSync(path.join(ui.root, 'plugins/loaders/target-postgres--meltanolabs.lock'))).toBe(true);

    // Install: the output arrives while the CLI runs, then the exit code.
    await page.getByRole('button', { name: 'Install target-postgres' }).click();
    await expect(page).toHaveURL(/\/installs\/[0-9a-f-]{36}$/);
    const output = page.getByRole('log', { name: 'Output of the install of target-postgres' });
    await expect(output).toContainText("Installing loader 'target-postgres'", { timeout: 10_000 });
    await expect(output).toContainText("Installed loader 'target-postgres'", { timeout: 10_000 });
    await expect(page.getByText('succeeded with exit code 0')).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole('heading', { name: 'Installed target-postgres' })).toBeVisible();
    await expect(
      page.getByText(
        /install --plugin-type loader (-- )?target-postgres|install loader (-- )?target-postgres/,
      ),
    ).toBeVisible();
    await page.screenshot({ path: 'artifacts/plugin-install.png', fullPage: true });

    // A secret goes to .env, never to meltano.yml, and the page never shows it.
    await page.getByRole('link', { name: 'Configure target-postgres' }).click();
    const password = setting(page, 'target-postgres', 'password');
    await expect(password).toContainText('Not set');
    // The fixture's .env is 0644: writing a secret into it makes it 0600, and the page says so.
    fs.chmodSync(path.join(ui.root, '.env'), 0o644);
    const save = page.getByRole('button', { name: 'Save', exact: true });
    const summary = page.getByRole('form', { name: 'Change the settings of target-postgres' });
    // Nothing changed yet: Save waits.
    await expect(save).toBeDisabled();
    await expect(summary).toContainText('No changes');
    await password.getByLabel('Password', { exact: true }).fill(SECRET);
    await expect(summary).toContainText('1 change');
    await save.click();
    await expect(password.getByRole('status')).toHaveText(
      'Saved to .env as TARGET_POSTGRES_PASSWORD. .env was readable by other users (mode 0644); it now holds a secret, so its mode was changed to 0600',
    );
    expect(fs.statSync(path.join(ui.root, '.env')).mode & 0o777).toBe(0o600);
    await expect(password).toContainText('Set from .env as TARGET_POSTGRES_PASSWORD');
    await expect(password.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(save).toBeDisabled();
    expect(fs.readFileSync(path.join(ui.root, '.env'), 'utf8')).toContain(
      `TARGET_POSTGRES_PASSWORD='${SECRET}'`,
    );
    expect(fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8')).not.toContain(SECRET);
    await page.reload();
    await expect(password).toContainText('Set from .env');
    expect(await page.content()).not.toContain(SECRET);

    // Three fields at once; a bad integer holds Save back, with the reason beside the field.
    const host = setting(page, 'target-postgres', 'host');
    const port = setting(page, 'target-postgres', 'port');
    const metadata = setting(page, 'target-postgres', 'add_record_metadata');
    await host.getByLabel('Host', { exact: true }).fill('db.example.com');
    await port.getByLabel('Port', { exact: true }).fill('54x');
    await metadata.getByLabel('Record Metadata', { exact: true }).check();
    await expect(port.getByText('A whole number, like 42.')).toBeVisible();
    await expect(port.getByLabel('Port', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(summary).toContainText('1 value needs fixing');
    await expect(save).toBeDisabled();
    await page.screenshot({ path: 'artifacts/plugin-settings-invalid.png', fullPage: true });
    await port.getByLabel('Port', { exact: true }).fill('5433');
    await expect(summary).toContainText('3 changes');
    await save.click();
    for (const row of [host, port, metadata]) {
      await expect(row.getByRole('status')).toHaveText('Saved to meltano.yml (environment dev)');
    }
    await expect(host.getByLabel('Host', { exact: true })).toHaveValue('db.example.com');
    await expect(host).toContainText('from environment in meltano.yml');
    await expect(summary).toContainText('No changes');
    const yml = path.join(ui.root, 'meltano.yml');
    expect(fs.readFileSync(yml, 'utf8')).toContain('host: db.example.com');
    await page.screenshot({ path: 'artifacts/plugin-settings-form.png', fullPage: true });

    // Port changed on disk behind the page (an editor, git pull): host still saves; port is refused,
    // keeps what was typed, and asks to reload that one field.
    fs.writeFileSync(yml, fs.readFileSync(yml, 'utf8').replace('port: 5433', 'port: 6000'));
    await host.getByLabel('Host', { exact: true }).fill('db2.example.com');
    await port.getByLabel('Port', { exact: true }).fill('5434');
    await save.click();
    await expect(host.getByRole('status')).toHaveText('Saved to meltano.yml (environment dev)');
    await expect(port.getByRole('alert')).toContainText('It was changed elsewhere since this page read it');
    await expect(port.getByLabel('Port', { exact: true })).toHaveValue('5434');
    await page.screenshot({ path: 'artifacts/plugin-settings-conflict.png', fullPage: true });
    // Save again without reloading is refused again rather than overwriting 6000.
    await save.click();
    await expect(port.getByRole('alert')).toContainText('It was changed elsewhere');
    await port.getByRole('button', { name: 'Reload port' }).click();
    await expect(port.getByLabel('Port', { exact: true })).toHaveValue('6000');
    await expect(port.getByRole('alert')).toHaveCount(0);
    await expect(save).toBeDisabled();

    // Unset is a change like the others: it happens on Save.
    await host.getByRole('button', { name: 'Unset host' }).click();
    await expect(summary).toContainText('1 change');
    await save.click();
    await expect(host.getByRole('status')).toHaveText('Unset: removed from meltano.yml (environment dev)');
    await expect(host.getByLabel('Host', { exact: true })).toHaveValue('');
    expect(fs.readFileSync(yml, 'utf8')).not.toContain('db2.example.com');

    // Dark and phone.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'artifacts/plugin-settings-dark.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'artifacts/plugin-settings-phone-dark.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await port.getByLabel('Port', { exact: true }).fill('x');
    await page.screenshot({ path: 'artifacts/plugin-settings-phone-invalid.png', fullPage: true });
    // Save stays in view at the bottom of the phone's screen.
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeInViewport();
    await page.screenshot({ path: 'artifacts/plugin-settings-phone-viewport.png' });
    await port.getByRole('button', { name: 'Discard the change to port' }).click();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${ui.url}/plugins?type=loaders`);
    await expect(page.getByRole('list', { name: 'Catalog of loaders' })).toBeVisible();
    await page.screenshot({ path: 'artifacts/plugins-phone.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'artifacts/plugins-phone-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Remove: nothing uses it, so the dialog says so; it goes from meltano.yml with its lock file.
    await page.goto(`${ui.url}/plugins/loaders/target-postgres`);
    await page.getByRole('button', { name: 'Remove target-postgres' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove target-postgres?' });
    await expect(dialog).toContainText('No schedule, job or plugin uses it.');
    // Its values in the dev environment's block stay, as `meltano remove` leaves them.
    await expect(dialog).toContainText('Its overrides in environment dev stay in the project files');
    await page.screenshot({ path: 'artifacts/plugin-remove.png' });
    await dialog.getByRole('button', { name: 'Remove target-postgres' }).click();
    await expect(page).toHaveURL(/\/plugins\?type=loaders$/);
    await expect(page.getByRole('table', { name: /Installed loaders/ })).not.toContainText('target-postgres');
    const after = fs.readFileSync(yml, 'utf8');
    expect(after.match(/name: target-postgres/g)).toHaveLength(1);
    expect(after).toMatch(/- name: dev\n\s+config:\n\s+plugins:\n\s+loaders:\n\s+- name: target-postgres\n/);
    expect(fs.existsSync(path.join(ui.root, 'plugins/loaders/target-postgres--meltanolabs.lock'))).toBe(
      false,
    );
    // The browser logs the two refused saves the test provoked; nothing else.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });

  test('removing a plugin in use names what uses it; the project keeps it on Cancel', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`${ui.url}/plugins?type=extractors`);
    await page.getByRole('button', { name: 'Remove tap-demo', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove tap-demo?' });
    await expect(dialog.getByRole('list', { name: 'What uses tap-demo' }).getByRole('listitem')).toHaveText([
      'schedule daily-demo',
      'schedule demo-job-schedule',
      'schedule cron-demo',
      'job demo-job',
      'job multi-job',
      'plugin tap-demo-fail (inherits from it)',
      'plugin tap-demo-slow (inherits from it)',
    ]);
    await expect(dialog).toContainText('Its overrides in environment prod stay in the project files');
    await expect(dialog.getByRole('button', { name: 'Remove tap-demo anyway' })).toBeVisible();
    await page.screenshot({ path: 'artifacts/plugin-remove-in-use.png' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8')).toContain('- name: tap-demo\n');
    expect(errors).toEqual([]);
  });

  test('a custom plugin and one inheriting from a project plugin', async ({ page }) => {
    await page.goto(`${ui.url}/plugins/add/extractors?mode=custom`);
    await page.getByLabel('Name', { exact: true }).fill('tap-my-api');
    await page.getByLabel(/^pip_url/).fill('git+https://example.com/tap-my-api.git');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Added tap-my-api to meltano.yml' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Add another' }).click();
    await page.getByRole('link', { name: 'Inheriting from a project plugin' }).click();
    await page.getByLabel('Inherit from').selectOption('tap-demo');
    await page.getByLabel('Name of the new extractor').fill('tap-demo--eu');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added tap-demo--eu' })).toBeVisible();
    const yml = fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8');
    expect(yml).toMatch(
      /- name: tap-my-api\n\s+namespace: tap_my_api\n\s+pip_url: git\+https:\/\/example.com\/tap-my-api.git/,
    );
    expect(yml).toMatch(/- name: tap-demo--eu\n\s+inherit_from: tap-demo/);
  });
});

test.describe('a read-only project', () => {
  const served = serveFixtureProject({ env: { ...OFFLINE_HUB, MELTANO_PROJECT_READONLY: 'true' } });

  test('adding and removing are refused with the reason; a setting is saved to the system database', async ({
    page,
  }) => {
    const ui = served();
    const errors = watchErrors(page);
    const before = fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8');
    await page.goto(`${ui.url}/plugins?type=loaders`);
    await expect(page.getByRole('list', { name: 'What you cannot do here' })).toContainText(
      'Adding and removing plugins: This Meltano project is deployed as read-only',
    );
    await expect(page.getByRole('button', { name: 'Remove target-demo' })).toBeDisabled();
    const catalog = page.getByRole('list', { name: 'Catalog of loaders' });
    await expect(catalog.getByRole('button', { name: 'Add target-postgres' })).toBeDisabled();
    await page.screenshot({ path: 'artifacts/plugins-readonly.png', fullPage: true });

    await page.goto(`${ui.url}/plugins/extractors/tap-demo`);
    await expect(page.getByRole('note').filter({ hasText: 'saved to the system database' })).toBeVisible();
    // meltano.yml's value would still win over the system database: locked, saying why, no input.
    const mode = setting(page, 'tap-demo', 'mode');
    await expect(mode.getByRole('note')).toContainText('Locked:');
    await expect(mode.getByRole('textbox')).not.toBeEditable();
    await expect(mode.getByRole('textbox')).toHaveAttribute('readonly', '');
    const sleep = setting(page, 'tap-demo', 'sleep_seconds');
    await sleep.getByLabel('sleep_seconds', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(sleep.getByRole('status')).toHaveText('Saved to the system database (project is read-only)');
    await expect(sleep.getByLabel('sleep_seconds', { exact: true })).toHaveValue('5');
    await expect(sleep).toContainText('from system database');
    expect(fs.readFileSync(path.join(ui.root, 'meltano.yml'), 'utf8')).toBe(before);
    await page.screenshot({ path: 'artifacts/plugin-settings-readonly.png', fullPage: true });
    expect(errors).toEqual([]);
  });
});

test.describe('an install already running', () => {
  // The stand-in takes 4 s per plugin: long enough to ask for the same install twice.
  const served = serveFixtureProject({
    env: { ...OFFLINE_HUB, MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_DELAY_MS: '4000' },
  });

  test('is followed rather than refused, its output arriving while it runs', async ({ page }) => {
    const ui = served();
    const added = await page.request.post(`${ui.url}/api/v1/plugins`, {
      data: { type: 'loaders', name: 'target-jsonl' },
      headers: { 'X-Requested-With': 'meltano-ui' },
    });
    expect(added.status()).toBe(201);
    await page.goto(`${ui.url}/plugins/loaders/target-jsonl`);
    await page.getByRole('button', { name: 'Install target-jsonl' }).click();
    await expect(page).toHaveURL(/\/installs\/[0-9a-f-]{36}$/);
    const first = page.url();
    const output = page.getByRole('log', { name: 'Output of the install of target-jsonl' });
    await expect(output).toContainText("Installing loader 'target-jsonl'");
    await expect(page.getByRole('status')).toContainText('running for');
    await page.goBack();
    await page.getByRole('button', { name: 'Install target-jsonl' }).click();
    await expect(page).toHaveURL(`${first}?following=1`);
    await expect(page.getByRole('note')).toHaveText(
      'An install of target-jsonl was already running; this is that one.',
    );
    await expect(output).toContainText("Installed loader 'target-jsonl'", { timeout: 15_000 });
    await expect(page.getByText('succeeded with exit code 0')).toBeVisible({ timeout: 10_000 });
  });
});
