import { ProjectFileError } from '../errors.js';
import { findLockFile, readLockFile } from './plugin-lock.js';
import type { ProjectPlugin, SettingDefinition } from './project.types.js';
import { asList, asRecord, isRecord, optString, type RawMap, stringList, toEnvRecord } from './raw-values.js';
import type { YamlFile } from './yaml-file.js';

/** One `plugins.<type>[i]` entry as found in a project file. */
export interface RawPluginEntry {
  type: string;
  name: string;
  raw: RawMap;
  file: YamlFile;
  index: number;
}

/** Keys modelled by ProjectPlugin; everything else is kept in `extras`. */
const MODELLED_KEYS = new Set([
  'name',
  'variant',
  'namespace',
  'inherit_from',
  'pip_url',
  'executable',
  'label',
  'description',
  'docs',
  'logo_url',
  'capabilities',
  'config',
  'env',
  'commands',
  'settings',
]);

export function parseSetting(raw: unknown): SettingDefinition | null {
  if (!isRecord(raw)) return null;
  const name = optString(raw.name);
  if (!name) return null;
  const kind = optString(raw.kind);
  return {
    name,
    kind,
    label: optString(raw.label),
    description: optString(raw.description),
    value: raw.value === undefined ? null : raw.value,
    // v2 marked secrets with the kind only; `sensitive` arrived in v3.3.
    sensitive: raw.sensitive === true || kind === 'password' || kind === 'oauth',
    hidden: raw.hidden === true || kind === 'hidden',
    env: optString(raw.env),
    aliases: stringList(raw.aliases),
    options: asList(raw.options)
      .filter(isRecord)
      .map((option) => ({
        label: optString(option.label) ?? String(option.value ?? ''),
        value: option.value === undefined ? null : option.value,
      })),
  };
}

function parseSettings(raw: unknown): SettingDefinition[] {
  return asList(raw)
    .map(parseSetting)
    .filter((setting): setting is SettingDefinition => setting !== null);
}

/** Later definitions replace earlier ones of the same name and move to the end, as in Meltano. */
function overrideSettings(base: SettingDefinition[], own: SettingDefinition[]): SettingDefinition[] {
  const ownNames = new Set(own.map((setting) => setting.name));
  return [...base.filter((setting) => !ownNames.has(setting.name)), ...own];
}

/** Config inheritance: nested mappings merge, any other child value replaces the parent's. */
function mergeConfig(parent: RawMap, child: RawMap): RawMap {
  const merged: RawMap = { ...parent };
  for (const [key, value] of Object.entries(child)) {
    const current = merged[key];
    merged[key] = isRecord(value) && isRecord(current) ? mergeConfig(current, value) : value;
  }
  return merged;
}

/** Fields a child falls back to its parent for (Meltano's `_fallbacks`), else to the lock file. */
type InheritedField = 'variant' | 'pip_url' | 'executable' | 'description' | 'docs' | 'logo_url';

function optList(value: unknown): string[] | null {
  return value === undefined || value === null ? null : stringList(value);
}

/**
 * Build project plugins from their raw entries: `inherit_from` naming a project plugin of the same type
 * becomes `parent` (definitions, variant, pip_url, executable, capabilities and config inherited);
 * otherwise the lock file of the plugin (or of the hub plugin it inherits from) supplies the definition.
 * Namespace is not inherited: Meltano derives an inheriting plugin's namespace from its own name.
 */
export async function buildPlugins(root: string, entries: RawPluginEntry[]): Promise<ProjectPlugin[]> {
  const byKey = new Map(entries.map((entry) => [`${entry.type}\0${entry.name}`, entry]));
  const built = new Map<RawPluginEntry, Promise<ProjectPlugin>>();

  const build = (entry: RawPluginEntry, chain: RawPluginEntry[]): Promise<ProjectPlugin> => {
    const cached = built.get(entry);
    if (cached) return cached;
    const inheritFrom = optString(entry.raw.inherit_from);
    const parentEntry =
      inheritFrom && inheritFrom !== entry.name ? byKey.get(`${entry.type}\0${inheritFrom}`) : undefined;
    if (parentEntry && (chain.includes(parentEntry) || parentEntry === entry)) {
      const where = entry.file.locate(['plugins', entry.type, entry.index, 'inherit_from']);
      throw new ProjectFileError(
        `Plugin '${entry.name}' (${entry.type}) cannot inherit from '${parentEntry.name}', which itself inherits from '${entry.name}'`,
        { file: entry.file.file, ...where },
      );
    }
    const parent = parentEntry ? build(parentEntry, [...chain, entry]) : Promise.resolve(null);
    const promise = parent.then((resolvedParent) => buildOne(root, entry, resolvedParent));
    built.set(entry, promise);
    return promise;
  };

  return Promise.all(entries.map((entry) => build(entry, [])));
}

async function buildOne(
  root: string,
  entry: RawPluginEntry,
  parent: ProjectPlugin | null,
): Promise<ProjectPlugin> {
  const { raw } = entry;
  const rawInherit = optString(raw.inherit_from);
  const inheritFrom = rawInherit && rawInherit !== entry.name ? rawInherit : null;
  const ownVariant = optString(raw.variant);

  let lockFile: string | null = parent?.lock_file ?? null;
  let lock: RawMap = {};
  if (!parent) {
    lockFile = await findLockFile(root, entry.type, inheritFrom ?? entry.name, ownVariant);
    if (lockFile) lock = await readLockFile(lockFile, root);
  }
  const from = (key: InheritedField): string | null =>
    optString(raw[key]) ?? (parent ? parent[key] : optString(lock[key]));

  const ownSettings = parseSettings(raw.settings);
  const baseSettings = parent ? parent.settings : parseSettings(lock.settings);
  const config = asRecord(raw.config);
  const extras: RawMap = {};
  for (const [key, value] of Object.entries(raw)) if (!MODELLED_KEYS.has(key)) extras[key] = value;

  return {
    type: entry.type,
    name: entry.name,
    variant: from('variant'),
    namespace:
      optString(raw.namespace) ?? (inheritFrom ? entry.name.replaceAll('-', '_') : optString(lock.namespace)),
    inherit_from: inheritFrom,
    parent: parent ? parent.name : null,
    pip_url: from('pip_url'),
    executable: from('executable'),
    label: optString(raw.label) ?? (parent || inheritFrom ? null : optString(lock.label)),
    description: from('description'),
    docs: from('docs'),
    logo_url: from('logo_url'),
    capabilities: optList(raw.capabilities) ?? parent?.capabilities ?? stringList(lock.capabilities),
    config,
    resolved_config: parent ? mergeConfig(parent.resolved_config, config) : config,
    env: toEnvRecord(raw.env),
    commands: { ...(parent ? parent.commands : asRecord(lock.commands)), ...asRecord(raw.commands) },
    settings: overrideSettings(baseSettings, ownSettings),
    lock_file: lockFile,
    extras,
    source_file: entry.file.file,
  };
}
