/**
 * Meltano's `$VAR` expansion (`meltano.core.utils.expand_env_vars` plus the "all missing → None" rule of
 * `SettingsService.get_with_source`). `$NAME` only for upper-case names, so `default$default-User.*` in a
 * select rule stays literal while `${default}` would not.
 */
const ENV_VAR_PATTERN = /(\\)?\$(?:\{(\w+)\}|([A-Z][A-Z0-9_]*))/g;

export type EnvLookup = Record<string, string | undefined>;

/**
 * Expand `$NAME` / `${name}` from `env`. `\$NAME` yields the literal `$NAME`. Missing variables become "".
 * Returns null when a non-empty value expands to "" (it consisted only of missing or empty variables).
 */
export function expandEnvVars(value: string, env: EnvLookup): string | null {
  const expanded = substitute(value, env);
  return value !== '' && expanded === '' ? null : expanded;
}

function substitute(value: string, env: EnvLookup): string {
  return value.replace(
    ENV_VAR_PATTERN,
    (_match, escaped: string | undefined, curly: string | undefined, plain: string | undefined) => {
      const name = (curly ?? plain) as string;
      if (escaped) return curly ? `\${${name}}` : `$${name}`;
      return Object.hasOwn(env, name) ? (env[name] ?? '') : '';
    },
  );
}

/**
 * Expand every string inside nested objects and arrays; other values are returned unchanged. Only a
 * top-level string can become null: Meltano applies that rule to a setting's whole value, and a nested
 * string that expands to nothing stays "".
 */
export function expandDeep(value: unknown, env: EnvLookup): unknown {
  if (typeof value === 'string') return expandEnvVars(value, env);
  return expandNested(value, env);
}

function expandNested(value: unknown, env: EnvLookup): unknown {
  if (typeof value === 'string') return substitute(value, env);
  if (Array.isArray(value)) return value.map((item) => expandNested(item, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandNested(item, env)]));
  }
  return value;
}

/**
 * The variables `$NAME` / `${name}` in `value` (every string inside objects and arrays) would read, in
 * first-seen order; an escaped `\$NAME` reads nothing.
 */
export function envReferenceNames(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      for (const m of item.matchAll(ENV_VAR_PATTERN)) if (!m[1]) names.add((m[2] ?? m[3]) as string);
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (typeof item === 'object' && item !== null) Object.values(item).forEach(visit);
  };
  visit(value);
  return [...names];
}
