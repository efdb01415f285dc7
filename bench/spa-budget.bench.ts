// The web app's budgets (issue 13), on the BUILT app (`pnpm build` first; this builds nothing):
// 1. the initial JS+CSS of the pipelines page, gzipped, against 160 KB;
// 2. with a project of 500 schedules, in headless Chromium: time to the first rows, and long tasks
//    (> 50 ms, PerformanceObserver 'longtask') while loading, idling through list refreshes, scrolling,
//    paging and sorting. Prints figures; asserts nothing. Runs come from the fixture's system DB (recorded
//    by the real Meltano 3.9.5); every job schedule shares demo-job's state ID, so those rows have runs.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { report } from './lib/report.js';
import { startBareFastify } from './lib/servers.js';
import { copyFixtureProject, REPO } from './soak/fixture-project.js';
import { requireBuild, startUi } from './soak/ui-process.js';

const BUDGET_KB = 160;
const SCHEDULES = 500;
const WEB_DIST = path.join(REPO, 'apps', 'web', 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Appends `n` schedules to the project's meltano.yml: half ELT (never run), half runs of demo-job. */
function addSchedules(root: string, n: number): void {
  const file = path.join(root, 'meltano.yml');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `bench-${String(i).padStart(3, '0')}`;
    lines.push(
      i % 2 === 0
        ? `- name: ${name}\n  interval: '@hourly'\n  extractor: tap-demo\n  loader: target-demo\n  transform: skip`
        : `- name: ${name}\n  interval: '*/30 * * * *'\n  job: ${i % 4 === 1 ? 'demo-job' : 'multi-job'}`,
    );
  }
  const yml = fs.readFileSync(file, 'utf8').replace(/^schedules:\n/m, `schedules:\n${lines.join('\n')}\n`);
  fs.writeFileSync(file, yml);
}

// Installed before any page script: records when the first schedule row is in the DOM and every long
// task. Strings, not functions: tsx would wrap nested functions in a helper the page does not have.
const PROBE = `
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const observer = new MutationObserver(() => {
    if (window.__firstRows === undefined && document.querySelector('table.pipelines tbody th[scope="row"]')) {
      window.__firstRows = performance.now();
      observer.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () =>
    observer.observe(document.body, { childList: true, subtree: true }),
  );
`;

/** Scrolls the window to the bottom and back, a wheel-sized step per animation frame. */
const SCROLL_THROUGH = `(async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const max = () => document.documentElement.scrollHeight - window.innerHeight;
  while (window.scrollY < max() - 1) {
    window.scrollBy(0, 120);
    await frame();
  }
  while (window.scrollY > 0) {
    window.scrollBy(0, -120);
    await frame();
  }
})()`;

interface LongTasks {
  count: number;
  worst: number;
}

/** Long tasks recorded since `since` (ms on the page's clock). */
async function longTasksSince(page: Page, since: number): Promise<LongTasks> {
  const all = (await page.evaluate('window.__long')) as { start: number; duration: number }[];
  const tasks = all.filter((t) => t.start >= since);
  return { count: tasks.length, worst: Math.max(0, ...tasks.map((t) => t.duration)) };
}

const pageNow = async (page: Page) => (await page.evaluate('performance.now()')) as number;
const fmt = (l: LongTasks) => `${l.count} long task(s)${l.count ? `, worst ${l.worst.toFixed(0)} ms` : ''}`;

async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(SCROLL_THROUGH);
}

