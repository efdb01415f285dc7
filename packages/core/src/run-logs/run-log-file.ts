import type { FileHandle } from 'node:fs/promises';
import type { SystemDatabase } from '../db/system-database.js';
import { NotFoundError } from '../errors.js';
import { findRunLog } from '../logs/find-run-log.js';
import type { LogRoot } from '../logs/log-roots.js';
import { openExistingLogFile } from '../logs/open-log-file.js';
import { warmLogReads } from '../logs/warm-log-reads.js';
import type { RunView } from '../runs/run.types.js';

export interface RunLogFile {
  run: RunView;
  /** Absolute path of the run's elt.log, or null when it does not exist (yet). */
  file: string | null;
}

/** A run by its `runs.id`, and its elt.log found from the state ID and run_id (never by mtime). */
export async function runLogFile(db: SystemDatabase, roots: LogRoot[], id: number): Promise<RunLogFile> {
  const run = await db.runs.get(id);
  if (!run) throw new NotFoundError('run', `No run with id ${id}`);
  const file = run.run_id === null ? null : await findRunLog(roots, run.state_id, run.run_id);
  return { run, file };
}

/** As `runLogFile`, but a missing log is a 404 the API can show. */
export async function requireRunLogFile(db: SystemDatabase, roots: LogRoot[], id: number) {
  const found = await runLogFile(db, roots, id);
  if (found.file === null) {
    throw new NotFoundError('log', `Run ${id} (${found.run.state_id}) has no elt.log under the logs folders`);
  }
  return { run: found.run, file: found.file };
}

/**
 * As `requireRunLogFile`, with the log opened by openLogFile: the descriptor is proven to be a
 * regular file inside the log roots, so a folder or symlink swapped after the lookup is refused.
 * Read only through `handle`, and close it.
 */
export async function openRunLog(db: SystemDatabase, roots: LogRoot[], id: number) {
  const { run, file } = await requireRunLogFile(db, roots, id);
  const handle: FileHandle = await openExistingLogFile(file, roots);
  return { run, file, handle };
}

/**
 * What the first look at a run's log does after a restart, done once at boot: the run looked up
 * (no run has id 0, so nothing is found and nothing read) and the log path warmed on a file of its
 * own (warmLogReads). Never rejects.
 */
export async function warmRunLogReads(db: SystemDatabase, roots: LogRoot[]): Promise<void> {
  await runLogFile(db, roots, 0).catch(() => {});
  await warmLogReads(roots);
}
