import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginDefinition } from '../plugin-catalog/catalog.types.js';
import type { Project } from '../project/project.types.js';
import { writeFileAtomically } from './atomic-write.js';

/** `plugins/<type>/<name>--<variant>.lock`, where `meltano add` locks a discoverable plugin's definition. */
export function lockFilePath(root: string, type: string, name: string, variant: string): string {
  return join(root, 'plugins', type, `${name}--${variant}.lock`);
}

/**
 * Locks the definition the plugin was added from, as `meltano add` does. A lock file already there is kept:
 * it is what the project pinned, and may be fuller than a definition from the offline catalog.
 */
export async function writeLockFile(root: string, definition: PluginDefinition): Promise<string> {
  const file = lockFilePath(root, definition.type, definition.name, definition.variant);
  if (
    await stat(file).then(
      () => true,
      () => false,
    )
  ) {
    return file;
  }
  const locked = {
    plugin_type: definition.type,
    ...definition.raw,
    name: definition.name,
    variant: definition.variant,
  };
  await mkdir(join(root, 'plugins', definition.type), { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(locked, null, 2)}\n`);
  return file;
}

/**
 * Deletes the lock files of a removed plugin (`<name>.lock`, `<name>--<variant>.lock`), as `meltano remove`
 * does, but only its own (Meltano's `<name>*.lock` glob would also take `<name>-other.lock`) and none that a
 * plugin still in the project resolves its definition from.
 */
export async function removeLockFiles(project: Project, type: string, name: string): Promise<string[]> {
  // A child kept by a forced removal now inherits from the hub plugin of that name, through this lock.
  if (project.plugins.some((p) => p.type === type && p.inherit_from === name)) return [];
  const dir = join(project.root, 'plugins', type);
  const entries = await readdir(dir).catch(() => [] as string[]);
  const own = entries.filter(
    (entry) => entry === `${name}.lock` || (entry.startsWith(`${name}--`) && entry.endsWith('.lock')),
  );
  for (const entry of own) await unlink(join(dir, entry));
  return own.map((entry) => join(dir, entry));
}
