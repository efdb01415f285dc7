import type { Project, ProjectPlugin, SettingDefinition } from '../project/project.types.js';

/**
 * Env var names as Meltano builds them (`utils.to_env_var`): each part upper-cased with every
 * non-alphanumeric turned into `_`, parts joined by `_`. An extra `_select` therefore gives `X__SELECT`.
 */
export function toEnvVar(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => !!part)
    .map((part) => part.replace(/[^A-Za-z0-9]/g, '_').toUpperCase())
    .join('_');
}

function uniques(values: string[]): string[] {
  return [...new Set(values)];
}

/** `PluginType.singular`: `utilities` → `utility`, else the plural minus its `s`. */
export function pluginTypeSingular(type: string): string {
  return type === 'utilities' ? 'utility' : type.slice(0, -1);
}

/**
 * `PluginType.verb`, used in `MELTANO_<VERB>_<SETTING>`: three letters chopped off the plural except
 * for transforms, utilities and mappers, hence the odd but real `ORCHESTRAT` and `FI`.
 */
export function pluginTypeVerb(type: string): string {
  if (type === 'transforms') return 'transform';
  if (type === 'utilities') return 'utilize';
  if (type === 'mappers') return 'map';
  return type.slice(0, -3);
}

function readPrefixes(plugin: ProjectPlugin): string[] {
  return uniques([plugin.name, plugin.namespace].filter((p): p is string => !!p));
}

/**
 * The variables Meltano reads a plugin setting from, in its order: `<NAME>_<SETTING>` and
 * `<NAMESPACE>_<SETTING>`, then the same for each alias. The setting's own `env:` is only written,
 * never read (Meltano's `env_vars(for_writing=False)`), and an inheriting plugin's namespace is its own.
 */
export function pluginSettingReadEnvVars(plugin: ProjectPlugin, setting: SettingDefinition): string[] {
  const prefixes = readPrefixes(plugin);
  return uniques([
    ...prefixes.map((prefix) => toEnvVar(prefix, setting.name)),
    ...setting.aliases.flatMap((alias) => prefixes.map((prefix) => toEnvVar(prefix, alias))),
  ]);
}

/**
 * The variables Meltano exports a resolved setting as when it runs the plugin: the setting's `env:`,
 * the plugin's name/namespace forms, every project ancestor's forms, then `MELTANO_<VERB>_<SETTING>`.
 * Outputs only: nothing reads `MELTANO_EXTRACT_…` back as a setting value.
 */
export function pluginSettingWriteEnvVars(
  project: Project,
  plugin: ProjectPlugin,
  setting: SettingDefinition,
): string[] {
  const prefixes: string[] = [];
  for (let current: ProjectPlugin | undefined = plugin; current; ) {
    prefixes.push(...readPrefixes(current));
    const parentName: string | null = current.parent;
    const type: string = current.type;
    current = parentName ? project.plugins.find((p) => p.type === type && p.name === parentName) : undefined;
  }
  // A hub plugin named by `inherit_from` is the last ancestor; its namespace is not kept, only its name.
  if (plugin.inherit_from && !plugin.parent) prefixes.push(plugin.inherit_from);
  prefixes.push(`meltano_${pluginTypeVerb(plugin.type)}`);
  return uniques([
    ...(setting.env ? [setting.env] : []),
    ...uniques(prefixes).map((prefix) => toEnvVar(prefix, setting.name)),
  ]);
}

/** Project (Meltano) settings are read from and exported as `MELTANO_<SETTING>` (`ui.bind_port` → `MELTANO_UI_BIND_PORT`). */
export function projectSettingEnvVars(setting: SettingDefinition): string[] {
  return uniques([
    toEnvVar('meltano', setting.name),
    ...setting.aliases.map((alias) => toEnvVar('meltano', alias)),
  ]);
}

/** `MELTANO_EXTRACTOR_NAME`, `…_NAMESPACE`, `…_VARIANT`: the plugin info Meltano adds to every plugin's env. */
export function pluginInfoEnv(plugin: ProjectPlugin): Record<string, string> {
  const singular = pluginTypeSingular(plugin.type);
  const env: Record<string, string> = {};
  const info = { name: plugin.name, namespace: plugin.namespace, variant: plugin.variant };
  for (const [key, value] of Object.entries(info))
    if (value !== null) env[toEnvVar('meltano', singular, key)] = value;
  return env;
}
