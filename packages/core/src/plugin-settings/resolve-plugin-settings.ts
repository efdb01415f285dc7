import { NotFoundError } from '../errors.js';
import { REDACTED } from '../plugins/redact.js';
import type { Environment, Project, ProjectPlugin, SettingDefinition } from '../project/project.types.js';
import { flattenDots } from '../project/raw-values.js';
import {
  describeReferences,
  type EnvContext,
  type EnvReference,
  interpolatedVariable,
  pluginEnvContext,
  projectEnvContext,
} from './env-references.js';
import { type PluginSettingRow, PROJECT_DB_NAMESPACE, pluginDbNamespace } from './plugin-settings-rows.js';
import { PROJECT_SECRETS } from './project-secrets.js';
import {
  pluginSettingReadEnvVars,
  pluginSettingWriteEnvVars,
  projectSettingEnvVars,
} from './setting-env-vars.js';
import { customDefinition, flatConfig, shownValue, truthy } from './setting-value.js';
import { settingVersion } from './setting-version.js';
import { type SettingLock, settingWriteTarget, type WritableStore } from './setting-write-target.js';
import { type EnvMap, pluginSettingsEnv, projectSettingsEnv } from './settings-env.js';
import {
  type FinalSetting,
  type PluginSettingSource,
  resolveFinal,
  resolveRaw,
  SETTING_SOURCES,
  type SettingConflict,
  type SettingLayers,
} from './settings-resolver.js';

export interface ResolvedPluginSetting {
  name: string;
  /** The definition; a secret's default is `(redacted)`. */
  definition: SettingDefinition;
  /** True for config keys no definition names (Meltano's custom settings). */
  custom: boolean;
  /**
   * The value as written, before `$VAR` expansion (`${TAP_ORBIT_API_KEY}`); `(redacted)` for a set
   * secret; URI passwords masked in other strings.
   */
  value: unknown;
  is_set: boolean;
  redacted: boolean;
  source: PluginSettingSource;
  /** Where the parent got it, when `source` is `inherited`. */
  inherited_source: PluginSettingSource | null;
  /** The variable the value came from (env/dotenv sources). */
  env_var: string | null;
  /** True when `$VAR` expansion changed the value. */
  expanded: boolean;
  /**
   * The value after expansion, only when `expanded` and every reference is clean (env-references.ts);
   * else null. Never given for secrets.
   */
  expanded_value: unknown;
  /** True when expansion changed the value but the result is withheld (a reference is not clean). */
  expansion_hidden: boolean;
  /** Each variable the value as written reads, whether it is set and where from; never its value. */
  references: EnvReference[];
  /** Variables Meltano reads this setting from. */
  env_vars: string[];
  /** Variables Meltano exports it as when running the plugin (incl. `MELTANO_EXTRACT_…`). */
  write_env_vars: string[];
  /** Meltano raises on these; the value is then null. */
  conflict: SettingConflict | null;
  writable_stores: WritableStore[];
  /** Where `meltano config set` would write (§2.4 auto store); null when nowhere is allowed. */
  auto_store: WritableStore | null;
  /** False when a higher layer would still shadow a value written to `auto_store`. */
  overwritable: boolean;
  /** Where setPluginSetting writes: `auto_store`, or the writable store the value wins from now. */
  write_store: WritableStore | null;
  /** Set when no write of ours would win (process environment, CLI override, read-only project). */
  locked: SettingLock | null;
  /** Changes whenever the value or its source does; setPluginSetting's `expectedVersion`. */
  version: string;
}

export interface ResolveSettingsOptions {
  /** The active environment's name; `meltano config` ignores `default_environment`, so pass it explicitly. */
  environment?: string | null;
  processEnv?: Record<string, string | undefined>;
  /** Decoded rows of `plugin_settings` (readPluginSettingRows); none when there is no DB. */
  dbRows?: PluginSettingRow[];
  /** Whether the system DB can be written (it is, whenever Meltano has one). */
  dbWritable?: boolean;
  configOverride?: Record<string, unknown>;
  /** Treat the project as `project_readonly` whatever its settings say (the UI's own read-only flag). */
  readonly?: boolean;
}

