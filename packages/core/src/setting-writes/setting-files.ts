import { readFile } from 'node:fs/promises';
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

/**
 * Rewrites the project's `.env` with `edit` applied to its current text (read under the lock, so an edit
 * made meanwhile by hand or by the CLI is kept); a new file is created 0600, as it holds secrets.
 */
export async function editDotenvFile(root: string, edit: (text: string) => string): Promise<boolean> {
  const file = dotenvPath(root);
  const original = await readOptional(file);
  const text = edit(original ?? '');
  if (text === (original ?? '')) return false;
  await writeFileAtomically(file, text, 0o600);
  return true;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
