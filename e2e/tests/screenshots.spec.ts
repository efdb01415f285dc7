import { expect, test } from '@playwright/test';
import { runIdOf } from '../support/pages';
import { type RunningUi, serveFixtureProject } from '../support/ui-server';

// Every page in light, dark and on a 390×844 phone, saved to artifacts/screens/ to be looked at; and on
// each, nothing wider than the window (the header and the pages must wrap, not overflow).
const served = serveFixtureProject();
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

const VIEWS = [
  { name: 'light', theme: 'light', viewport: { width: 1280, height: 800 } },
  { name: 'dark', theme: 'dark', viewport: { width: 1280, height: 800 } },
  { name: 'phone', theme: 'light', viewport: { width: 390, height: 844 } },
] as const;

for (const view of VIEWS) {
  test(`screenshots of every page (${view.name})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(view.viewport);
    await page.addInitScript((t) => localStorage.setItem('meltano-ui.theme', t), view.theme);
    const run = await runIdOf(page, ui.url, 'failing-demo');
    const pages: [string, string][] = [
      ['pipelines', '/'],
      ['schedule', '/schedules/daily-demo'],
      ['job', '/jobs/demo-job'],
      ['run', `/runs/${run}`],
      ['runs', '/runs'],
      ['plugins', '/plugins'],
      ['plugin-settings', '/plugins/extractors/tap-demo'],
      ['add-plugin', '/plugins/add/extractors'],
      ['environments', '/environments'],
      ['deployments', '/deployments'],
      ['settings', '/settings'],
      ['notifications', '/notifications'],
      ['audit', '/audit'],
      ['new-schedule', '/schedules/new'],
      ['edit-schedule', '/schedules/daily-demo/edit'],
      ['not-found', '/no-such-page'],
      ['no-such-schedule', '/schedules/no-such-schedule'],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${ui.url}${path}`);
      const main = page.getByRole('main');
      await expect(main.getByRole('heading', { level: 2 }).or(main.getByRole('alert')).first()).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
      await page.screenshot({ path: `artifacts/screens/${view.name}/${name}.png`, fullPage: true });
      const header = await page.getByRole('banner').evaluate((h) => [h.scrollWidth, h.clientWidth]);
      expect(header[0], `${name}: header overflows`).toBeLessThanOrEqual(header[1] ?? 0);
    }
    if (view.name === 'phone') {
      await page.goto(ui.url);
      await page.getByRole('button', { name: 'Menu' }).click();
      await expect(
        page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plugins' }),
      ).toBeVisible();
      await page.screenshot({ path: 'artifacts/screens/phone/menu-open.png' });
    }
    await page.goto(ui.url);
    await page.keyboard.press('Control+k');
    await page.keyboard.type('demo');
    await page.screenshot({ path: `artifacts/screens/${view.name}/palette.png` });
  });
}
