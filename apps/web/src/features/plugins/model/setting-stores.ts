import type { PluginSetting, SettingStore, SettingWritten } from '../../../lib/api-types';

/** Where a value came from, in Meltano's order of precedence. */
export const SOURCE_LABELS: Record<PluginSetting['source'], string> = {
  config_override: 'command line',
  env: 'environment variable',
  dotenv: '.env',
  meltano_environment: 'environment in meltano.yml',
  meltano_yml: 'meltano.yml',
  db: 'system database',
  inherited: 'parent plugin',
  default: 'default',
};

/** A store a value can be written to, in words; `environment` names meltano.yml's environment block. */
export function storeLabel(store: SettingStore, environment: string | null): string {
  switch (store) {
    case 'dotenv':
      return '.env';
    case 'meltano_environment':
      return environment ? `meltano.yml (environment ${environment})` : 'meltano.yml (environment)';
    case 'meltano_yml':
      return 'meltano.yml';
    case 'db':
      return 'the system database';
  }
}

/** "Saved to .env as TAP_X_API_KEY", naming the file actually written (an included file, say). */
export function savedMessage(
  written: Pick<SettingWritten, 'store' | 'file' | 'env_var'> & { notices?: string[] },
  environment: string | null,
  projectReadonly: boolean,
): string {
  // What else the write changed (a `.env` others could read made 0600), after where it went.
  const notices = (written.notices ?? []).map((n) => `. ${n}`).join('');
  return `${savedWhere(written, environment, projectReadonly)}${notices}`;
}

function savedWhere(
  written: Pick<SettingWritten, 'store' | 'file' | 'env_var'>,
  environment: string | null,
  projectReadonly: boolean,
): string {
  switch (written.store) {
    case 'dotenv':
      return `Saved to ${written.file ?? '.env'}${written.env_var ? ` as ${written.env_var}` : ''}`;
    case 'meltano_environment':
      return `Saved to ${written.file ?? 'meltano.yml'} (environment ${environment ?? 'active'})`;
    case 'meltano_yml':
      return `Saved to ${written.file ?? 'meltano.yml'}`;
    case 'db':
      return `Saved to the system database${projectReadonly ? ' (project is read-only)' : ''}`;
    default:
      return 'Saved';
  }
}

/** What `meltano config unset` removed, store by store. */
export function unsetMessage(removedFrom: readonly SettingStore[], environment: string | null): string {
  if (removedFrom.length === 0) return 'Nothing to remove: no store of this project held a value';
  return `Unset: removed from ${removedFrom.map((s) => storeLabel(s, environment)).join(', ')}`;
}

/** Whether Unset has anything it may remove: the value is held in a store this project writes. */
export function canUnset(setting: Pick<PluginSetting, 'source' | 'value' | 'locked'>): boolean {
  if (setting.locked || setting.value === null) return false;
  return ['dotenv', 'meltano_environment', 'meltano_yml', 'db'].includes(setting.source);
}
