/** The edit form's text fields: `KEY=value` lines for env maps, JSON for a plugin override's config. */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function envToLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** `KEY=value` per line (the value may hold '='; blank lines skipped), as a .env file reads. */
export function linesToEnv(text: string): Parsed<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, error: `Line ${i + 1}: write KEY=value` };
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      return { ok: false, error: `Line ${i + 1}: '${key}' is not a variable name` };
    if (key in env) return { ok: false, error: `Line ${i + 1}: ${key} is given twice` };
    env[key] = line.slice(eq + 1);
  }
  return { ok: true, value: env };
}

export function configToText(config: Record<string, unknown>): string {
  return Object.keys(config).length === 0 ? '{}' : JSON.stringify(config, null, 2);
}

export function textToConfig(text: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'A JSON object, like {"client_id": "abc"}' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
