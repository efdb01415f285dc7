import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConflictError, CoreError, NotFoundError } from '../errors.js';
import { loadProject } from '../project/load-project.js';
import type { Project } from '../project/project.types.js';
import { isRecord, type RawMap } from '../project/raw-values.js';
import { parseYamlText, yamlTextData } from '../project/yaml-file.js';
import { atomicWriteYaml } from './atomic-write.js';
import { entityVersion, stableJson } from './fingerprint.js';
import { type ProjectLockOptions, withProjectLock } from './project-lock.js';
import { appendListItem, removeListItem, replaceListItem } from './yaml-edit.js';
import { parseYamlSource } from './yaml-source.js';

export type EntityKind = 'schedules' | 'jobs' | 'environments';

export interface WriteOptions {
  /** The entity's `version` from the read the edit is based on; a different version on disk → 409. */
  expectedVersion?: string;
  lock?: ProjectLockOptions;
  /** Check and compute everything, write nothing (what a rename would change, before asking). */
  dryRun?: boolean;
}

/** What a write left on disk: the entity's new version (null after a delete) and the file it is in. */
export interface WriteResult {
  name: string;
  version: string | null;
  source_file: string;
}

/**
 * The new raw value of the entity, given what is on disk now (null when creating) and the freshly loaded
 * project (for validation); null deletes it.
 */
type Change = (current: RawMap | null, project: Project) => RawMap | null;

const SINGULAR: Record<EntityKind, string> = {
  schedules: 'schedule',
  jobs: 'job',
  environments: 'environment',
};

/**
 * One write of one schedule/job, start to end under the project lock: load the project fresh (a broken file
 * anywhere stops here), find the file the entity lives in (meltano.yml for a new one), check the caller's
 * version, splice the change into that file's current text, check the result reads back as intended, and
 * replace the file atomically. Re-reading under the lock is what keeps other writers' edits.
 */
export async function writeEntity(
  root: string,
  kind: EntityKind,
  name: string | null,
  change: Change,
  options: WriteOptions = {},
): Promise<WriteResult> {
  return withProjectLock(
    root,
    async () => {
      const project = await loadProject(root);
      const existing = name === null ? undefined : project[kind].find((entity) => entity.name === name);
      if (name !== null && !existing) {
        throw new NotFoundError(SINGULAR[kind], `There is no ${SINGULAR[kind]} named '${name}'`);
      }
      const file = existing?.source_file ?? join(project.root, 'meltano.yml');
      const text = await readFile(file, 'utf8');
      const source = parseYamlSource(file, text);
      const data = yamlTextData(file, text, project.root);
      const list = Array.isArray(data[kind]) ? (data[kind] as unknown[]) : [];
      const index = name === null ? -1 : list.findIndex((item) => isRecord(item) && item.name === name);
      const current = index >= 0 ? (list[index] as RawMap) : null;
      if (name !== null && current === null) {
        // The merged project and the file disagree: the name is not a plain string key in that file.
        throw new CoreError(
          'project_write_unsupported',
          422,
          `Cannot locate ${SINGULAR[kind]} '${name}' in ${file}`,
        );
      }
      if (
        current &&
        options.expectedVersion !== undefined &&
        entityVersion(current) !== options.expectedVersion
      ) {
        throw new ConflictError(
          `${SINGULAR[kind]}_changed`,
          `The ${SINGULAR[kind]} '${name}' was changed by someone else; reload and try again`,
          { name, version: entityVersion(current) },
        );
      }

      const next = change(current, project);
      const isMain = file === join(project.root, 'meltano.yml');
      let updated: string;
      let expected: unknown[];
      if (next === null) {
        updated = removeListItem(source, kind, list, index, !isMain);
        expected = list.filter((_, i) => i !== index);
      } else if (current === null) {
        updated = appendListItem(source, kind, list, next);
        expected = [...list, next];
      } else {
        updated = replaceListItem(source, kind, list, index, current, next);
        expected = list.map((item, i) => (i === index ? next : item));
      }
      verify(file, updated, project.root, kind, expected, isMain);
      if (options.dryRun !== true) {
        await atomicWriteYaml(file, updated, { root: project.root, expectedCurrent: text });
      }
      return {
        name: next === null ? (name ?? '') : String(next.name),
        version: next === null ? null : entityVersion(next),
        source_file: file,
      };
    },
    options.lock,
  );
}

/** The spliced text must parse and hold exactly the intended list; otherwise it is our bug, not written. */
function verify(
  file: string,
  text: string,
  root: string,
  kind: EntityKind,
  expected: unknown[],
  isMain: boolean,
) {
  const after = parseYamlText(file, text, root, { remember: true }).data[kind];
  const got = after === undefined && isMain && expected.length === 0 ? [] : after;
  if (stableJson(got) !== stableJson(expected)) {
    throw new CoreError(
      'project_write_failed',
      500,
      `Editing ${relative(root, file)} did not produce the intended ${kind}`,
    );
  }
}

type FileVersions = Record<EntityKind, Record<string, string>>;

/**
 * Each file's entity versions, kept while its size, mtime and inode stay the same: the pipelines list
 * asks for them on every poll, and reading and parsing every project file for each request cost more
 * than the rest of the answer. A version kept too long could only make a write answer 409 (writes
 * compare against the file as it is when they run); it never lets a stale write through.
 */
const fileVersions = new Map<string, { stamp: string; versions: FileVersions }>();
const MAX_KEPT_FILES = 2000;

async function versionsOfFile(file: string, root: string): Promise<FileVersions> {
  const { size, mtimeMs, ino } = await stat(file);
  const stamp = `${size}:${mtimeMs}:${ino}`;
  const kept = fileVersions.get(file);
  if (kept?.stamp === stamp) return kept.versions;
  const data = yamlTextData(file, (await readFile(file, 'utf8')).replace(/^\uFEFF/, ''), root);
  const versions: FileVersions = { schedules: {}, jobs: {}, environments: {} };
  for (const kind of ['schedules', 'jobs', 'environments'] as const) {
    for (const item of Array.isArray(data[kind]) ? data[kind] : []) {
      if (isRecord(item) && typeof item.name === 'string') versions[kind][item.name] = entityVersion(item);
    }
  }
  if (fileVersions.size >= MAX_KEPT_FILES) fileVersions.clear();
  fileVersions.set(file, { stamp, versions });
  return versions;
}

/** The current version of every schedule, job and environment, keyed by name, as `expectedVersion` wants them. */
export async function readEntityVersions(project: Project): Promise<FileVersions> {
  const versions: FileVersions = { schedules: {}, jobs: {}, environments: {} };
  for (const file of project.files) {
    const own = await versionsOfFile(file, project.root);
    for (const kind of ['schedules', 'jobs', 'environments'] as const)
      Object.assign(versions[kind], own[kind]);
  }
  return versions;
}
