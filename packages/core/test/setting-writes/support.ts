import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { copyFixtureDb } from '../support/fixtures.js';

/** The v4.2.2 fixture's system DB (Meltano's tables and its two plugin_settings rows) next to a project copy. */
export async function fixtureDbIn(dir: string): Promise<SystemDatabase> {
  const file = await copyFixtureDb('v4.2.2', dir);
  return openSystemDatabase({ kind: 'sqlite', file, display: file });
}

/** The raw `value` bytes of one plugin_settings row, as hex; null when there is no such row. */
export async function rowHex(db: SystemDatabase, namespace: string, name: string): Promise<string | null> {
  const row = (await db.withKysely((k) =>
    k
      .selectFrom('plugin_settings')
      .select('value')
      .where('namespace', '=', namespace)
      .where('name', '=', name)
      .executeTakeFirst(),
  )) as { value: Uint8Array } | undefined;
  return row ? Buffer.from(row.value).toString('hex') : null;
}

export async function readText(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

export async function snapshot(root: string, files: string[]): Promise<Record<string, string | null>> {
  const all = [...files, join(root, '.env')];
  return Object.fromEntries(
    await Promise.all(all.map(async (file) => [file, await readText(file)] as const)),
  );
}
