import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';

/**
 * Files matched by meltano.yml's `include_paths`, like Meltano's `Path(root).glob(pattern)`: relative to
 * the root, `*`, `?`, `[0-9]` and `**`, hidden files included, meltano.yml skipped, duplicates removed.
 * Meltano refuses to load when a match is a directory or resolves outside the root; here such matches
 * (and absolute or `..` patterns) are skipped instead, so a stray glob can never read outside the project.
 * Matches are sorted per pattern: Python's order is the directory listing's, which is not stable either.
 */
export async function resolveIncludePaths(root: string, patterns: readonly string[]): Promise<string[]> {
  const realRoot = await realpath(root);
  const meltanoYml = resolve(root, 'meltano.yml');
  const seen = new Set<string>();
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!isInsidePattern(pattern)) continue;
    const matches = await glob([pattern], {
      cwd: root,
      absolute: true,
      onlyFiles: true,
      dot: true,
      followSymbolicLinks: false,
      braceExpansion: false,
      extglob: false,
      expandDirectories: false,
    });
    for (const match of matches.map((m) => resolve(m)).sort()) {
      if (match === meltanoYml || seen.has(match)) continue;
      if (!(await isFileInside(match, realRoot))) continue;
      seen.add(match);
      files.push(match);
    }
  }
  return files;
}

function isInsidePattern(pattern: string): boolean {
  if (pattern.trim() === '' || isAbsolute(pattern) || pattern.startsWith('!')) return false;
  const normalized = posix.normalize(pattern.replaceAll('\\', '/'));
  return normalized !== '..' && !normalized.startsWith('../');
}

async function isFileInside(file: string, realRoot: string): Promise<boolean> {
  try {
    const [info, real] = await Promise.all([stat(file), realpath(file)]);
    return info.isFile() && real.startsWith(join(realRoot, sep));
  } catch {
    return false;
  }
}
