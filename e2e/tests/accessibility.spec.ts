import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { runIdOf, tabUntil } from '../support/pages';
import { type RunningUi, serveFixtureProject, watchErrors } from '../support/ui-server';

const served = serveFixtureProject();
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

/** axe-core's serious and critical findings, one line each (rule, then the offending elements). */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const visible = { timeout: 15_000 };
// A path ('RUN' for a run of failing-demo) and what shows once it has loaded.
const PAGES: [string, (p: Page) => Promise<void>][] = [
  ['/', (p) => expect(p.getByRole('table', { name: /Schedules/ })).toBeVisible(visible)],
  [
    '/schedules/daily-demo',
    (p) => expect(p.getByRole('table', { name: /Runs of daily-demo/ })).toBeVisible(visible),
  ],
  ['RUN', (p) => expect(p.getByRole('heading', { name: /^Run \d+/ })).toBeVisible(visible)],
  ['/plugins', (p) => expect(p.getByRole('table', { name: /extractors/ })).toBeVisible(visible)],
  [
    '/plugins/extractors/tap-demo',
    (p) => expect(p.getByRole('list', { name: 'Settings of tap-demo' })).toBeVisible(visible),
  ],
  ['/settings', (p) => expect(p.getByRole('combobox', { name: 'Active environment' })).toBeVisible(visible)],
  ['/runs', (p) => expect(p.getByRole('heading', { name: 'Runs' })).toBeVisible(visible)],
  ['/notifications', (p) => expect(p.getByRole('heading', { name: 'Delivery log' })).toBeVisible(visible)],
  [
    '/audit',
    (p) =>
      expect(
        p.getByRole('table', { name: /Audit log/ }).or(p.getByText('No change has been made yet.')),
      ).toBeVisible(visible),
  ],
  ['/no-such-page', (p) => expect(p.getByRole('heading', { name: 'Page not found' })).toBeVisible(visible)],
];

for (const [path, ready] of PAGES) {
  test(`no serious or critical axe violations on ${path === 'RUN' ? 'a run page' : path}, light and dark`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    const url = path === 'RUN' ? `/runs/${await runIdOf(page, ui.url, 'failing-demo')}` : path;
    for (const theme of ['light', 'dark']) {
      await page.addInitScript((t) => localStorage.setItem('meltano-ui.theme', t), theme);
      await page.goto(`${ui.url}${url}`);
      await ready(page);
      await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0, visible);
      expect(await seriousViolations(page), `${url} (${theme})`).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
}

test('the command palette is accessible and finds a run by its number', async ({ page }) => {
  const run = await runIdOf(page, ui.url, 'failing-demo');
  await page.goto(ui.url);
  await page.getByRole('button', { name: /Search/ }).click();
  const box = page.getByRole('combobox', { name: /Search pipelines/ });
  await expect(box).toBeFocused();
  await box.fill(String(run));
  await expect(page.getByRole('option').first()).toHaveText(new RegExp(`Run ${run}`));
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/runs/${run}$`));
});

test('keyboard only: rail, a pipeline, a run, the palette, the settings form', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(ui.url);
  await expect(page.getByRole('table', { name: /Schedules/ })).toBeVisible();
  const rail = page.getByRole('navigation', { name: 'Main' });

  // Tab reaches the rail's first place, and the next Tab its second.
  expect(await tabUntil(page, (el) => el.closest('nav[aria-label="Main"]') !== null)).toBe(true);
  await expect(rail.getByRole('link', { name: 'Pipelines' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(rail.getByRole('link', { name: 'Runs' })).toBeFocused();

  // On to the first schedule of the table; Enter opens it.
  expect(await tabUntil(page, (el) => el.textContent === 'daily-demo' && el.tagName === 'A')).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'daily-demo', level: 2 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Pipelines');

  // A run of its history.
  expect(
    await tabUntil(
      page,
      (el) =>
        el.tagName === 'A' && /^\/(.*\/)?runs\/\d+$/.test(new URL((el as HTMLAnchorElement).href).pathname),
    ),
  ).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^Run \d+/ })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'daily-demo' }),
  ).toBeVisible();

  // Ctrl+K opens the palette with the focus in its box; Escape closes it and gives the focus back.
  await page.keyboard.press('Control+k');
  const box = page.getByRole('combobox', { name: /Search pipelines/ });
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).toBeHidden();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('settings');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();

  // The settings form: its select is reached by Tab.
  expect(await tabUntil(page, (el) => el.tagName === 'SELECT' && el.id !== '' && !el.closest('header'))).toBe(
    true,
  );
  await expect(page.getByRole('combobox', { name: 'Active environment' })).toBeFocused();
  expect(errors).toEqual([]);
});