interface Context {
  project: Project;
  environment: Environment | null;
  processEnv: EnvMap;
  dbRows: PluginSettingRow[];
  dbWritable: boolean;
  readonly: boolean;
  configOverride: Record<string, unknown>;
}

function context(project: Project, opts: ResolveSettingsOptions): Context {
  const processEnv: EnvMap = {};
  for (const [key, value] of Object.entries(opts.processEnv ?? {}))
    if (value !== undefined) processEnv[key] = value;
  const name = opts.environment ?? null;
  const environment = name === null ? null : (project.environments.find((e) => e.name === name) ?? null);
  if (name !== null && !environment)
    throw new NotFoundError('environment', `Environment '${name}' is not defined`);
  const ctx: Context = {
    project,
    environment,
    processEnv,
    dbRows: opts.dbRows ?? [],
    dbWritable: opts.dbWritable ?? true,
    readonly: false,
    configOverride: opts.configOverride ?? {},
  };
  // The effective (expanded) value: what Meltano acts on, never shown as such.
  const readonlySetting = projectReadonlyValue(project, ctx);
  ctx.readonly = opts.readonly === true || truthy(readonlySetting ?? false);
  return ctx;
}

function dbMap(rows: PluginSettingRow[], namespace: string): Map<string, unknown> {
  return new Map(rows.filter((row) => row.namespace === namespace).map((row) => [row.name, row.value]));
}

function pluginDefinitions(plugin: ProjectPlugin, environment: Environment | null): SettingDefinition[] {
  const defs = [...plugin.settings];
  const names = new Set(defs.map((d) => d.name));
  const override = environment?.plugins.find((p) => p.type === plugin.type && p.name === plugin.name);
  // Meltano's `from_missing` over the config (own and parent's) and the environment's orphan keys.
  for (const config of [flattenDots(plugin.resolved_config), flattenDots(override?.config ?? {})]) {
    for (const [key, value] of Object.entries(config)) {
      if (!names.has(key)) {
        names.add(key);
        defs.push(customDefinition(key, value));
      }
    }
  }
  return defs;
}

function pluginLayers(
  ctx: Context,
  plugin: ProjectPlugin,
  base?: EnvMap,
): { layers: SettingLayers; expandEnv: EnvMap } {
  const env = pluginSettingsEnv(ctx.project, plugin, ctx.environment, ctx.processEnv, base);
  const override = ctx.environment?.plugins.find((p) => p.type === plugin.type && p.name === plugin.name);
  const parent = plugin.parent
    ? ctx.project.plugins.find((p) => p.type === plugin.type && p.name === plugin.parent)
    : undefined;
  let parentLayers: SettingLayers | null = null;
  const layers: SettingLayers = {
    configOverride: ctx.configOverride,
    env,
    dotenv: ctx.project.dotenv,
    environmentConfig: ctx.environment ? flatConfig(override?.config ?? {}, override?.extras ?? {}) : null,
    ymlConfig: flatConfig(plugin.config, {}),
    db: dbMap(ctx.dbRows, pluginDbNamespace(plugin.type, plugin.name)),
    inherited: parent
      ? (setting) => {
          parentLayers ??= pluginLayers(ctx, parent, env).layers;
          // The parent resolves unexpanded (Meltano passes expand_env_vars=False); a default does not count.
          const raw = resolveRaw(parentLayers, setting);
          if (raw.conflict || raw.source === 'default' || raw.value === null || raw.value === undefined)
            return null;
          return { ...raw, source: 'inherited', inherited_source: raw.source, env_var: null };
        }
      : null,
    readEnvVars: (setting) => pluginSettingReadEnvVars(plugin, setting),
    definitions: pluginDefinitions(plugin, ctx.environment),
  };
  return { layers, expandEnv: { ...ctx.project.dotenv, ...env } };
}

/** What the settings service (a plugin's, or the project's) supports. */
interface ServiceTraits {
  environments: boolean;
  /** Meltano's `env_specific` settings, which `config set` puts in `.env`. */
  envSpecific: ReadonlySet<string>;
}

