import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError } from '../errors.js';
import { includePatterns } from '../project/load-project.js';
import { maskSecretText } from '../project/project-error-view.js';
import { parseYamlText } from '../project/yaml-file.js';
import { type CommitInfo, commitsBetween, fetchBranches, readCheckout } from './git-checkout.js';
import { runGit } from './git-command.js';

/** At most this much diff text is returned; the rest is cut (`diff_truncated`). */
const MAX_DIFF_BYTES = 512 * 1024;
const MAX_COMMITS = 200;

export interface PromotionFile {
  path: string;
  additions: number | null;
  deletions: number | null;
}

export interface Promotion {
  /** This workspace's branch, as fetched: what a merge into `target` would bring. */
  source: { branch: string; commit: string | null; deployed: string };
  target: { branch: string; commit: string | null };
  commits: CommitInfo[];
  commits_truncated: boolean;
  files: PromotionFile[];
  diff: string;
  diff_truncated: boolean;
  fetch_log: string[];
}

/** meltano.yml, the files its include_paths match, and lock files, as git pathspecs. */
async function projectPathspecs(root: string, prefix: string): Promise<string[]> {
  const meltanoYml = path.join(root, 'meltano.yml');
  let patterns: string[] = [];
  try {
    patterns = includePatterns(parseYamlText(meltanoYml, await readFile(meltanoYml, 'utf8'), root).data);
  } catch {
    // A broken meltano.yml: its own diff is still shown.
  }
  const globs = patterns
    .map((p) => p.replace(/^\.\//, ''))
    .filter((p) => !p.startsWith('/') && !p.includes('..'));
  return [
    `:(top,literal)${prefix}meltano.yml`,
    ...globs.map((g) => `:(top,glob)${prefix}${g}`),
    `:(top,glob)${prefix}plugins/**/*.lock`,
  ];
}

/**
 * What promoting this workspace's branch to `target` would change: after fetching both, the commits on
 * this branch not on `target` (`target..this`) and the diff of the project files since their merge base
 * (`target...this`), as a pull request from this branch into `target` would show.
 */
export async function comparePromotion(opts: {
  root: string;
  remote: string;
  branch: string;
  target: string;
}): Promise<Promotion> {
  const checkout = await readCheckout(opts.root);
  const fetchLog: string[] = [];
  const tips = await fetchBranches(opts.root, opts.remote, [opts.branch, opts.target], (l) =>
    fetchLog.push(l),
  );
  const source = tips[opts.branch] ?? null;
  const target = tips[opts.target] ?? null;
  const base = {
    source: { branch: opts.branch, commit: source, deployed: checkout.head },
    target: { branch: opts.target, commit: target },
    fetch_log: fetchLog.slice(-50),
  };
  if (target === null) {
    throw new ConflictError('branch_not_found', `The remote ${opts.remote} has no branch ${opts.target}`, {
      branch: opts.target,
    });
  }
  // Without the branch on the remote, what is deployed here is what would be promoted.
  const from = source ?? checkout.head;
  const { commits, truncated } = await commitsBetween(opts.root, target, from, MAX_COMMITS);
  const specs = await projectPathspecs(opts.root, checkout.prefix);
  const range = `${target}...${from}`;
  const numstat = await runGit(['diff', '--numstat', '--no-renames', range, '--', ...specs], {
    cwd: checkout.top,
  });
  const files = numstat.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [added = '-', deleted = '-', ...name] = l.split('\t');
      return {
        path: path.posix.relative(checkout.prefix || '.', name.join('\t')) || name.join('\t'),
        additions: added === '-' ? null : Number(added),
        deletions: deleted === '-' ? null : Number(deleted),
      };
    });
  const diff = await runGit(['diff', '--no-color', '--no-ext-diff', '--no-renames', range, '--', ...specs], {
    cwd: checkout.top,
  });
  // Project files may hold secrets written in plain text: masked as in every other quote of them.
  const text = maskSecretText(diff.stdout);
  const bytes = Buffer.from(text, 'utf8');
  const cut = bytes.length > MAX_DIFF_BYTES;
  return {
    ...base,
    commits,
    commits_truncated: truncated,
    files,
    diff: cut
      ? bytes
          .subarray(0, MAX_DIFF_BYTES)
          .toString('utf8')
          .replace(/\uFFFD$/, '')
      : text,
    diff_truncated: cut,
  };
}
