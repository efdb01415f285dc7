import { chmod, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CoreError } from '../errors.js';
import { parseYamlText } from '../project/yaml-file.js';
import { atomicWriteYaml, writeFileAtomically } from '../project-writes/atomic-write.js';
import { stableJson } from '../project-writes/fingerprint.js';
import { parseYamlSource } from '../project-writes/yaml-source.js';
import { removeInData, setInData, type YamlPath } from './yaml-path.js';
import { spliceRemove, spliceSet } from './yaml-path-edit.js';

/** Writes of the two file stores, called under the project lock; each returns whether the file changed. */

export type YamlEdit =
  | { kind: 'set'; path: YamlPath; yaml: unknown; data: unknown }
  | { kind: 'remove'; path: YamlPath; pruneFrom: number };

const parse = (file: string, text: string, root: string) =>
  parseYamlText(file, text.replace(/^\uFEFF/, ''), root).data;

/**
 * Splices `edits` into a project YAML file one after the other, checks the result parses to exactly the
 * intended data, and replaces the file atomically (refused when it changed since it was read).
 */
export async function editYamlFile(root: string, file: string, edits: YamlEdit[]): Promise<boolean> {
  const original = await readFile(file, 'utf8');
  let text = original;
  let expected: unknown = parse(file, original, root);
  for (const edit of edits) {
    const src = parseYamlSource(file, text);
    const data = parse(file, text, root);
    if (edit.kind === 'set') {
      text = spliceSet(src, data, edit.path, edit.yaml);
      expected = setInData(expected, edit.path, edit.data);
    } else {
      text = spliceRemove(src, data, edit.path, edit.pruneFrom);
      expected = removeInData(expected, edit.path, edit.pruneFrom);
    }
  }
  if (text === original) return false;
  if (stableJson(parse(file, text, root)) !== stableJson(expected)) {
    throw new CoreError(
      'project_write_failed',
      500,
      `Editing ${relative(root, file)} did not produce the intended setting`,
    );
  }
  await atomicWriteYaml(file, text, { root, expectedCurrent: original });
  return true;
}

export function dotenvPath(root: string): string {
  return join(root, '.env');
}

/** What editDotenvFile did. */
export interface DotenvEdit {
  changed: boolean;
  /** The mode the file had when it was tightened to 0600 (it held a secret, readable by group/others). */
  tightenedFrom: number | null;
}

/**
 * Rewrites the project's `.env` with `edit` applied to its current text (read under the lock, so an edit
 * made meanwhile by hand or by the CLI is kept); a new file is created 0600, as it holds secrets. When
 * `secret` is written into an existing file that group or others may read, it becomes 0600 (the caller
 * says so): a secret in a world-readable file is readable by every local account.
 */
export async function editDotenvFile(
  root: string,
  edit: (text: string) => string,
  options: { secret?: boolean } = {},
): Promise<DotenvEdit> {
  const file = dotenvPath(root);
  const original = await readOptional(file);
  const text = edit(original ?? '');
  const mode = original === null ? null : (await stat(file)).mode & 0o7777;
  const tightenedFrom = options.secret === true && mode !== null && (mode & 0o077) !== 0 ? mode : null;
  if (text === (original ?? '')) {
    if (tightenedFrom !== null) await chmod(await realpath(file), 0o600);
    return { changed: false, tightenedFrom };
  }
  await writeFileAtomically(file, text, 0o600, tightenedFrom === null ? undefined : 0o600);
  return { changed: true, tightenedFrom };
}

/** The words a write's `notices` and the log use for a tightened `.env` (never its content). */
export function dotenvTightenedNotice(from: number): string {
  return `.env was readable by other users (mode ${from.toString(8).padStart(4, '0')}); it now holds a secret, so its mode was changed to 0600`;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
