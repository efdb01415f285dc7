import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ProjectFileError } from '../errors.js';
import { isRecord, type RawMap } from './raw-values.js';

/**
 * Meltano keeps a discoverable plugin's full definition in `plugins/<type>/<name>--<variant>.lock` (JSON);
 * custom plugins added without a variant get `plugins/<type>/<name>.lock`.
 */
export async function findLockFile(
  root: string,
  type: string,
  name: string,
  variant: string | null,
): Promise<string | null> {
  const dir = join(root, 'plugins', type);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return null;
  }
  const present = new Set(entries);
  const exact = variant ? `${name}--${variant}.lock` : `${name}.lock`;
  if (present.has(exact)) return join(dir, exact);
  if (variant && present.has(`${name}.lock`)) return join(dir, `${name}.lock`);
  if (!variant) {
    // meltano.yml may leave the variant to the hub default while the lock file names it.
    const variants = entries.filter((entry) => entry.startsWith(`${name}--`) && entry.endsWith('.lock'));
    if (variants.length === 1 && variants[0]) return join(dir, variants[0]);
  }
  return null;
}

export async function readLockFile(file: string, root: string): Promise<RawMap> {
  const shown = relative(root, file);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ProjectFileError(`${shown}: not a readable JSON lock file (${(error as Error).message})`, {
      file,
      line: null,
      column: null,
    });
  }
  if (!isRecord(data)) {
    throw new ProjectFileError(`${shown}: a plugin lock file must hold a JSON object`, {
      file,
      line: 1,
      column: 1,
    });
  }
  return data;
}

/** Every `plugins/<type>/*.lock` file, for change detection. */
export async function listLockFiles(root: string): Promise<string[]> {
  const base = join(root, 'plugins');
  let types: string[];
  try {
    types = await readdir(base);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const type of types.sort()) {
    try {
      const entries = await readdir(join(base, type));
      for (const entry of entries.sort()) if (entry.endsWith('.lock')) files.push(join(base, type, entry));
    } catch {
      // Not a directory.
    }
  }
  return files;
}
