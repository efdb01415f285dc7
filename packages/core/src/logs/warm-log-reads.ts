import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRunLog } from './find-run-log.js';
import { LogLineIndex } from './line-index.js';
import type { LogRoot } from './log-roots.js';
import { openLogFile } from './open-log-file.js';
import { readLogTail } from './read-log.js';
import { numberChunk } from './read-log-lines.js';

/**
 * Goes once through what a log request does — look for a run's log under the real roots, open and
 * prove a file, read its last lines, number them (counted in the background, as for the end of a
 * big log) — on a small file of its own, right after the server starts: the first log read of a
 * fresh process cost ~30 ms more than the next (code run for the first time, the roots' real paths
 * resolved, the first descriptor proofs), and the first look at a run's log is what a user does
 * after a restart. Nothing is read from the project's logs and nothing is kept: the lines are
 * numbered by an index of its own, not the server's, and the file is removed. Never rejects.
 */
export async function warmLogReads(roots: LogRoot[]): Promise<void> {
  let dir: string | null = null;
  try {
    await findRunLog(roots, 'meltano-ui-warm-up', '00000000-0000-0000-0000-000000000000');
    dir = await mkdtemp(join(tmpdir(), 'meltano-ui-warm-'));
    const file = join(dir, 'elt.log');
    await writeFile(file, 'warm-up\n'.repeat(64));
    const handle = await openLogFile(file, [{ dir, kind: 'configured' }]);
    const lineIndex = new LogLineIndex({ immediateBytes: 0, backgroundDelayMs: 0 });
    try {
      await numberChunk(handle, await readLogTail(handle, { lines: 10 }), lineIndex);
    } finally {
      await handle.close();
    }
    await lineIndex.backgroundIdle();
  } catch {
    // A warm-up only: whatever failed here fails again, with its real error, on a real request.
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}
