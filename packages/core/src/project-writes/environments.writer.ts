import { ConflictError } from '../errors.js';
import { REDACTED } from '../plugins/redact.js';
import type { Project } from '../project/project.types.js';
import { PLUGIN_TYPES } from '../project/project.types.js';
import { isRecord, type RawMap } from '../project/raw-values.js';
import { jobStateIds } from '../schedules/state-ids.js';
import { type WriteOptions, type WriteResult, writeEntity } from './entity-write.js';
import { invalid, requireEnv, requireNewName, requireUnique } from './validate.js';

export interface EnvironmentInput {
  name: string;
  env?: Record<string, string>;
  state_id_suffix?: string | null;
}

/** One plugin's override in an environment: `config` and `env` replace what is there; {} removes it. */
export interface EnvironmentOverrideInput {
  type: string;
  name: string;
  config?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** Fields to change; others (and unknown keys, and overrides not listed) stay as they are in the file. */
export interface EnvironmentPatch {
  name?: string;
  env?: Record<string, string>;
  state_id_suffix?: string | null;
  plugins?: EnvironmentOverrideInput[];
}

/** A state ID a rename (or a new suffix) changes: runs and Singer state stay under the old one. */
export interface StateIdChange {
  job: string;
  from: string;
  to: string;
}

export interface EnvironmentWriteResult extends WriteResult {
  state_id_changes: StateIdChange[];
  /** What else still names the old environment (schedules' MELTANO_ENVIRONMENT), in words. */
  warnings: string[];
}

const TYPES: readonly string[] = PLUGIN_TYPES;

export async function createEnvironment(
  root: string,
  input: EnvironmentInput,
  options?: WriteOptions,
): Promise<EnvironmentWriteResult> {
  const result = await writeEntity(
    root,
    'environments',
    null,
    (_current, project) => {
      requireUnique(project.environments, requireEnvironmentName(input.name), 'environment');
      const raw: RawMap = { name: input.name };
      if (input.env && Object.keys(requireEnv(input.env)).length > 0) raw.env = input.env;
      if (typeof input.state_id_suffix === 'string' && input.state_id_suffix !== '')
        raw.state_id_suffix = input.state_id_suffix;
      return raw;
    },
    options,
  );
  return { ...result, state_id_changes: [], warnings: [] };
}

export async function updateEnvironment(
  root: string,
  name: string,
  patch: EnvironmentPatch,
  options?: WriteOptions,
): Promise<EnvironmentWriteResult> {
  let changes: StateIdChange[] = [];
  let warnings: string[] = [];
  const result = await writeEntity(
    root,
    'environments',
    name,
    (current, project) => {
      const raw: RawMap = { ...current };
      const renamed = patch.name !== undefined && patch.name !== name;
      if (renamed) {
        requireUnique(project.environments, requireEnvironmentName(patch.name), 'environment');
        refuseIfDefault(project, name, 'rename');
        raw.name = patch.name;
      }
      if (patch.env !== undefined) setOrDrop(raw, 'env', keepRedacted(requireEnv(patch.env), raw.env, 'env'));
      if (patch.state_id_suffix !== undefined) {
        const suffix = patch.state_id_suffix;
        if (suffix !== null && typeof suffix !== 'string') throw invalid('state_id_suffix', 'A text or null');
        if (suffix === null || suffix === '') delete raw.state_id_suffix;
        else raw.state_id_suffix = suffix;
      }
      if (patch.plugins !== undefined) applyOverrides(raw, patch.plugins, project);
      const to = String(raw.name);
      const suffix = typeof raw.state_id_suffix === 'string' ? raw.state_id_suffix : null;
      changes = stateIdChanges(project, name, to, suffix);
      warnings = renamed ? schedulesNaming(project, name, 'rename', to) : [];
      return raw;
    },
    options,
  );
  return { ...result, state_id_changes: changes, warnings };
}

/** Refused for default_environment (meltano.yml would point at nothing); the caller refuses the active one. */
export async function deleteEnvironment(
  root: string,
  name: string,
  options?: WriteOptions,
): Promise<EnvironmentWriteResult> {
  let warnings: string[] = [];
  const result = await writeEntity(
    root,
    'environments',
    name,
    (_current, project) => {
      refuseIfDefault(project, name, 'delete');
      warnings = schedulesNaming(project, name, 'delete', null);
      return null;
    },
    options,
  );
  return { ...result, state_id_changes: [], warnings };
}

/**
 * Meltano environment names are free text, but they become the first part of state IDs
 * (`env:tap-to-target`) and are passed as `--environment`: no colon, no leading '-', no spaces around.
 */
function requireEnvironmentName(value: unknown): string {
  const name = requireNewName(value);
  if (name.includes(':'))
    throw invalid('name', "An environment name must not contain ':' (state IDs use it)");
  if (name.toLowerCase() === 'null') throw invalid('name', "Meltano reads 'null' as no environment");
  if (name.length > 200) throw invalid('name', 'At most 200 characters');
  return name;
}

function refuseIfDefault(project: Project, name: string, what: 'rename' | 'delete') {
  if (project.default_environment !== name) return;
  throw new ConflictError(
    'environment_is_default',
    `'${name}' is default_environment in meltano.yml: change default_environment first, then ${what} it`,
    { default_environment: name },
  );
}

function schedulesNaming(project: Project, name: string, what: 'rename' | 'delete', to: string | null) {
  const named = project.schedules.filter((s) => s.env.MELTANO_ENVIRONMENT === name).map((s) => s.name);
  if (named.length === 0) return [];
  const list = named.map((s) => `'${s}'`).join(', ');
  return [
    what === 'rename'
      ? `Schedule ${list} still set${named.length === 1 ? 's' : ''} MELTANO_ENVIRONMENT=${name}; change it to ${to} or its runs fail.`
      : `Schedule ${list} still set${named.length === 1 ? 's' : ''} MELTANO_ENVIRONMENT=${name}; its runs fail until it is changed.`,
  ];
}

/** The state IDs of every job under the environment, before and after: those that differ move. */
function stateIdChanges(project: Project, from: string, to: string, suffix: string | null): StateIdChange[] {
  const after: Project = {
    ...project,
    environments: project.environments.map((e) =>
      e.name === from ? { ...e, name: to, state_id_suffix: suffix } : e,
    ),
  };
  const changes: StateIdChange[] = [];
  for (const job of project.jobs) {
    const before = jobStateIds(project, job, from);
    const next = jobStateIds(after, job, to);
    before.forEach((id, i) => {
      const moved = next[i];
      if (moved !== undefined && moved !== id) changes.push({ job: job.name, from: id, to: moved });
    });
  }
  return changes;
}

function setOrDrop(raw: RawMap, key: string, value: Record<string, unknown>) {
  if (Object.keys(value).length === 0) delete raw[key];
  else raw[key] = value;
}

/**
 * The API shows secrets as `(redacted)`: one sent back unchanged keeps the value on disk; a new key
 * cannot be given the placeholder (it would be written as the secret's value).
 */
function keepRedacted<T>(next: Record<string, T>, current: unknown, field: string): Record<string, T> {
  const before = isRecord(current) ? current : {};
  const kept: Record<string, T> = {};
  for (const [key, value] of Object.entries(next)) {
    if (value === REDACTED) {
      if (!(key in before)) throw invalid(field, `'${key}' is '${REDACTED}': give its value`);
      kept[key] = before[key] as T;
    } else if (isRecord(value)) {
      // A nested secret (`credentials.password`) is shown redacted too.
      kept[key] = keepRedacted(value, isRecord(before[key]) ? before[key] : {}, field) as T;
    } else kept[key] = value;
  }
  return kept;
}

/** Splices each listed plugin's override into `config.plugins.<type>`, keeping its other keys (select, …). */
function applyOverrides(raw: RawMap, overrides: EnvironmentOverrideInput[], project: Project) {
  const config: RawMap = isRecord(raw.config) ? { ...raw.config } : {};
  const plugins: RawMap = isRecord(config.plugins) ? { ...config.plugins } : {};
  for (const o of overrides) {
    if (!TYPES.includes(o.type)) throw invalid('plugins', `'${o.type}' is not a plugin type`);
    const list = Array.isArray(plugins[o.type]) ? [...(plugins[o.type] as unknown[])] : [];
    const index = list.findIndex((item) => isRecord(item) && item.name === o.name);
    if (index < 0 && !project.plugins.some((p) => p.type === o.type && p.name === o.name)) {
      throw invalid('plugins', `There is no ${o.type.replace(/s$/, '')} named '${o.name}' in the project`);
    }
    const entry: RawMap = index >= 0 ? { ...(list[index] as RawMap) } : { name: o.name };
    if (o.config !== undefined) {
      if (!isRecord(o.config)) throw invalid('plugins', `The config of ${o.name} must be a mapping`);
      setOrDrop(entry, 'config', keepRedacted(o.config, entry.config, 'plugins'));
    }
    if (o.env !== undefined)
      setOrDrop(entry, 'env', keepRedacted(requireEnv(o.env, 'plugins'), entry.env, 'plugins'));
    const empty = Object.keys(entry).every((key) => key === 'name');
    if (empty && index >= 0) list.splice(index, 1);
    else if (!empty && index >= 0) list[index] = entry;
    else if (!empty) list.push(entry);
    setOrDropList(plugins, o.type, list);
  }
  setOrDrop(config, 'plugins', plugins);
  setOrDrop(raw, 'config', config);
}

function setOrDropList(map: RawMap, key: string, list: unknown[]) {
  if (list.length === 0) delete map[key];
  else map[key] = list;
}
