import { CoreError } from '../errors.js';
import { loadProject } from '../project/load-project.js';
import type { Project } from '../project/project.types.js';
import { projectErrorView } from '../project/project-error-view.js';
import {
  type Checkout,
  changedFiles,
  commitInfo,
  dirtyFiles,
  exportCommit,
  fetchBranch,
  isAncestor,
  type LogLine,
  readCheckout,
  resolveCommit,
} from './git-checkout.js';
import { runGit } from './git-command.js';

/** A deployment that cannot go on: the message is what the history and the log show. */
export class DeploymentFailure extends Error {}

export interface DeploymentRequest {
  root: string;
  remote: string;
  branch: string;
  /** A commit of the branch to deploy; null deploys the branch's tip. */
  commit: string | null;
}

export interface DeploymentOutcome {
  commit: string;
  previous_commit: string;
  author: string;
  message: string;
  installed: boolean;
}

export interface DeploymentHooks {
  log: LogLine;
  /** Called as soon as the commit to deploy is known (the history shows it while the rest runs). */
  resolved(info: { commit: string; previous_commit: string; author: string; message: string }): Promise<void>;
  /** Runs `meltano install` (all plugins); throws DeploymentFailure when it fails. */
  install(): Promise<void>;
  /** Re-reads the project files in this server (other replicas notice the files by themselves). */
  reload(): Promise<Project | null>;
}

/** What changed for `meltano install`: the plugins' identity and pip_url, and lock files. */
function pluginKey(project: Project): string {
  return JSON.stringify(
    project.plugins
      .map((p) => [p.type, p.name, p.variant, p.inherit_from, p.pip_url, p.executable])
      .sort((a, b) => String(a).localeCompare(String(b))),
  );
}

async function loads(root: string): Promise<{ ok: true; project: Project } | { ok: false; why: string }> {
  try {
    return { ok: true, project: await loadProject(root) };
  } catch (err) {
    if (!(err instanceof CoreError)) return { ok: false, why: (err as Error).message };
    const view = projectErrorView(root, err);
    const where = view.file ? `${view.file}${view.line ? `:${view.line}:${view.column ?? 1}` : ''}: ` : '';
    return { ok: false, why: `${where}${view.summary}` };
  }
}

/**
 * One deployment, in order: fetch, checks that change nothing (branch, commit on the branch, clean
 * work tree, fast-forward, the new commit's project loads), the fast-forward itself, `meltano install`
 * when plugins or lock files changed, and a reload.
 */
export async function runDeploymentSteps(
  req: DeploymentRequest,
  hooks: DeploymentHooks,
): Promise<DeploymentOutcome> {
  const { log } = hooks;
  const checkout: Checkout = await readCheckout(req.root);
  if (checkout.branch !== req.branch) {
    throw new DeploymentFailure(
      checkout.branch === null
        ? `The checkout is on a detached HEAD; deployments move the branch ${req.branch} (check it out first)`
        : `The checkout is on the branch ${checkout.branch}, not ${req.branch} (ui.deploy.branch)`,
    );
  }
  const tip = await fetchBranch(req.root, req.remote, req.branch, log);
  log(`${req.remote}/${req.branch} is at ${tip}`);
  let target = tip;
  if (req.commit !== null) {
    const found = await resolveCommit(req.root, req.commit);
    if (found === null) {
      throw new DeploymentFailure(
        `Commit ${req.commit} is not in the repository after fetching ${req.branch}`,
      );
    }
    if (!(await isAncestor(req.root, found, tip))) {
      throw new DeploymentFailure(`Commit ${found} is not on the branch ${req.branch} of ${req.remote}`);
    }
    target = found;
  }
  const info = await commitInfo(req.root, target);
  const previous = checkout.head;
  await hooks.resolved({
    commit: target,
    previous_commit: previous,
    author: `${info.author} <${info.email}>`,
    message: info.subject,
  });
  log(
    `Deploying ${target.slice(0, 12)} "${info.subject}" by ${info.author} (the checkout is at ${previous.slice(0, 12)})`,
  );

  const dirty = await dirtyFiles(req.root);
  if (dirty.length > 0) {
    throw new DeploymentFailure(
      `The work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}); nothing was changed`,
    );
  }
  const outcome = {
    commit: target,
    previous_commit: previous,
    author: `${info.author} <${info.email}>`,
    message: info.subject,
  };
  if (target === previous || (await isAncestor(req.root, target, previous))) {
    log(`The checkout already contains ${target.slice(0, 12)}; nothing to move`);
    await hooks.reload();
    return { ...outcome, installed: false };
  }
  if (!(await isAncestor(req.root, previous, target))) {
    throw new DeploymentFailure(
      `Not a fast-forward: the checkout's ${previous.slice(0, 12)} is not an ancestor of ${target.slice(0, 12)} ` +
        '(the branch was rewritten, or the checkout has commits of its own); nothing was changed',
    );
  }

  log('Checking that the new commit loads');
  const exported = await exportCommit(checkout, target);
  try {
    const check = await loads(exported.dir);
    if (!check.ok) {
      throw new DeploymentFailure(
        `The project of ${target.slice(0, 12)} does not load (${check.why}); nothing was changed`,
      );
    }
  } finally {
    await exported.cleanup();
  }

  const before = await loads(req.root);
  log(`$ git merge --ff-only ${target}`);
  await runGit(['merge', '--ff-only', '--no-edit', target], { cwd: req.root, onLine: log });
  const after = await loads(req.root);
  if (!after.ok) {
    // The exported copy loaded; this one differs only by files git does not track (.env).
    log(`$ git reset --keep ${previous}`);
    await runGit(['reset', '--keep', previous], { cwd: req.root, onLine: log });
    throw new DeploymentFailure(
      `The project does not load after the fast-forward (${after.why}); moved back to ${previous.slice(0, 12)}`,
    );
  }

  const changed = await changedFiles(req.root, previous, target);
  const prefix = checkout.prefix;
  const lockChanged = changed.some((f) => f.startsWith(`${prefix}plugins/`) && f.endsWith('.lock'));
  const pluginsChanged = !before.ok || pluginKey(before.project) !== pluginKey(after.project);
  let installed = false;
  if (pluginsChanged || lockChanged) {
    log(`${pluginsChanged ? 'The plugins' : 'Lock files'} changed: running meltano install`);
    await hooks.install();
    installed = true;
  } else {
    log('No plugin or lock file changed: meltano install is not needed');
  }
  const project = await hooks.reload();
  if (project) {
    log(
      `Project reloaded: ${project.plugins.length} plugins, ${project.schedules.length} schedules, ${project.jobs.length} jobs`,
    );
  }
  return { ...outcome, installed };
}