async function main(): Promise<void> {
  requireBuild();
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
    throw new Error('apps/web is not built: run `pnpm build`');
  const root = copyFixtureProject();
  addSchedules(root, SCHEDULES);
  const ui = await startUi(root, { ...process.env, MELTANO_UI_AUTHENTICATION: 'false' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: PROBE });
    const page = await context.newPage();
    // What the pipelines page loads: every script and stylesheet until its rows are shown, gzipped
    // from the built files (the server's own compression is not what the budget is about).
    const assets = new Set<string>();
    page.on('request', (r) => {
      if (r.resourceType() === 'script' || r.resourceType() === 'stylesheet')
        assets.add(new URL(r.url()).pathname);
    });
    await page.goto(ui.url, { waitUntil: 'commit' });
    const rows = page.locator('table.pipelines tbody th[scope="row"]');
    await rows.first().waitFor({ timeout: 30_000 });
    const firstRows = (await page.evaluate('window.__firstRows')) as number | undefined;
    const shownRows = await rows.count();
    const loadTasks = await longTasksSince(page, 0);

    let gzipTotal = 0;
    console.log('\nInitial JS+CSS of the pipelines page (gzip -9 of the built files):');
    for (const asset of [...assets].sort()) {
      const file = path.join(WEB_DIST, asset.replace(/^\/+/, ''));
      if (!fs.existsSync(file)) continue;
      const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
      gzipTotal += gz;
      console.log(`  ${asset.padEnd(48)} ${(gz / 1024).toFixed(1).padStart(7)} KB`);
    }
    const verdict = gzipTotal / 1024 <= BUDGET_KB ? 'within' : 'OVER';
    console.log(`  total ${(gzipTotal / 1024).toFixed(1)} KB of ${BUDGET_KB} KB budget: ${verdict}`);
    report({
      name: 'SPA: initial JS+CSS of the pipelines page (gzip -9)',
      value: gzipTotal / 1024,
      unit: 'KB',
      better: 'lower',
      target: `≤ ${BUDGET_KB} KB`,
    });

    console.log(`\n${SCHEDULES + 4} schedules, headless Chromium ${browser.version()}, 1280×900:`);
    console.log(
      `  first rows after ${firstRows?.toFixed(0) ?? '?'} ms (${shownRows} rows on the page; budget < 1000 ms)`,
    );
    console.log(`  loading: ${fmt(loadTasks)}`);
    // The baseline: the same browser loading a bare Fastify hello-world (a JSON answer, nothing to run).
    const bare = await startBareFastify();
    const blank = await context.newPage();
    await blank.goto(bare.url, { waitUntil: 'load' });
    const bareLoad = (await blank.evaluate(
      "performance.getEntriesByType('navigation')[0].loadEventEnd",
    )) as number;
    await blank.close();
    await bare.stop();
    report({
      name: `SPA: ${SCHEDULES + 4} schedules, navigation → first rows in headless Chromium`,
      value: firstRows ?? Number.NaN,
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'bare Fastify page loaded', value: bareLoad },
      target: '< 1000 ms',
    });
    report({
      name: 'SPA: longest task while the pipelines page loads',
      value: loadTasks.worst,
      unit: 'ms',
      better: 'lower',
      target: 'no long task (> 50 ms)',
    });

    // Two list refreshes (every 3 s) with nothing else happening.
    let mark = await pageNow(page);
    await page.waitForTimeout(6500);
    console.log(`  idle 6.5 s (2 refreshes of /schedules): ${fmt(await longTasksSince(page, mark))}`);

    mark = await pageNow(page);
    await scrollThrough(page);
    console.log(`  scrolling page 1 down and up: ${fmt(await longTasksSince(page, mark))}`);

    const pager = page.getByRole('navigation', { name: 'Schedule pages' });
    mark = await pageNow(page);
    const t0 = Date.now();
    await pager.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL(/page=2/);
    console.log(
      `  next page: ${Date.now() - t0} ms to the new URL, ${fmt(await longTasksSince(page, mark))}`,
    );

    mark = await pageNow(page);
    await scrollThrough(page);
    console.log(`  scrolling page 2 down and up: ${fmt(await longTasksSince(page, mark))}`);

    mark = await pageNow(page);
    await page.getByRole('button', { name: 'Duration' }).click();
    await page.waitForURL(/sort=-duration/);
    await page.waitForTimeout(300);
    console.log(`  sort by duration: ${fmt(await longTasksSince(page, mark))}`);

    mark = await pageNow(page);
    await page.getByLabel('Group by').selectOption('job');
    await page.waitForURL(/group=job/);
    await page.waitForTimeout(300);
    console.log(`  group by job: ${fmt(await longTasksSince(page, mark))}`);

    // A warm reload: assets cached, the server's /schedules summary warm.
    await page.goto(`${ui.url}/`, { waitUntil: 'commit' });
    await rows.first().waitFor({ timeout: 30_000 });
    const warm = (await page.evaluate('window.__firstRows')) as number | undefined;
    console.log(`  reload: first rows after ${warm?.toFixed(0) ?? '?'} ms`);
    report({
      name: `SPA: ${SCHEDULES + 4} schedules, reload (assets cached) → first rows`,
      value: warm ?? Number.NaN,
      unit: 'ms',
      better: 'lower',
      target: '< 1000 ms',
    });
    await context.close();
  } finally {
    await browser.close();
    await ui.stop(10_000);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
