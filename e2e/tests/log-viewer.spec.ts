import fs from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { FIXTURE_RUNS, fixtureLog, numberedLine, startFakeRun, writeNumberedLog } from '../support/run-logs';
import { type RunningUi, serveFixtureProject, watchErrors } from '../support/ui-server';

const served = serveFixtureProject();
let ui: RunningUi;
test.beforeEach(() => {
  ui = served();
});

const logRegion = (page: Page, id: number) => page.getByRole('region', { name: `Log of run ${id}` });
/** Scrolls the log to the top of what is loaded (only drawn lines are in the page). */
const scrollLogToTop = (page: Page, id: number) =>
  logRegion(page, id).evaluate((el) => {
    el.scrollTop = 0;
  });
const lineItem = (page: Page, id: number, line: number) =>
  logRegion(page, id)
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: `Line ${line}`, exact: true }) });

test('opening a run shows its log, status, times and failure message', async ({ page }) => {
  const errors = watchErrors(page);
  const { id } = FIXTURE_RUNS.manualFail;
  await page.goto(`${ui.url}/runs/${id}`);
  await expect(page.getByRole('heading', { name: /Run 3/ })).toBeVisible();
  // The tab says which run it is.
  await expect(page).toHaveTitle('Run 3 · manual-fail · Meltano UI');
  const facts = page.locator('dl');
  await expect(facts.getByText('Failed', { exact: true })).toBeVisible();
  await expect(facts.getByText('manual-fail', { exact: true })).toBeVisible();
  await expect(facts.getByText('cli', { exact: true })).toBeVisible();
  // Started 04:36:31.764, ended 04:36:32.140: 0.4 s.
  await expect(facts.getByText('0.4 s')).toBeVisible();
  await expect(facts.locator('time[datetime="2026-11-21T04:36:31.764210Z"]')).toContainText('2026');
  await expect(facts.locator('time[datetime="2026-11-21T04:36:32.140593Z"]')).toContainText('2026');
  await expect(facts.getByText(/ago\)/)).toHaveCount(2);
  const failure = page.getByRole('region', { name: 'Failure message' });
  await expect(failure).toContainText('ELT could not be completed: Extractor failed.');

  // Opens at the end: the last line of the file is on screen, with its number.
  const lines = fs.readFileSync(fixtureLog(ui.root, FIXTURE_RUNS.manualFail), 'utf8').trimEnd().split('\n');
  const last = lineItem(page, id, lines.length);
  await expect(last).toBeVisible();
  await expect(last).toContainText('https://docs.meltano.com/reference/command-line-interface#debugging');
  await expect(page.getByText('The run has finished; this is its whole log.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download log' })).toHaveAttribute(
    'href',
    `/api/v1/runs/${id}/log/download`,
  );
  // The screenshot shows the first error, found and marked.
  await page.getByRole('button', { name: 'Jump to first error' }).click();
  await expect(lineItem(page, id, 9)).toBeInViewport();
  await page.screenshot({ path: 'artifacts/log-viewer.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('dark mode and a phone screen', async ({ browser }) => {
  const dark = await browser.newPage({ colorScheme: 'dark' });
  const darkErrors = watchErrors(dark);
  await dark.goto(`${ui.url}/runs/${FIXTURE_RUNS.manualFail.id}#L18`);
  await expect(lineItem(dark, 3, 18)).toHaveAttribute('aria-current', 'location');
  await dark.screenshot({ path: 'artifacts/log-viewer-dark.png', fullPage: true });
  await dark.close();

  const phone = await browser.newPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const phoneErrors = watchErrors(phone);
  await phone.goto(`${ui.url}/runs/${FIXTURE_RUNS.manualFail.id}`);
  await expect(logRegion(phone, 3)).toBeVisible();
  await expect(phone.getByRole('searchbox', { name: 'Search the log' })).toBeVisible();
  // A phone wraps long lines until the reader chooses otherwise.
  await expect(phone.getByRole('checkbox', { name: 'Wrap lines' })).toBeChecked();
  // The page itself does not scroll sideways; long lines scroll inside the log.
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await phone.screenshot({ path: 'artifacts/log-viewer-phone.png', fullPage: true });
  await phone.close();
  expect([...darkErrors, ...phoneErrors]).toEqual([]);
});

