import type { SystemDatabase } from '../db/system-database.js';
import { ConflictError, CoreError } from '../errors.js';
import { readPluginSettingRows } from '../plugin-settings/plugin-settings-rows.js';
import { pickleDumps } from '../plugin-settings/python-pickle-writer.js';
import type { ResolvedPluginSetting } from '../plugin-settings/resolve-plugin-settings.js';
import {
  type SettingLock,
  STORE_LABELS,
  type WritableStore,
} from '../plugin-settings/setting-write-target.js';
import { loadProject } from '../project/load-project.js';
import type { SettingDefinition } from '../project/project.types.js';
import { type ProjectLockOptions, withProjectLock } from '../project-writes/project-lock.js';
import { setDotenvKey, unsetDotenvKeys } from './dotenv-edit.js';
import { deleteSettingRow, upsertSettingRow } from './plugin-settings.repository.js';
import {
  dotenvPath,
  dotenvTightenedNotice,
  editDotenvFile,
  editYamlFile,
  type YamlEdit,
} from './setting-files.js';
import { type SettingValue, settingValue } from './setting-input.js';
import { type ScopeBuilder, type ScopeInput, type SettingScope, storesHolding } from './setting-scope.js';
import type { YamlPath } from './yaml-path.js';

export interface SettingWriteOptions {
  /** The project root. */
  root: string;
  db: SystemDatabase;
  /** The setting's name (dotted for nested ones, `ssl.mode`). */
  setting: string;
  /**
   * The active environment, as `meltano config --environment` takes it: non-secret values then go into
   * its block of meltano.yml. Null or absent: none (Meltano's `config` ignores `default_environment`).
   */
  environment?: string | null;
  /** The environment layer; a variable set there locks the setting. Default: this process's. */
  processEnv?: NodeJS.ProcessEnv;
  /** Treat the project as read-only whatever its settings say (the UI's own flag). */
  projectReadonly?: boolean;
  /** The setting's `version` the change is based on; anything else now is a 409 `setting_changed`. */
  expectedVersion?: string;
  lock?: ProjectLockOptions;
}

export interface SettingSetResult {
  setting: string;
  store: WritableStore;
  /** The file written (absolute path), or null for the system database. */
  file: string | null;
  /** The `.env` variable written; the other variables Meltano reads the setting from were removed. */
  env_var: string | null;
  /** The setting as it resolves afterwards. */
  resolved: ResolvedPluginSetting;
  /** What the write changed beyond the value, for the user (a `.env` tightened to 0600); no values. */
  notices: string[];
}

export interface SettingUnsetResult {
  setting: string;
  /** Each store the value was removed from (Meltano's `config unset` clears them all). */
  removed: { store: WritableStore; file: string | null }[];
  resolved: ResolvedPluginSetting;
}

/**
 * `meltano config set` for one setting, under the project lock: resolve it afresh, refuse when it is
 * locked or changed since `expectedVersion`, validate the value for its kind, write it to the store that
 * wins (resolved `write_store`), and resolve it again.
 */
export function setSetting(
  options: SettingWriteOptions & { value: unknown },
  build: ScopeBuilder,
): Promise<SettingSetResult> {
  return withProjectLock(
    options.root,
    async () => {
      const { scope } = await loadScope(options, build);
      const store = writableStore(scope, options.expectedVersion);
      const value = settingValue(scope.definition, options.value);
      const where = await writeValue(options, scope, store, value);
      const after = await loadScope(options, build);
      const { notices, ...written } = where;
      return { setting: scope.definition.name, store, ...written, resolved: after.scope.resolved, notices };
    },
    options.lock,
  );
}

/**
 * `meltano config unset`: the value goes from every store holding it (`.env`, the environment's and the
 * plugin's config, the system database). Refused, with nothing changed, when a holder cannot be written or
 * the value comes from the process environment or a command-line override.
 */
export function unsetSetting(options: SettingWriteOptions, build: ScopeBuilder): Promise<SettingUnsetResult> {
  return withProjectLock(
    options.root,
    async () => {
      const { scope, input } = await loadScope(options, build);
      checkVersion(scope, options.expectedVersion);
      const holding = storesHolding(scope, input);
      const source = scope.resolved.conflict?.source ?? scope.resolved.source;
      if (source === 'env' || source === 'config_override') throw lockedError(scope, scope.resolved.locked);
      const blocked = holding.find((store) => !scope.resolved.writable_stores.includes(store));
      if (blocked) {
        throw lockedError(scope, {
          source: blocked,
          env_var: null,
          reason: `project_readonly is on: the value in ${STORE_LABELS[blocked]} cannot be removed`,
        });
      }
      const removed: SettingUnsetResult['removed'] = [];
      for (const store of holding) removed.push({ store, file: await removeValue(options, scope, store) });
      const after = await loadScope(options, build);
      return { setting: scope.definition.name, removed, resolved: after.scope.resolved };
    },
    options.lock,
  );
}

