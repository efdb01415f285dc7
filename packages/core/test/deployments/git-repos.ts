import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Dana Dev',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Dev',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export const BASE_YML = `version: 1
default_environment: dev
project_id: deploy-test
environments:
- name: dev
- name: prod
plugins:
  extractors:
  - name: tap-csv
    variant: meltanolabs
    pip_url: git+https://github.com/MeltanoLabs/tap-csv.git
  loaders:
  - name: target-jsonl
    variant: andyh1203
    pip_url: target-jsonl
schedules:
- name: daily-csv
  interval: '@daily'
  extractor: tap-csv
  loader: target-jsonl
  transform: skip
`;

/**
 * A bare repository on disk as the remote (no network), a clone where "developers" commit and push,
 * and the project checkout the UI serves (a clone on `main`).
 */
export interface GitSetup {
  dir: string;
  remote: string;
  dev: string;
  project: string;
  /** Writes files in the developer clone, commits and pushes to main; returns the new commit. */
  push(files: Record<string, string>, message: string, branch?: string): string;
  cleanup(): void;
}

export function createGitSetup(): GitSetup {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-git-'));
  const remote = path.join(dir, 'remote.git');
  const dev = path.join(dir, 'dev');
  const project = path.join(dir, 'project');
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(dir, 'init', '-q', '-b', 'main', dev);
  git(dev, 'remote', 'add', 'origin', remote);
  writeFileSync(path.join(dev, 'meltano.yml'), BASE_YML);
  writeFileSync(path.join(dev, '.gitignore'), '.meltano/\n.env\n');
  git(dev, 'add', '-A');
  git(dev, 'commit', '-q', '-m', 'Initial project');
  git(dev, 'push', '-q', 'origin', 'main');
  git(dir, 'clone', '-q', '-b', 'main', remote, project);
  return {
    dir,
    remote,
    dev,
    project,
    push(files, message, branch = 'main') {
      const current = git(dev, 'rev-parse', '--abbrev-ref', 'HEAD');
      if (current !== branch) {
        const exists = git(dev, 'branch', '--list', branch) !== '';
        git(dev, 'checkout', '-q', ...(exists ? [branch] : ['-b', branch]));
      }
      for (const [file, text] of Object.entries(files)) {
        const full = path.join(dev, file);
        execFileSync('mkdir', ['-p', path.dirname(full)]);
        writeFileSync(full, text);
      }
      git(dev, 'add', '-A');
      git(dev, 'commit', '-q', '-m', message);
      git(dev, 'push', '-q', 'origin', branch);
      return git(dev, 'rev-parse', 'HEAD');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