test('a running log is followed live, with its heartbeat, until the run ends', async ({ page }) => {
  const errors = watchErrors(page);
  const run = await startFakeRun(ui.root, 'live-demo');
  try {
    await page.goto(`${ui.url}/runs/${run.id}`);
    await expect(page.locator('dl').getByText('Running', { exact: true })).toBeVisible();
    await expect(page.getByText(/heartbeat \d/)).toBeVisible();
    await expect(page.getByText('● Following live')).toBeVisible();
    for (let i = 1; i <= 3; i += 1) {
      const line = run.log('info', `record batch ${i} loaded`);
      await expect(logRegion(page, run.id).getByText(line.slice(30))).toBeVisible({ timeout: 2000 });
    }
    // A line written in two parts is one line.
    fs.appendFileSync(run.logFile, '2026-11-21T05:00:00.000000Z [warning  ] half a ');
    await expect(logRegion(page, run.id).getByText('half a')).toBeVisible({ timeout: 2000 });
    fs.appendFileSync(run.logFile, 'line, then the rest\n');
    await expect(lineItem(page, run.id, 5)).toContainText('half a line, then the rest', { timeout: 2000 });
    await run.heartbeat();
    const error = run.log('error', 'Loader failed');
    await run.finish('FAIL', 'Loader failed');
    await expect(logRegion(page, run.id).getByText(error.slice(30))).toBeVisible({ timeout: 2000 });
    await expect(page.locator('dl').getByText('Failed', { exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole('region', { name: 'Failure message' })).toContainText('Loader failed');
    await expect(page.getByText('The run has finished; this is its whole log.')).toBeVisible();
  } finally {
    await run.close();
  }
  expect(errors).toEqual([]);
});

test('following pauses while reading above and resumes with a button', async ({ page }) => {
  const errors = watchErrors(page);
  const run = await startFakeRun(ui.root, 'pause-demo');
  try {
    for (let i = 0; i < 120; i += 1) run.log('info', `warm-up line ${i}`);
    await page.goto(`${ui.url}/runs/${run.id}`);
    const region = logRegion(page, run.id);
    await expect(lineItem(page, run.id, 121)).toBeInViewport();
    await expect(page.getByText('● Following live')).toBeVisible();
    await scrollLogToTop(page, run.id);
    await expect(page.getByText('Following live, paused while you read above')).toBeVisible();
    run.log('info', 'written while reading above');
    run.log('info', 'written while reading above, again');
    const jump = page.getByRole('button', { name: 'Jump to latest (2 new lines)' });
    await expect(jump).toBeVisible({ timeout: 2000 });
    // The reader stays where they were.
    await expect(region.getByText(/warm-up line 0\s/)).toBeInViewport();
    await jump.click();
    await expect(lineItem(page, run.id, 123)).toBeInViewport();
    await expect(page.getByText('● Following live')).toBeVisible();
    run.log('info', 'after resuming');
    await expect(lineItem(page, run.id, 124)).toBeInViewport({ timeout: 2000 });
    await expect(jump).toBeHidden();
  } finally {
    await run.finish('SUCCESS');
    await run.close();
  }
  expect(errors).toEqual([]);
});

test('a run without a log file, and a run that does not exist, say so', async ({ page }) => {
  const errors = watchErrors(page);
  fs.rmSync(fixtureLog(ui.root, { dir: 'manual-ok', runId: '01a1fc64-311f-761e-82a1-2ca8a1530390' }));
  await page.goto(`${ui.url}/runs/1`);
  await expect(page.getByText('This run has no log file.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download log' })).toHaveCount(0);
  await page.goto(`${ui.url}/runs/9999`);
  await expect(page.getByRole('alert')).toContainText('There is no run 9999 in the system database.');
  await page.goto(`${ui.url}/runs/abc`);
  await expect(page.getByRole('alert')).toContainText('“abc” is not a run number.');
  // The 404 of the missing run is an expected answer, not a page error.
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});

test('the presumed-dead run 15 says so, its duration stops, and appended lines still show within 2 seconds', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const file = fixtureLog(ui.root, {
    dir: 'devtap-demo-slow-to-target-demo',
    runId: '01a1fc6c-03a9-706a-8239-cbc659a19680',
  });
  await page.goto(`${ui.url}/runs/15`);
  await expect(page.locator('dl').getByText(/Presumed dead/)).toBeVisible();
  await expect(page.getByText(/^Presumed dead: the run has stopped sending heartbeats/)).toBeVisible();
  await expect(page.getByText('Still watching the file', { exact: false })).toBeVisible();
  await expect(page.getByText(/Following live/)).toHaveCount(0);
  // Started 04:44:59.763, last heartbeat 04:45:06.876: 7.1 s, and it stays so.
  const duration = page.locator('dl').getByRole('definition').filter({ hasText: 'until its last heartbeat' });
  await expect(duration).toHaveText('7.1 s until its last heartbeat');
  await page.waitForTimeout(1500);
  await expect(duration).toHaveText('7.1 s until its last heartbeat');
  const line = '2026-11-21T04:45:07.000000Z [info     ] a line appended while watching';
  fs.appendFileSync(file, `${line}\n`);
  await expect(logRegion(page, 15).getByText('a line appended while watching')).toBeVisible({
    timeout: 2000,
  });
  expect(errors).toEqual([]);
});