async function loadScope(
  options: SettingWriteOptions,
  build: ScopeBuilder,
): Promise<{ scope: SettingScope; input: ScopeInput }> {
  const project = await loadProject(options.root);
  const { rows } = await readPluginSettingRows(options.db);
  const input: ScopeInput = {
    project,
    rows,
    options: {
      environment: options.environment ?? null,
      processEnv: options.processEnv ?? process.env,
      dbRows: rows,
      dbWritable: true,
      readonly: options.projectReadonly === true,
    },
  };
  return { scope: build(input), input };
}

function checkVersion(scope: SettingScope, expected: string | undefined): void {
  if (expected !== undefined && expected !== scope.resolved.version) {
    throw new ConflictError(
      'setting_changed',
      `Setting '${scope.definition.name}' of ${scope.owner} was changed by someone else; reload and try again`,
      { setting: scope.definition.name, version: scope.resolved.version },
    );
  }
}

function writableStore(scope: SettingScope, expectedVersion: string | undefined): WritableStore {
  checkVersion(scope, expectedVersion);
  const store = scope.resolved.write_store;
  if (store === null) throw lockedError(scope, scope.resolved.locked);
  return store;
}

function lockedError(scope: SettingScope, lock: SettingLock | null): ConflictError {
  const reason = lock?.reason ?? 'No store can hold it';
  return new ConflictError(
    'setting_locked',
    `Setting '${scope.definition.name}' of ${scope.owner} cannot be changed here: ${reason}`,
    { setting: scope.definition.name, locked: lock },
  );
}

async function writeValue(
  options: SettingWriteOptions,
  scope: SettingScope,
  store: WritableStore,
  value: SettingValue,
): Promise<{ file: string | null; env_var: string | null; notices: string[] }> {
  const { definition } = scope;
  if (store === 'dotenv') {
    const [primary = '', ...others] = scope.envVars;
    const { tightenedFrom } = await editDotenvFile(
      options.root,
      (text) => setDotenvKey(unsetDotenvKeys(text, others), primary, value.env),
      { secret: definition.sensitive },
    );
    const notices = tightenedFrom === null ? [] : [dotenvTightenedNotice(tightenedFrom)];
    return { file: dotenvPath(options.root), env_var: primary, notices };
  }
  if (store === 'db') {
    await upsertSettingRow(options.db, {
      namespace: scope.dbNamespace,
      name: definition.name,
      value: pickleDumps(value.py),
    });
    return { file: null, env_var: null, notices: [] };
  }
  const place = yamlPlace(scope, store);
  const edits: YamlEdit[] = [
    ...otherSpellings(definition, place.base),
    { kind: 'set', path: [...place.base, ...definition.name.split('.')], yaml: value.yaml, data: value.data },
  ];
  await editYamlFile(options.root, place.file, edits);
  return { file: place.file, env_var: null, notices: [] };
}

async function removeValue(
  options: SettingWriteOptions,
  scope: SettingScope,
  store: WritableStore,
): Promise<string | null> {
  const { definition } = scope;
  if (store === 'dotenv') {
    await editDotenvFile(options.root, (text) => unsetDotenvKeys(text, scope.envVars));
    return dotenvPath(options.root);
  }
  if (store === 'db') {
    await deleteSettingRow(options.db, { namespace: scope.dbNamespace, name: definition.name });
    return null;
  }
  const place = yamlPlace(scope, store);
  await editYamlFile(options.root, place.file, spellings(definition, place.base, place.base.length - 1));
  return place.file;
}

function yamlPlace(scope: SettingScope, store: 'meltano_yml' | 'meltano_environment') {
  const place = scope.yaml[store];
  if (!place)
    throw new CoreError('setting_write_failed', 500, `${scope.owner} has no ${STORE_LABELS[store]}`);
  return place;
}

/**
 * Removals of every way the setting can be written in a config mapping: its name and aliases as flat keys
 * (`a.b: 1`), and the dotted ones also nested (`a: {b: 1}`). Mappings left empty go from `pruneFrom` on:
 * an unset drops an empty `config:` as Meltano does, a set keeps it for the value it adds.
 */
function spellings(definition: SettingDefinition, base: YamlPath, pruneFrom: number): YamlEdit[] {
  return [definition.name, ...definition.aliases].flatMap((key): YamlEdit[] => [
    { kind: 'remove', path: [...base, key], pruneFrom },
    ...(key.includes('.')
      ? [{ kind: 'remove' as const, path: [...base, ...key.split('.')], pruneFrom }]
      : []),
  ]);
}

/** Before a set, Meltano pops every spelling except the nested path it is about to write. */
function otherSpellings(definition: SettingDefinition, base: YamlPath): YamlEdit[] {
  const target = JSON.stringify([...base, ...definition.name.split('.')]);
  return spellings(definition, base, base.length).filter((edit) => JSON.stringify(edit.path) !== target);
}
