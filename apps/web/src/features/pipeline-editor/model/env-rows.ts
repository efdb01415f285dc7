/** One `env:` entry being edited; `id` keeps React keys stable while keys are typed and rows reordered. */
export interface EnvRow {
  id: number;
  key: string;
  value: string;
}

/** What the API shows in place of a secret; sending it back keeps the value on disk. */
export const REDACTED = '(redacted)';

let nextId = 1;
export const newEnvRow = (key = '', value = ''): EnvRow => ({ id: nextId++, key, value });

export function envRows(env: Record<string, string>): EnvRow[] {
  return Object.entries(env).map(([key, value]) => newEnvRow(key, value));
}

/** Rows with an empty name and value are left out (an untouched "add" row). */
export function envMap(rows: readonly EnvRow[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const row of rows) {
    if (row.key.trim() === '' && row.value === '') continue;
    env[row.key.trim()] = row.value;
  }
  return env;
}

/** A problem per row id: a value without a name, a name twice, a name the shell could not export. */
export function envRowErrors(rows: readonly EnvRow[]): Map<number, string> {
  const errors = new Map<number, string>();
  const seen = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '' && row.value === '') continue;
    if (key === '') errors.set(row.id, 'Give the variable a name');
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      errors.set(row.id, 'Letters, digits and _ only, not starting with a digit');
    else if (seen.has(key)) errors.set(row.id, `${key} is set twice`);
    seen.add(key);
  }
  return errors;
}

export function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