/** §2.4: the stores `config set` may use and the one it picks. */
function stores(
  ctx: Context,
  setting: SettingDefinition,
  traits: ServiceTraits,
): { writable: WritableStore[]; auto: WritableStore | null } {
  const ok = (store: WritableStore): boolean => {
    if (store === 'db') return ctx.dbWritable;
    if (ctx.readonly) return false;
    return store !== 'meltano_environment' || (traits.environments && ctx.environment !== null);
  };
  const writable = (['dotenv', 'meltano_environment', 'meltano_yml', 'db'] as const).filter(ok);
  const first = (order: WritableStore[]) => order.find(ok) ?? null;
  let auto: WritableStore | null;
  if (ctx.readonly) auto = first(['db']);
  else if (setting.sensitive) auto = first(['dotenv', 'db']);
  else if (traits.envSpecific.has(setting.name) && ok('dotenv')) auto = 'dotenv';
  else if (!ctx.environment) auto = first(['meltano_yml', 'dotenv', 'db']);
  else auto = first(['meltano_environment', 'meltano_yml', 'dotenv', 'db']);
  return { writable, auto };
}

function present(
  ctx: Context,
  setting: SettingDefinition,
  custom: boolean,
  final: FinalSetting,
  envVars: { read: string[]; write: string[] },
  traits: ServiceTraits,
  envContext: EnvContext,
): ResolvedPluginSetting {
  const { writable, auto } = stores(ctx, setting, traits);
  const target = settingWriteTarget({
    source: final.source,
    env_var: final.env_var,
    conflict: final.conflict,
    auto_store: auto,
    writable_stores: writable,
    env_from_process: final.env_var !== null && Object.hasOwn(ctx.processEnv, final.env_var),
  });
  const value = final.conflict ? null : final.value;
  const { written, expanded, references, displayable } = asWritten(final, envContext);
  // A secret's value is `(redacted)` whichever way it was written; its references are names only.
  const shown = setting.sensitive ? shownValue(setting, value) : shownValue(setting, written);
  const showExpanded = expanded && displayable && !setting.sensitive;
  const order: readonly string[] = SETTING_SOURCES;
  const resolved: ResolvedPluginSetting = {
    name: setting.name,
    definition: {
      ...setting,
      value:
        setting.sensitive && setting.value !== null && setting.value !== undefined ? REDACTED : setting.value,
    },
    custom,
    value: shown,
    is_set: value !== null && value !== undefined,
    redacted: shown === REDACTED,
    source: final.source,
    inherited_source: final.inherited_source,
    env_var: final.env_var,
    expanded,
    expanded_value: showExpanded ? shownValue(setting, value) : null,
    expansion_hidden: expanded && !showExpanded && !setting.sensitive,
    references,
    env_vars: envVars.read,
    write_env_vars: envVars.write,
    conflict: final.conflict,
    writable_stores: writable,
    auto_store: auto,
    overwritable: auto !== null && order.indexOf(auto) <= order.indexOf(final.source),
    write_store: target.store,
    locked: target.locked,
    version: settingVersion(final),
  };
  return resolved;
}

/** Layers whose values Meltano's settings service never `$VAR`-expands. */
const LITERAL_SOURCES: ReadonlySet<PluginSettingSource> = new Set(['config_override', 'env', 'dotenv', 'db']);

/**
 * The value as written and the variables it reads (env-references.ts has the rule). A value read from a
 * variable that was itself interpolated (a `.env` line `X=${SECRET}`, an environment's `env:`) shows
 * that variable's text; a value from a layer Meltano does not expand reads nothing.
 */
function asWritten(
  final: FinalSetting,
  envContext: EnvContext,
): { written: unknown; expanded: boolean; references: EnvReference[]; displayable: boolean } {
  if (final.conflict) return { written: null, expanded: false, references: [], displayable: true };
  const interpolated = final.origin_var ? interpolatedVariable(final.origin_var, envContext) : null;
  if (interpolated) return { ...interpolated, expanded: true };
  if (LITERAL_SOURCES.has(final.inherited_source ?? final.source)) {
    return { written: final.written, expanded: false, references: [], displayable: true };
  }
  return {
    written: final.written,
    expanded: final.unexpanded !== undefined,
    ...describeReferences(final.written, envContext),
  };
}

