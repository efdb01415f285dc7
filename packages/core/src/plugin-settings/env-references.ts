import { looksSecret } from '../plugins/redact.js';
import { envReferenceNames } from '../project/env-expand.js';
import type { Environment, Project, ProjectPlugin } from '../project/project.types.js';
import { settingEnvVar, UI_SETTING_SPECS } from '../settings/ui-settings.js';
import { PROJECT_SECRETS } from './project-secrets.js';
import { pluginInfoEnv, pluginSettingReadEnvVars, pluginSettingWriteEnvVars } from './setting-env-vars.js';
import type { EnvMap } from './settings-env.js';

/**
 * What a reader may learn about the `$VAR`s of a value as written (issue 10, item 2).
 *
 * The rule: every reader sees the value as written (`${TAP_ORBIT_API_KEY}`) and, per referenced
 * variable, whether it is set and which layer sets it (`process_env`, `dotenv`, `meltano_yml`,
 * `meltano`). The expanded value is shown only when every referenced variable is *clean*: unset (it
 * expands to nothing), or set by the project's own files (`.env`, an `env:` block of meltano.yml) under
 * a name that is not a secret's, with a value that itself copied nothing from a variable that is not
 * clean. A variable is a secret's when a sensitive setting of any plugin or of the project is read from
 * or exported as it, when it is one of the UI's own secrets (ui.secret_key, ui.password_salt,
 * ui.legacy_password_salt, database_uri, state_backend.uri), or when its name looks secret (`*_PASSWORD`,
 * `*_SECRET`, `*_TOKEN`, `*_API_KEY` …, which covers OIDC client secrets). The process environment and
 * the UI's own `MELTANO_PROJECT_ROOT`/`MELTANO_SYS_DIR_ROOT` are never clean: anything (`$PATH`, a CI
 * token, an absolute path) may sit there. Being told a name is set, and where, gives away no value.
 */

export type ReferenceSource = 'process_env' | 'dotenv' | 'meltano_yml' | 'meltano';

export interface EnvReference {
  name: string;
  is_set: boolean;
  /** The layer that sets it (the one that wins), null when unset. */
  source: ReferenceSource | null;
  /** A secret's variable (see the rule above): its value is never shown, expanded or not. */
  secret: boolean;
}

export interface ReferenceReport {
  references: EnvReference[];
  /** True when every reference is clean, so the expanded value may be shown. */
  displayable: boolean;
}

interface Origin {
  source: ReferenceSource;
  /** The value holds nothing withheld (see the rule above). */
  clean: boolean;
  /**
   * Set when the value was produced by interpolating `${VAR}`s (a `.env` line, an environment's `env:`):
   * the text as written and what it read. A setting read from such a variable shows this text.
   */
  interpolated?: { written: string; references: EnvReference[] };
}

/** The variables a value may be expanded against, each with where it came from. */
export interface EnvContext {
  origins: Map<string, Origin>;
  isSecret: (name: string) => boolean;
}

/** Project settings whose values may hold credentials: Meltano's secrets, and URIs with passwords. */
const PROJECT_CREDENTIAL_SETTINGS = ['database_uri', 'state_backend.uri', ...PROJECT_SECRETS];

/** Every variable a secret may be read from or exported as, in this project. */
export function secretEnvVarNames(project: Project): Set<string> {
  const names = new Set<string>();
  for (const spec of UI_SETTING_SPECS) {
    if ('sensitive' in spec && spec.sensitive) names.add(settingEnvVar(spec.name));
  }
  for (const name of PROJECT_CREDENTIAL_SETTINGS) names.add(settingEnvVar(name));
  for (const plugin of project.plugins) {
    for (const setting of plugin.settings) {
      if (!setting.sensitive) continue;
      for (const v of pluginSettingReadEnvVars(plugin, setting)) names.add(v);
      for (const v of pluginSettingWriteEnvVars(project, plugin, setting)) names.add(v);
    }
  }
  return names;
}

function secretTest(project: Project): (name: string) => boolean {
  const secrets = secretEnvVarNames(project);
  return (name) => secrets.has(name) || looksSecret(name);
}

/** `.env` keys, clean when their interpolations (dotenvReferences) read only clean earlier keys. */
function dotenvOrigins(project: Project, processEnv: EnvMap, isSecret: (name: string) => boolean) {
  const refs = project.dotenv_references ?? {};
  const memo = new Map<string, boolean>();
  const clean = (key: string): boolean => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false); // a cycle is not clean
    const result = (refs[key]?.references ?? []).every((ref) =>
      ref.from_dotenv
        ? !isSecret(ref.name) && clean(ref.name)
        : !Object.hasOwn(processEnv, ref.name) || processEnv[ref.name] === '',
    );
    memo.set(key, result);
    return result;
  };
  const origins = new Map<string, Origin>();
  for (const key of Object.keys(project.dotenv)) {
    const origin: Origin = { source: 'dotenv', clean: clean(key) };
    const found = refs[key];
    if (found) {
      const references = found.references.map((ref): EnvReference => {
        const fromProcess = !ref.from_dotenv && Object.hasOwn(processEnv, ref.name);
        return {
          name: ref.name,
          is_set: ref.from_dotenv || fromProcess,
          source: ref.from_dotenv ? 'dotenv' : fromProcess ? 'process_env' : null,
          secret: isSecret(ref.name),
        };
      });
      origin.interpolated = { written: found.written, references };
    }
    origins.set(key, origin);
  }
  return origins;
}

