import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { copyProject, REAL_MELTANO, type RunningUi, startUi, watchErrors } from '../support/ui-server';

// Deployments from a bare Git repository on disk (no network); the webhook is signed as GitHub signs it.
const SECRET = 'e2e-deploy-secret-7c1f';
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Dana Dev',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Dev',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

let ui: RunningUi;
let dev: string;
let remote: string;

test.beforeAll(async () => {
  const root = copyProject(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
  remote = `${root}-remote.git`;
  dev = `${root}-dev`;
  fs.writeFileSync(path.join(root, '.gitignore'), '.meltano/\n.env\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'The project');
  git(path.dirname(root), 'clone', '-q', '--bare', root, remote);
  git(root, 'remote', 'add', 'origin', remote);
  git(path.dirname(root), 'clone', '-q', remote, dev);
  ui = await startUi(root, {
    MELTANO_UI_DEPLOY_SECRET: SECRET,
    MELTANO_PROJECT_READONLY: 'true',
    MELTANO_UI_WORKSPACES: JSON.stringify({
      staging: { url: 'https://staging.example.com', branch: 'staging' },
    }),
  });
});
test.afterAll(async () => {
  await ui?.stop();
  for (const dir of [ui?.root, remote, dev]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function pushSchedule(): string {
  const file = path.join(dev, 'meltano.yml');
  const yml = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    yml.replace(
      '\nschedules:\n',
      '\nschedules:\n- name: pushed-schedule\n  interval: "@hourly"\n  job: demo-job\n',
    ),
  );
  git(dev, 'commit', '-q', '-am', 'Add pushed-schedule');
  git(dev, 'push', '-q', 'origin', 'main');
  return git(dev, 'rev-parse', 'HEAD');
}

test('a signed push deploys; the history, the log and the new schedule show in the browser', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(`${ui.url}/deployments`);
  await expect(page.getByText('No deployments yet.')).toBeVisible();

  const sha = pushSchedule();
  const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, pusher: { name: 'dana' } });
  const res = await fetch(`${ui.url}/api/v1/deployments/github-webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  expect(res.status).toBe(202);

  // The list refreshes itself: the deployment appears and ends without a reload.
  const row = page.getByRole('row', { name: /Add pushed-schedule/ });
  await expect(row.getByText('Succeeded')).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText(sha.slice(0, 10));
  await expect(row).toContainText('GitHub push');
  await page.screenshot({ path: 'artifacts/deployments.png', fullPage: true });
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Deployment of main/ })).toBeVisible();
  const log = page.getByRole('region', { name: 'Log' });
  await expect(log).toContainText('$ git fetch origin main');
  await expect(log).toContainText(`$ git merge --ff-only ${sha}`);
  await expect(log).toContainText('Project reloaded');

  await page.getByRole('link', { name: 'Pipelines' }).click();
  await expect(page.getByRole('link', { name: 'pushed-schedule', exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test('Deploy now queues a deployment of the branch tip and opens it', async ({ page }) => {
  await page.goto(`${ui.url}/deployments`);
  await page.getByRole('button', { name: 'Deploy now' }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: 'Log' })).toContainText('already contains');
});

test('the header lists the other stages; Promote shows the commits and the meltano.yml diff', async ({
  page,
}) => {
  git(dev, 'push', '-q', 'origin', 'HEAD~1:refs/heads/staging');
  await page.goto(`${ui.url}/deployments`);
  await page.getByText('Workspace: main').click();
  await expect(page.getByRole('link', { name: /staging \(staging\)/ })).toHaveAttribute(
    'href',
    'https://staging.example.com',
  );
  await page.getByRole('link', { name: 'Compare with another stage' }).click();
  await expect(page.getByRole('heading', { name: 'Promote main' })).toBeVisible();
  const commits = page.getByRole('region', { name: 'Commits' });
  await expect(commits.getByRole('row', { name: /Add pushed-schedule/ })).toContainText('Dana Dev');
  const files = page.getByRole('region', { name: 'Project files' });
  await expect(files).toContainText('meltano.yml');
  await expect(files).toContainText('+- name: pushed-schedule');
  await page.screenshot({ path: 'artifacts/promote.png', fullPage: true });
});