test('line links select lines and survive a reload', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/runs/3`);
  await expect(logRegion(page, 3)).toBeVisible();
  await scrollLogToTop(page, 3);
  await page.getByRole('link', { name: 'Line 20', exact: true }).click();
  await expect(page).toHaveURL(/#L20$/);
  await page.getByRole('link', { name: 'Line 22', exact: true }).click({ modifiers: ['Shift'] });
  await expect(page).toHaveURL(/#L20-L22$/);
  await page.reload();
  for (const line of [20, 21, 22])
    await expect(lineItem(page, 3, line)).toHaveAttribute('aria-current', 'location');
  await expect(lineItem(page, 3, 19)).not.toHaveAttribute('aria-current', 'location');
  await expect(lineItem(page, 3, 20)).toBeInViewport();
  expect(errors).toEqual([]);
});

test('search next and previous, and jump to the first error', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/runs/3`);
  const search = page.getByRole('searchbox', { name: 'Search the log' });
  const status = page.getByRole('status', { name: 'Search result' });
  await search.fill('emitted RECORD');
  await search.press('Enter');
  await expect(status).toHaveText(/Match on line (5|6)/);
  const first = Number((await status.textContent())?.match(/line (\d+)/)?.[1]);
  await search.press('Enter');
  await expect(status).toHaveText(`Match on line ${first + 1}`);
  await search.press('Enter');
  await expect(status).toHaveText(`Match on line ${first + 2}`);
  await search.press('Shift+Enter');
  await expect(status).toHaveText(`Match on line ${first + 1}`);
  await expect(lineItem(page, 3, first + 1)).toBeInViewport();
  await page.getByRole('button', { name: 'Next match' }).click();
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(status).toHaveText(`Match on line ${first} (wrapped around)`);
  await page.getByRole('button', { name: 'Jump to first error' }).click();
  // The error finder says where it landed in its own place; the search keeps its result.
  await expect(page.getByRole('status', { name: 'First error' })).toHaveText('First error: line 9');
  await expect(status).toHaveText(`Match on line ${first} (wrapped around)`);
  await expect(lineItem(page, 3, 9)).toBeInViewport();
  await expect(lineItem(page, 3, 9)).toContainText('Traceback (most recent call last)');
  expect(errors).toEqual([]);
});

