import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../../src/dockerfile-stages.js';

// The package is CommonJS (`module.exports = factory`) but its types declare a default export, which
// TypeScript's NodeNext reading gets wrong; require gives the factory either way.
const ignore: typeof import('@balena/dockerignore').default = createRequire(import.meta.url)(
  '@balena/dockerignore',
);

/**
 * Whether a repository path (relative, POSIX) reaches `docker build`'s context, by .dockerignore as
 * Docker reads it: @balena/dockerignore ports moby's matcher (`*` stays in one folder, a bare name
 * matches at the root only, an excluded folder excludes what it holds).
 */
export function buildContextFilter(): (relativePath: string) => boolean {
  const rules = fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
  const matcher = ignore().add(rules);
  return (relativePath) => !matcher.ignores(relativePath);
}
