import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoreError } from '../errors.js';
import { GitCommandError, runGit } from './git-command.js';

/** Where the project sits in its Git work tree (a project may live in a subfolder of a repository). */
export interface Checkout {
  /** The work tree's top folder. */
  top: string;
  /** The project's folder inside it, `''` or ending in `/`. */
  prefix: string;
  /** The checked-out branch; null on a detached HEAD. */
  branch: string | null;
  head: string;
}

export class NotAGitCheckoutError extends CoreError {
  constructor(root: string, reason: string) {
    super(
      'not_a_git_checkout',
      409,
      `The project at ${root} is not a Git checkout deployments can move (${reason})`,
    );
  }
}

export type LogLine = (line: string) => void;

const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export async function readCheckout(root: string): Promise<Checkout> {
  let top: string;
  try {
    top = (await runGit(['rev-parse', '--show-toplevel'], { cwd: root, timeoutMs: 10_000 })).stdout.trim();
  } catch (err) {
    throw new NotAGitCheckoutError(root, err instanceof Error ? err.message : String(err));
  }
  const prefix = (await runGit(['rev-parse', '--show-prefix'], { cwd: root })).stdout.trim();
  const head = await runGit(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: root, okCodes: [1] });
  if (head.code !== 0) throw new NotAGitCheckoutError(root, 'it has no commit yet');
  const branch = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: root, okCodes: [1] });
  return {
    top,
    prefix,
    branch: branch.code === 0 ? branch.stdout.trim() : null,
    head: head.stdout.trim(),
  };
}

/** `git fetch <remote> <branch>`, logged line by line; the fetched tip's full hash. */
export async function fetchBranch(
  root: string,
  remote: string,
  branch: string,
  log: LogLine,
): Promise<string> {
  log(`$ git fetch ${remote} ${branch}`);
  await runGit(['fetch', '--no-tags', '--', remote, `refs/heads/${branch}`], { cwd: root, onLine: log });
  return (await runGit(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'], { cwd: root })).stdout.trim();
}

/**
 * Fetches several branches into `refs/remotes/<remote>/…` (as a plain `git fetch` with the default
 * refspec would) and returns each tip; a branch the remote does not have is null.
 */
export async function fetchBranches(
  root: string,
  remote: string,
  branches: string[],
  log: LogLine,
): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const branch of branches) {
    try {
      await runGit(
        ['fetch', '--no-tags', '--', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`],
        { cwd: root, onLine: log },
      );
      out[branch] = (
        await runGit(['rev-parse', '--verify', `refs/remotes/${remote}/${branch}^{commit}`], { cwd: root })
      ).stdout.trim();
    } catch (err) {
      if (!(err instanceof GitCommandError)) throw err;
      log(err.message);
      out[branch] = null;
    }
  }
  return out;
}

/** The full hash `rev` names, or null when the repository has no such commit. */
export async function resolveCommit(root: string, rev: string): Promise<string | null> {
  const found = await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], {
    cwd: root,
    okCodes: [1, 128],
  });
  const sha = found.stdout.trim();
  return found.code === 0 && FULL_SHA.test(sha) ? sha : null;
}

export async function isAncestor(root: string, ancestor: string, of: string): Promise<boolean> {
  const result = await runGit(['merge-base', '--is-ancestor', ancestor, of], { cwd: root, okCodes: [1] });
  return result.code === 0;
}

export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  date: string;
  subject: string;
}

const COMMIT_FORMAT = '%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e';

function parseCommits(text: string): CommitInfo[] {
  return text
    .split('\x1e')
    .map((record) => record.trim())
    .filter((record) => record !== '')
    .map((record) => {
      const [sha = '', author = '', email = '', date = '', subject = ''] = record.split('\x1f');
      return { sha, author, email, date: new Date(date).toISOString(), subject };
    });
}

export async function commitInfo(root: string, sha: string): Promise<CommitInfo> {
  const out = await runGit(['show', '-s', `--format=${COMMIT_FORMAT}`, sha, '--'], { cwd: root });
  const [info] = parseCommits(out.stdout);
  if (!info) throw new GitCommandError(['show'], `no commit ${sha}`);
  return info;
}

/** Commits reachable from `to` and not from `from`, newest first, at most `limit`. */
export async function commitsBetween(root: string, from: string, to: string, limit: number) {
  const out = await runGit(
    ['log', `--max-count=${limit + 1}`, `--format=${COMMIT_FORMAT}`, `${from}..${to}`, '--'],
    {
      cwd: root,
    },
  );
  const commits = parseCommits(out.stdout);
  return { commits: commits.slice(0, limit), truncated: commits.length > limit };
}

/** Tracked files changed in the work tree or the index (untracked ones are git's to refuse on merge). */
export async function dirtyFiles(root: string): Promise<string[]> {
  const out = await runGit(['status', '--porcelain', '--untracked-files=no'], { cwd: root });
  return out.stdout
    .split('\n')
    .map((l) => l.slice(3).trim())
    .filter((l) => l !== '');
}

export async function changedFiles(root: string, from: string, to: string): Promise<string[]> {
  const out = await runGit(['diff', '--name-only', '--no-renames', from, to, '--'], { cwd: root });
  return out.stdout.split('\n').filter((l) => l !== '');
}

/**
 * The files of commit `sha` written to a temporary folder, through a throwaway index: the checkout,
 * its index and HEAD are not touched. Returns the folder and a function that removes it.
 */
export async function exportCommit(
  checkout: Checkout,
  sha: string,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meltano-ui-deploy-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const env = { ...process.env, GIT_INDEX_FILE: path.join(dir, '.index') };
    const tree = path.join(dir, 'tree');
    await runGit(['read-tree', sha], { cwd: checkout.top, env });
    await runGit(['checkout-index', '-a', '-f', `--prefix=${tree}/`], { cwd: checkout.top, env });
    return { dir: path.join(tree, checkout.prefix), cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