test('wrapping long lines is a toggle', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 700 });
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/runs/3`);
  const region = logRegion(page, 3);
  await expect(region).toBeVisible();
  await scrollLogToTop(page, 3);
  const wrap = page.getByRole('checkbox', { name: 'Wrap lines' });
  if (await wrap.isChecked()) await wrap.uncheck();
  const sideways = () => region.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(await sideways()).toBeGreaterThan(100);
  const row = lineItem(page, 3, 20);
  const oneLine = (await row.boundingBox())?.height ?? 0;
  await wrap.check();
  await expect.poll(sideways).toBeLessThanOrEqual(0);
  await expect.poll(async () => (await row.boundingBox())?.height ?? 0).toBeGreaterThan(oneLine * 1.5);
  await wrap.uncheck();
  await expect.poll(sideways).toBeGreaterThan(100);
  expect(errors).toEqual([]);
});

test.describe('a 200 MiB log', () => {
  const file = () => fixtureLog(ui.root, FIXTURE_RUNS.cronDemo);
  let lines = 0;

  test.beforeAll(() => {
    lines = writeNumberedLog(file(), 200 * 1024 * 1024);
  });
  test.afterAll(() => {
    fs.rmSync(file(), { force: true });
  });

  test('opens at its end and loads older lines when scrolled up', async ({ page }) => {
    const errors = watchErrors(page);
    const { id } = FIXTURE_RUNS.cronDemo;
    const started = Date.now();
    await page.goto(`${ui.url}/runs/${id}`);
    const last = lineItem(page, id, lines);
    await expect(last).toBeVisible();
    await expect(last).toContainText(numberedLine(lines).slice(30, 70));
    test
      .info()
      .annotations.push({ type: 'open 200 MiB log (ms)', description: String(Date.now() - started) });
    const loaded = page.getByText(/lines ([\d,]+)–[\d,]+ loaded/);
    const firstLoaded = async () =>
      Number((await loaded.textContent())?.match(/lines ([\d,]+)/)?.[1]?.replaceAll(',', ''));
    const before = await firstLoaded();
    expect(before).toBeGreaterThan(lines - 10_000);
    const region = logRegion(page, id);
    await scrollLogToTop(page, id);
    await expect.poll(firstLoaded).toBeLessThan(before);
    // The older page went in above: the line that was at the top is still in view.
    await expect(lineItem(page, id, before)).toBeInViewport();
    for (let i = 0; i < 2; i += 1) {
      const loadedNow = await firstLoaded();
      await scrollLogToTop(page, id);
      await expect.poll(firstLoaded).toBeLessThan(loadedNow);
    }
    await expect.poll(firstLoaded).toBeLessThan(before - 8000);
    // What is now on screen is older text, numbered right.
    const visible = await region.getByRole('listitem').first().textContent();
    const n = Number(visible?.match(/big log line (\d{8})/)?.[1]);
    expect(visible).toContain(numberedLine(n).slice(30, 60));
    expect(n).toBeLessThan(before);
    expect(errors).toEqual([]);
  });

  test('a line link, a search and the first error reach far from the end', async ({ page }) => {
    const errors = watchErrors(page);
    const { id } = FIXTURE_RUNS.cronDemo;
    await page.goto(`${ui.url}/runs/${id}#L1000000`);
    const linked = lineItem(page, id, 1_000_000);
    await expect(linked).toHaveAttribute('aria-current', 'location');
    await expect(linked).toBeInViewport();
    await expect(linked).toContainText('big log line 01000000');
    await page.reload();
    await expect(lineItem(page, id, 1_000_000)).toBeInViewport();

    const search = page.getByRole('searchbox', { name: 'Search the log' });
    await search.fill('needle near the start');
    await search.press('Enter');
    await expect(page.getByRole('status', { name: 'Search result' })).toHaveText(
      'Match on line 5 (wrapped around)',
      { timeout: 20_000 },
    );
    await expect(lineItem(page, id, 5)).toBeInViewport();
    await page.getByRole('button', { name: 'Jump to first error' }).click();
    await expect(page.getByRole('status', { name: 'First error' })).toHaveText('First error: line 3');
    await expect(lineItem(page, id, 3)).toBeInViewport();

    // Filtering reads the whole 200 MiB on the server: the one error line is near the start.
    await page.getByText('Filter lines').click();
    await page.getByRole('group', { name: 'Level' }).getByRole('checkbox', { name: 'Error' }).check();
    const filtered = page.getByRole('region', { name: `Lines of run ${id} matching Error` });
    await expect(page.getByText('1 matching line in the whole log.')).toBeVisible({ timeout: 60_000 });
    await expect(filtered.getByRole('listitem')).toHaveCount(1);
    await expect(filtered.getByRole('link', { name: 'Line 3', exact: true })).toBeVisible();
    expect(errors).toEqual([]);
  });
});