function isClean(ctx: EnvContext, name: string): boolean {
  return !ctx.isSecret(name) && (ctx.origins.get(name)?.clean ?? true);
}

/** projectSettingsEnv's layers, each variable tagged with its layer (highest wins, as there). */
function projectLayerOrigins(project: Project, processEnv: EnvMap): Map<string, Origin> {
  const origins = new Map<string, Origin>();
  for (const key of Object.keys(processEnv)) origins.set(key, { source: 'process_env', clean: false });
  origins.set('MELTANO_PROJECT_ROOT', { source: 'meltano', clean: false });
  origins.set('MELTANO_SYS_DIR_ROOT', { source: 'meltano', clean: false });
  // The active environment's name is shown by the API anyway.
  origins.set('MELTANO_ENVIRONMENT', { source: 'meltano', clean: true });
  // meltano.yml's `env:` values are used as written (not expanded), so they carry their own text only.
  for (const key of Object.keys(project.env)) origins.set(key, { source: 'meltano_yml', clean: true });
  return origins;
}

/**
 * The variables a project setting (or a schedule's or environment's `env:`) is expanded against: `.env`
 * under the env layer (process env, Meltano's own, meltano.yml's `env:`), as resolveProjectSettings does.
 */
export function projectEnvContext(project: Project, processEnv: NodeJS.ProcessEnv): EnvContext {
  const env = definedEnv(processEnv);
  const isSecret = secretTest(project);
  const origins = dotenvOrigins(project, env, isSecret);
  for (const [key, origin] of projectLayerOrigins(project, env)) origins.set(key, origin);
  return { origins, isSecret };
}

function definedEnv(env: NodeJS.ProcessEnv): EnvMap {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * The variables a plugin setting is expanded against, mirroring pluginSettingsEnv: the project layers,
 * the plugin info vars, the plugin's `env:` as written, the environment's `env:` (expanded there, so
 * clean only when what it read was), then the environment's plugin `env:` as written; `.env` under all.
 */
export function pluginEnvContext(
  project: Project,
  plugin: ProjectPlugin,
  environment: Environment | null,
  processEnv: EnvMap,
): EnvContext {
  const isSecret = secretTest(project);
  const env = projectLayerOrigins(project, processEnv);
  for (const key of Object.keys(pluginInfoEnv(plugin))) env.set(key, { source: 'meltano', clean: true });
  for (const key of Object.keys(plugin.env)) env.set(key, { source: 'meltano_yml', clean: true });
  if (environment) {
    // Expanded against the env layer so far, without `.env` (as pluginSettingsEnv does).
    const before: EnvContext = { origins: new Map(env), isSecret };
    for (const [key, value] of Object.entries(environment.env)) {
      const { references, displayable } = describeReferences(value, before);
      env.set(key, {
        source: 'meltano_yml',
        clean: displayable,
        ...(references.length > 0 ? { interpolated: { written: value, references } } : {}),
      });
    }
    const override = environment.plugins.find((p) => p.type === plugin.type && p.name === plugin.name);
    for (const key of Object.keys(override?.env ?? {})) env.set(key, { source: 'meltano_yml', clean: true });
  }
  const origins = dotenvOrigins(project, processEnv, isSecret);
  for (const [key, origin] of env) origins.set(key, origin);
  return { origins, isSecret };
}

/** The references of a value as written, and whether its expansion may be shown (the rule above). */
export function describeReferences(value: unknown, ctx: EnvContext): ReferenceReport {
  const names = envReferenceNames(value);
  return {
    references: names.map((name) => {
      const origin = ctx.origins.get(name);
      return {
        name,
        is_set: origin !== undefined,
        source: origin?.source ?? null,
        secret: ctx.isSecret(name),
      };
    }),
    displayable: names.every((name) => isClean(ctx, name)),
  };
}

/**
 * What a setting whose value came from variable `name` (its env/dotenv layer) shows instead: the variable's
 * text as written and its references, when the value was interpolated; null when it is literal.
 */
export function interpolatedVariable(
  name: string,
  ctx: EnvContext,
): { written: string; references: EnvReference[]; displayable: boolean } | null {
  const origin = ctx.origins.get(name);
  if (!origin?.interpolated) return null;
  return { ...origin.interpolated, displayable: origin.clean };
}

/** The references of every value of an `env:` map, once each, in first-seen order. */
export function describeEnvMap(env: Record<string, string>, ctx: EnvContext): EnvReference[] {
  return describeReferences(Object.values(env), ctx).references;
}
