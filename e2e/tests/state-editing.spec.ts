import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type RunningUi, runStandin, STANDIN, serveFixtureProject, watchErrors } from '../support/ui-server';

// Rows are read with the stand-in's SQLite driver, and state read back with the Meltano-CLI stand-in's
// `meltano state get` (test-fixtures/meltano-standin), not the real Meltano.
interface SqliteDb {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(STANDIN)('better-sqlite3') as new (
  file: string,
  opts?: { readonly?: boolean },
) => SqliteDb;

interface EditRow {
  payload: string;
  payload_flags: number;
  trigger: string;
  started_at: string;
  ended_at: string;
}

function editRows(ui: RunningUi, stateId: string): EditRow[] {
  const db = new Database(path.join(ui.root, '.meltano', 'meltano.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT payload, payload_flags, "trigger", started_at, ended_at FROM runs
         WHERE job_name = ? AND state = 'STATE_EDIT' AND id > 15 ORDER BY id`,
      )
      .all(stateId) as EditRow[];
  } finally {
    db.close();
  }
}

const stateGet = (ui: RunningUi, stateId: string) =>
  runStandin(ui.root, ['state', 'get', '--', stateId]).stdout.trim();

async function openState(page: Page, ui: RunningUi, pipeline: string, stateId: string) {
  await page.goto(`${ui.url}/schedules/${pipeline}`);
  const section = page.getByRole('region', { name: 'State IDs and Singer state' });
  await section.getByText(stateId, { exact: true }).click();
  return section;
}

test.describe('editing Singer state', () => {
  const served = serveFixtureProject();

  test('set a bookmark, merge, copy and clear through the browser, written as `meltano state` writes them', async ({
    page,
  }) => {
    const ui = served();
    const errors = watchErrors(page);
    const section = await openState(page, ui, 'cron-demo', 'cron-demo');
    await expect(section.getByText('"last_id": 3')).toBeVisible();

    // Set: the editor checks the JSON, then shows the diff before saving.
    await section.getByRole('button', { name: 'Edit state' }).click();
    const json = section.getByLabel('New state (JSON)');
    await json.fill('{"bookmarks": {}}');
    await expect(section.getByText('A top-level "singer_state" object is required.')).toBeVisible();
    await expect(section.getByRole('button', { name: 'Review changes' })).toBeDisabled();
    await json.fill('{"singer_state": {"bookmarks": {"users": {"last_id": 42}}}}');
    await section.getByRole('button', { name: 'Review changes' }).click();
    const diff = section.locator('pre.state-diff');
    await expect(diff).toContainText('- "last_id": 3');
    await expect(diff).toContainText('+ "last_id": 42');
    await page.screenshot({ path: 'artifacts/screens/light/state-edit-diff.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'artifacts/screens/dark/state-edit-diff.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: 'artifacts/screens/phone/state-edit-diff.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await section.getByRole('button', { name: 'Set state' }).click();
    await expect(section.getByRole('status')).toContainText('State for cron-demo was successfully set');
    await expect(section.getByText('"last_id": 42')).toBeVisible();
    expect(stateGet(ui, 'cron-demo')).toBe('{"singer_state": {"bookmarks": {"users": {"last_id": 42}}}}');

    // Merge: onto the partial state; the next run reads both bookmarks.
    await section.getByRole('button', { name: 'Merge into state' }).click();
    await section
      .getByLabel('State to merge (JSON)')
      .fill('{"singer_state": {"bookmarks": {"orders": {"last_id": 5}}}}');
    await section.getByRole('button', { name: 'Review changes' }).click();
    await section.getByRole('button', { name: 'Merge state' }).click();
    await expect(section.getByRole('status')).toContainText('successfully merged');
    await expect(section.getByText('"orders"')).toBeVisible();
    expect(stateGet(ui, 'cron-demo')).toBe(
      '{"singer_state": {"bookmarks": {"users": {"last_id": 42}, "orders": {"last_id": 5}}}}',
    );

    // Copy another state ID's state.
    await section.getByRole('button', { name: 'Copy from…' }).click();
    await section.getByLabel('Copy the state of').selectOption('daily-demo');
    await section.getByRole('button', { name: 'Copy state' }).click();
    await expect(section.getByRole('status')).toContainText('copied from daily-demo');
    expect(stateGet(ui, 'cron-demo')).toBe(stateGet(ui, 'daily-demo'));

    // Clear: the dialog says the next run is a full extract.
    await section.getByRole('button', { name: 'Clear state' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear the state of cron-demo?' });
    await expect(dialog).toContainText('full extract');
    await page.screenshot({ path: 'artifacts/screens/light/state-clear.png', fullPage: true });
    await dialog.getByRole('button', { name: 'Clear state' }).click();
    await expect(section.getByText('No state stored: the next run starts from scratch.')).toBeVisible();
    expect(stateGet(ui, 'cron-demo')).toBe('{}');

    // The rows the CLI would have written: set, merge, copy (a clear writes none on Meltano 2.10+).
    const rows = editRows(ui, 'cron-demo');
    expect(rows.map((r) => [r.payload_flags, r.trigger])).toEqual([
      [1, 'ui'],
      [2, 'ui'],
      [1, 'ui'],
    ]);
    expect(rows.map((r) => r.payload)).toEqual([
      '{"singer_state": {"bookmarks": {"users": {"last_id": 42}}}}',
      '{"singer_state": {"bookmarks": {"orders": {"last_id": 5}}}}',
      stateGet(ui, 'daily-demo'),
    ]);
    for (const row of rows) expect(row.started_at).toBe(row.ended_at);
    // After the clear the state lookup answers 404 (no state stored), as it should: not a page error.
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  });

  test('an edit while the state ID is running shows the refusal', async ({ page }) => {
    const ui = served();
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '000');
    const db = new Database(path.join(ui.root, '.meltano', 'meltano.db'));
    db.prepare(
      `INSERT INTO runs (job_name, state, started_at, last_heartbeat_at, payload, payload_flags, run_id, "trigger")
       VALUES ('daily-demo', 'RUNNING', ?, ?, '{}', 0, ?, 'cli')`,
    ).run(now, now, 'cd'.repeat(16));
    db.close();
    const section = await openState(page, ui, 'daily-demo', 'daily-demo');
    await section.getByRole('button', { name: 'Clear state' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear the state of daily-demo?' });
    await dialog.getByRole('button', { name: 'Clear state' }).click();
    await expect(dialog.getByRole('alert')).toContainText("A run of 'daily-demo' is running");
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(stateGet(ui, 'daily-demo')).toBe('{"singer_state": {"bookmarks": {"users": {"last_id": 3}}}}');
  });
});

test.describe('in read-only mode', () => {
  const served = serveFixtureProject({ env: { MELTANO_UI_READONLY: 'true' } });

  test('the state can be read but the edit buttons are disabled, saying why', async ({ page }) => {
    const section = await openState(page, served(), 'cron-demo', 'cron-demo');
    for (const name of ['Edit state', 'Merge into state', 'Copy from…', 'Clear state']) {
      const button = section.getByRole('button', { name });
      await expect(button).toBeDisabled();
      await expect(button).toHaveAttribute('title', 'Meltano UI is running in read-only mode');
    }
  });
});