test('filters by source, stream and level over the whole log, keeping line numbers and links', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const { id } = FIXTURE_RUNS.manualFail;
  const lines = fs.readFileSync(fixtureLog(ui.root, FIXTURE_RUNS.manualFail), 'utf8').trimEnd().split('\n');
  const numbersOf = (test: (line: string) => boolean) =>
    lines.flatMap((line, i) => (test(line) ? [i + 1] : []));
  await page.goto(`${ui.url}/runs/${id}`);
  await expect(logRegion(page, id)).toBeVisible();
  await page.getByText('Filter lines').click();
  const filters = page.getByRole('group', { name: 'Source' });
  await filters.getByRole('checkbox', { name: 'Loader' }).check();
  const filtered = page.getByRole('region', { name: `Lines of run ${id} matching Loader` });
  const shownNumbers = async () =>
    (await filtered.getByRole('link', { name: /^Line \d+$/ }).allTextContents()).map(Number);
  const loader = numbersOf((l) => l.includes('cmd_type=loader'));
  await expect.poll(shownNumbers).toEqual(loader);
  await expect(page.getByText(`${loader.length} matching lines in the whole log.`)).toBeVisible();

  // Extractor's stderr: the tap's lines only.
  await filters.getByRole('checkbox', { name: 'Loader' }).uncheck();
  await filters.getByRole('checkbox', { name: 'Extractor' }).check();
  await page.getByRole('group', { name: 'Stream' }).getByRole('checkbox', { name: 'stderr' }).check();
  const tap = numbersOf((l) => l.includes('cmd_type=extractor') && l.includes('stdio=stderr'));
  await expect
    .poll(async () =>
      (
        await page
          .getByRole('region', { name: `Lines of run ${id} matching Extractor · stderr` })
          .getByRole('link', { name: /^Line \d+$/ })
          .allTextContents()
      ).map(Number),
    )
    .toEqual(tap);

  // Errors of the extractor: its traceback, which Meltano logged at info.
  await page.getByRole('group', { name: 'Level' }).getByRole('checkbox', { name: 'Error' }).check();
  const errorView = page.getByRole('region', {
    name: `Lines of run ${id} matching Error · Extractor · stderr`,
  });
  await expect(errorView.getByRole('listitem')).toHaveCount(6);
  await expect(errorView.getByRole('listitem').first()).toContainText('Traceback (most recent call last)');
  await page.screenshot({ path: 'artifacts/log-viewer-filtered.png', fullPage: true });

  // A line number shows the line in the whole log, linked.
  await errorView.getByRole('link', { name: 'Line 9', exact: true }).click();
  await expect(page).toHaveURL(/#L9$/);
  await expect(lineItem(page, id, 9)).toBeInViewport();
  await expect(lineItem(page, id, 9)).toHaveAttribute('aria-current', 'location');
  // In context again: the loader's lines between the tap's are back.
  await expect(lineItem(page, id, 12)).toContainText('cmd_type=loader');
  await expect(page.getByText('Filter lines', { exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test("hiding Meltano's context shows the plugin's own output, and the choice is kept", async ({ page }) => {
  const errors = watchErrors(page);
  const { id } = FIXTURE_RUNS.manualFail;
  await page.goto(`${ui.url}/runs/${id}`);
  await expect(logRegion(page, id)).toBeVisible();
  await scrollLogToTop(page, id);
  const emitted = lineItem(page, id, 6);
  await expect(emitted).toContainText('cmd_type=extractor');
  const bare = page.getByRole('checkbox', { name: 'Plugin output only' });
  await bare.check();
  // The copied text is what the tap printed: no timestamp, level or key=value context.
  await expect(emitted.locator('.log-text')).toHaveText('INFO Emitted record id=1');
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Plugin output only' })).toBeChecked();
  await scrollLogToTop(page, id);
  await expect(lineItem(page, id, 6).locator('.log-text')).toHaveText('INFO Emitted record id=1');
  await page.getByRole('checkbox', { name: 'Plugin output only' }).uncheck();
  await expect(lineItem(page, id, 6)).toContainText('2026-11-21T04:36:32');
  expect(errors).toEqual([]);
});

test('a run links to its job and to the previous and next run of its state ID', async ({ page }) => {
  const errors = watchErrors(page);
  // Runs 4, 5 and 10 record dev:tap-demo-to-target-demo.
  await page.goto(`${ui.url}/runs/5`);
  const related = page.getByRole('navigation', { name: 'Related runs' });
  await expect(related.getByRole('link', { name: '← Previous run (4)' })).toHaveAttribute('href', '/runs/4');
  await expect(related.getByRole('link', { name: 'Next run (10) →' })).toHaveAttribute('href', '/runs/10');
  await expect(related.getByRole('link', { name: /^Job / }).first()).toBeVisible();
  await related.getByRole('link', { name: 'Next run (10) →' }).click();
  await expect(page.getByRole('heading', { name: /Run 10/ })).toBeVisible();
  await expect(related.getByText('No later run')).toBeVisible();
  expect(errors).toEqual([]);
});
