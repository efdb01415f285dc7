import { lstat, readdir } from 'node:fs/promises';
import { InvalidInputError, NotFoundError, PathOutsideRootError } from '../errors.js';
import type { LogRoot } from './log-roots.js';
import { resolveInsideRoot } from './safe-path.js';
import { sanitizeStateId, slugifyLegacy } from './sanitize-state-id.js';

const HEX_RUN_ID = /^[0-9a-f]{32}$/i;
const DASHED_RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run id as Meltano names its log folder: lower-case, dashed. The system DB stores 32 hex digits
 * (SQLite `CHAR(32)`), PostgreSQL and the API use the dashed form; both are accepted. Any UUID
 * version is fine (Meltano 2 wrote v4, Meltano 3+ writes v7).
 */
export function normalizeRunId(runId: string): string {
  if (typeof runId === 'string' && DASHED_RUN_ID.test(runId)) return runId.toLowerCase();
  if (typeof runId === 'string' && HEX_RUN_ID.test(runId)) {
    const hex = runId.toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  throw new InvalidInputError('run_id must be a UUID (32 hex digits, with or without dashes)', { runId });
}

/**
 * The `elt.log` of one run, looked up by state ID and run id exactly where Meltano writes it:
 * `<root>/elt/<sanitizeStateId(stateId)>/<run id>/elt.log` in each non-legacy root in the given
 * order, then `<sys dir>/run/elt/<slugifyLegacy(stateId)>/<run id>/` (its `elt.log`, else its first
 * `*.log` by name) as a last resort. Never guesses by modification time and never creates anything.
 *
 * Returns the file's real path (symlinks resolved) or null. A file or folder that is a symlink
 * leading outside its root is treated as absent (the lookup moves on to the next root) rather than
 * as an error: the state ID came from our own DB, so there is nothing useful to tell the client.
 */
export async function findRunLog(roots: LogRoot[], stateId: string, runId: string): Promise<string | null> {
  const runFolder = normalizeRunId(runId);
  if (typeof stateId !== 'string' || stateId === '') {
    throw new InvalidInputError('state_id must be a non-empty string');
  }

  const ordered = [...roots.filter((r) => r.kind !== 'legacy'), ...roots.filter((r) => r.kind === 'legacy')];
  for (const root of ordered) {
    const found =
      root.kind === 'legacy'
        ? await findLegacyLog(root.dir, slugifyLegacy(stateId), runFolder)
        : await regularFile(root.dir, ...stateFolder(sanitizeStateId(stateId)), runFolder, 'elt.log');
    if (found !== null) return found;
  }
  return null;
}

// Meltano joins an empty sanitized name away (pathlib drops empty parts), so `elt/<run id>/elt.log`.
function stateFolder(name: string): string[] {
  return name === '' ? ['elt'] : ['elt', name];
}

async function findLegacyLog(dir: string, slug: string, runFolder: string): Promise<string | null> {
  const direct = await regularFile(dir, ...stateFolder(slug), runFolder, 'elt.log');
  if (direct !== null) return direct;

  const runDir = await insideRoot(dir, ...stateFolder(slug), runFolder);
  if (runDir === null) return null;
  let names: string[];
  try {
    names = await readdir(runDir);
  } catch {
    return null;
  }
  for (const name of names.filter((n) => n.endsWith('.log')).sort()) {
    const file = await regularFile(dir, ...stateFolder(slug), runFolder, name);
    if (file !== null) return file;
  }
  return null;
}

/** The real path of a regular file under `root`, or null when it is missing, not a file or outside. */
async function regularFile(root: string, ...segments: string[]): Promise<string | null> {
  const real = await insideRoot(root, ...segments);
  if (real === null) return null;
  try {
    // lstat, not stat: a real path is never a symlink unless it dangles, and a dangling one could be
    // pointed outside the root after our check.
    const stats = await lstat(real);
    return stats.isFile() ? real : null;
  } catch {
    return null;
  }
}

async function insideRoot(root: string, ...segments: string[]): Promise<string | null> {
  try {
    return await resolveInsideRoot(root, ...segments);
  } catch (err) {
    if (err instanceof PathOutsideRootError || err instanceof NotFoundError) return null;
    // A root we may not read cannot hold a log we could serve; other roots may still have it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return null;
    throw err;
  }
}
