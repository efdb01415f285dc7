import type { ResolvedSetting } from '../../lib/api-types';

/** The layer a value came from, as the Environment tab names it: short ("from base") and in full. */
export interface Layer {
  short: string;
  detail: string;
}

const SOURCE_DETAIL: Record<ResolvedSetting['source'], string> = {
  config_override: 'command-line override',
  env: 'process environment',
  dotenv: '.env file',
  meltano_environment: "environment's config in meltano.yml",
  meltano_yml: 'plugin config in meltano.yml',
  db: 'system database (plugin_settings)',
  inherited: 'the parent plugin (inherit_from)',
  default: "the setting's default",
};

function shortFor(source: ResolvedSetting['source'], environment: string | null, scheduleEnv: boolean) {
  switch (source) {
    case 'meltano_yml':
      return 'from base';
    case 'meltano_environment':
      return `from ${environment ?? 'environment'} override`;
    case 'inherited':
      return 'inherited';
    case 'dotenv':
      return 'from .env';
    case 'env':
      return scheduleEnv ? 'from schedule env' : 'from process environment';
    case 'db':
      return 'from system DB';
    case 'config_override':
      return 'from override';
    case 'default':
      return 'default';
  }
}

/**
 * "from base" / "from prod override", as Meltano's workspace guide words it. A variable the schedule's
 * own `env` sets counts as the process environment of its runs; the tab says which it is.
 */
export function settingLayer(
  s: Pick<ResolvedSetting, 'source' | 'inherited_source' | 'env_var' | 'is_set'>,
  environment: string | null,
  scheduleEnvVars: readonly string[],
): Layer {
  if (!s.is_set) return { short: 'not set', detail: 'No layer sets it and it has no default' };
  const fromSchedule = s.source === 'env' && s.env_var !== null && scheduleEnvVars.includes(s.env_var);
  let detail = fromSchedule ? "the schedule's env (passed to its runs)" : SOURCE_DETAIL[s.source];
  if (s.env_var && (s.source === 'env' || s.source === 'dotenv')) detail += ` as ${s.env_var}`;
  if (s.source === 'inherited' && s.inherited_source) {
    detail += `, where it comes from the ${SOURCE_DETAIL[s.inherited_source]}`;
  }
  return { short: shortFor(s.source, environment, fromSchedule), detail };
}

/** A value as the table shows it: strings as written, anything else as JSON; unset as a dash. */
export function shownValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