/**
 * Every setting of one plugin as `meltano config <plugin> list` resolves it, with its source, env vars
 * and write targets. Secret values never leave this function: they are `(redacted)` with `is_set`.
 */
export function resolvePluginSettings(
  project: Project,
  plugin: ProjectPlugin,
  opts: ResolveSettingsOptions = {},
): ResolvedPluginSetting[] {
  const ctx = context(project, opts);
  const { layers, expandEnv } = pluginLayers(ctx, plugin);
  const envContext = pluginEnvContext(project, plugin, ctx.environment, ctx.processEnv);
  const known = new Set(plugin.settings.map((s) => s.name));
  return layers.definitions.map((setting) =>
    present(
      ctx,
      setting,
      !known.has(setting.name),
      resolveFinal(layers, setting, expandEnv),
      {
        read: pluginSettingReadEnvVars(plugin, setting),
        write: pluginSettingWriteEnvVars(project, plugin, setting),
      },
      PLUGIN_TRAITS,
      envContext,
    ),
  );
}

/** `env_specific` is not part of the loaded plugin definitions (SettingDefinition), so no plugin setting has it. */
const PLUGIN_TRAITS: ServiceTraits = { environments: true, envSpecific: new Set() };

/** Project settings cannot live in an environment; these are `env_specific` in Meltano's settings.yml (v4.2). */
const PROJECT_TRAITS: ServiceTraits = {
  environments: false,
  envSpecific: new Set([
    'database_uri',
    'project_readonly',
    'state_backend.uri',
    'state_backend.lock_timeout_seconds',
    'state_backend.lock_retry_seconds',
    'cli.log_level',
  ]),
};

function projectLayers(
  project: Project,
  ctx: Context,
  names: string[],
): { layers: SettingLayers; expandEnv: EnvMap } {
  const db = dbMap(ctx.dbRows, PROJECT_DB_NAMESPACE);
  const all = [...new Set([...Object.keys(project.settings), ...db.keys(), ...names])];
  const definitions = all.map((name) => ({
    ...customDefinition(name, project.settings[name]),
    sensitive: PROJECT_SECRETS.has(name),
  }));
  const env = projectSettingsEnv(project, ctx.environment, ctx.processEnv);
  const layers: SettingLayers = {
    configOverride: ctx.configOverride,
    env,
    dotenv: project.dotenv,
    environmentConfig: null,
    ymlConfig: project.settings,
    db,
    inherited: null,
    readEnvVars: projectSettingEnvVars,
    definitions,
  };
  return { layers, expandEnv: { ...project.dotenv, ...env } };
}

/** `project_readonly` as Meltano reads it (expanded), for the write targets; `ctx.readonly` is not used. */
function projectReadonlyValue(project: Project, ctx: Context): unknown {
  const { layers, expandEnv } = projectLayers(project, { ...ctx, environment: null }, ['project_readonly']);
  const setting = layers.definitions.find((d) => d.name === 'project_readonly') as SettingDefinition;
  const final = resolveFinal(layers, setting, expandEnv);
  return final.conflict ? null : final.value;
}

/**
 * Project (Meltano) settings: those written in meltano.yml or the DB's `meltano` namespace, plus
 * `names`. Layers: override, env (`MELTANO_<SETTING>`), `.env`, meltano.yml, DB; environments cannot
 * hold them. Meltano's bundled defaults (settings.yml) are not known here, so the default is null.
 */
export function resolveProjectSettings(
  project: Project,
  opts: ResolveSettingsOptions = {},
  names: string[] = [],
): ResolvedPluginSetting[] {
  const ctx = context(project, opts);
  const { layers, expandEnv } = projectLayers(project, ctx, names);
  const envContext = projectEnvContext(project, ctx.processEnv);
  return layers.definitions.map((setting) => {
    const envVars = projectSettingEnvVars(setting);
    return present(
      ctx,
      setting,
      false,
      resolveFinal(layers, setting, expandEnv),
      { read: envVars, write: envVars },
      PROJECT_TRAITS,
      envContext,
    );
  });
}
