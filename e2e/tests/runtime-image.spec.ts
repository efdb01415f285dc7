import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { buildRuntimeFolder, type RuntimeImage, stage, startRuntimeImage } from '../support/runtime-image';
import { watchErrors } from '../support/ui-server';

// One runtime folder and one server for the whole file: `pnpm deploy` is the slow step.
test.describe.configure({ mode: 'serial' });

let appRoot = '';
let image: RuntimeImage;
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // The image's node (ARG NODE_IMAGE=node:20-…) is the major version this runs on.
  expect(`node:${process.versions.node.split('.')[0]}-`).toBe(/^node:\d+-/.exec(stage.nodeImage)?.[0]);
  appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-runtime-app-'));
  fs.chmodSync(appRoot, 0o755);
  buildRuntimeFolder(path.join(appRoot, 'meltano-ui'));
  image = await startRuntimeImage(path.join(appRoot, 'meltano-ui'));
});

test.afterAll(async () => {
  await image?.stop();
  if (appRoot) fs.rmSync(appRoot, { recursive: true, force: true });
});

test('holds only production dependencies and the built SPA', () => {
  const app = path.join(appRoot, 'meltano-ui');
  expect(fs.existsSync(path.join(app, 'web-dist', 'index.html'))).toBe(true);
  expect(stage.env.MELTANO_UI_WEB_ROOT).toBe(`${stage.appDir}/web-dist`);
  const modules = fs.readdirSync(path.join(app, 'node_modules', '.pnpm'));
  expect(modules.some((m) => m.startsWith('fastify@'))).toBe(true);
  for (const dev of ['vitest@', 'typescript@', '@playwright+test@', 'vite@']) {
    expect(
      modules.filter((m) => m.startsWith(dev)),
      dev,
    ).toEqual([]);
  }
});

test('runs as the image user, not root', () => {
  // PID 1 (tini) and the server under it.
  const uidOf = (pid: number) =>
    /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'gone';
  const children = fs
    .readFileSync(`/proc/${image.pid}/task/${image.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  const [uid] = image.user.split(':');
  expect(uid).not.toBe('0');
  expect(children).toHaveLength(image.withTini ? 1 : 0);
  expect(uidOf(image.pid)).toBe(uid);
  for (const child of children) expect(uidOf(child)).toBe(uid);
});

test('answers health and readiness with the image environment', async () => {
  const health = await fetch(`${image.url}/api/v1/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ healthy: true });
  const ready = await fetch(`${image.url}/api/v1/ready`);
  expect(ready.status).toBe(200);
  const body = (await ready.json()) as { ready: boolean; checks: { name: string; ok: boolean }[] };
  expect(body.ready).toBe(true);
  expect(body.checks.map((c) => [c.name, c.ok])).toEqual([
    ['project', true],
    ['database', true],
    ['logs', true],
  ]);
});

test('serves the SPA, and refuses project-file writes (MELTANO_PROJECT_READONLY=true)', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(image.url);
  await expect(page.getByRole('table', { name: /Schedules/ })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'daily-demo', exact: true })).toBeVisible();
  expect(errors).toEqual([]);

  const meltanoYml = path.join(image.projectRoot, 'meltano.yml');
  const before = sha256(meltanoYml);
  // From the page, as the SPA sends it (same origin, JSON, its CSRF header).
  const refusal = await page.evaluate(async () => {
    const res = await fetch('/api/v1/schedules', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'meltano-ui' },
      body: JSON.stringify({ name: 'from-the-image', job: 'demo-job', interval: '@daily' }),
    });
    return { status: res.status, body: await res.json() };
  });
  expect(refusal.status).toBe(499);
  expect(refusal.body.code).toBe('This Meltano project is deployed as read-only');
  expect(sha256(meltanoYml)).toBe(before);
});

test('PID 1 passes SIGTERM on and the server exits 0', async () => {
  expect(await image.stop()).toBe(0);
  expect(image.output()).not.toMatch(/EACCES|EROFS|permission denied/i);
});
