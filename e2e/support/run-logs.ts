import fs from 'node:fs';
import path from 'node:path';
import { logFileFor, logLine, meltanoTimestamp, openSystemDb, uuid7Hex } from '@meltano-ui/meltano-standin';

/** Runs of the real Meltano 3.9.5 fixture project the log tests open. */
export const FIXTURE_RUNS = {
  /** FAIL, with a traceback from the tap and Meltano's own. */
  manualFail: { id: 3, dir: 'manual-fail', runId: '01a1fc64-438b-7a8f-b559-b1b1b56158d6' },
  /** SUCCESS, a short log: the 200 MiB log is written in its place. */
  cronDemo: { id: 11, dir: 'cron-demo', runId: '01a1fc64-a91d-772a-bc82-d0aab2575682' },
} as const;

export function fixtureLog(root: string, run: { dir: string; runId: string }): string {
  return path.join(root, '.meltano', 'logs', 'elt', run.dir, run.runId, 'elt.log');
}

const LINE_BYTES = 128;

/** Line `n` of a generated log: 128 bytes with its newline; line 3 carries an error marker. */
export function numberedLine(n: number): string {
  const level = n === 3 ? 'error    ' : 'info     ';
  const what = n === 3 ? 'early failure marker' : n === 5 ? 'needle near the start' : 'record';
  return `2026-11-21T05:00:00.000000Z [${level}] big log line ${String(n).padStart(8, '0')} ${what} `.padEnd(
    LINE_BYTES - 1,
    '.',
  );
}

/** Writes a log of `bytes` bytes (a multiple of 128) of numbered lines, in large blocks; returns the line count. */
export function writeNumberedLog(file: string, bytes: number): number {
  const lines = Math.floor(bytes / LINE_BYTES);
  const handle = fs.openSync(file, 'w');
  try {
    const perBlock = 65_536;
    for (let first = 1; first <= lines; first += perBlock) {
      const parts: string[] = [];
      for (let n = first; n < Math.min(first + perBlock, lines + 1); n += 1)
        parts.push(`${numberedLine(n)}\n`);
      fs.writeSync(handle, parts.join(''));
    }
  } finally {
    fs.closeSync(handle);
  }
  return lines;
}

export interface FakeRun {
  id: number;
  logFile: string;
  /** Appends one Meltano-formatted line and returns its text. */
  log(level: string, message: string): string;
  heartbeat(): Promise<void>;
  finish(state: 'SUCCESS' | 'FAIL', error?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A run that is going on now, written the way Meltano writes one: a RUNNING row with a fresh
 * heartbeat in the project's system DB, and its elt.log under `.meltano/logs/elt/`.
 */
export async function startFakeRun(root: string, stateId: string): Promise<FakeRun> {
  const db = openSystemDb(`sqlite:///${path.join(root, '.meltano', 'meltano.db')}`);
  const runIdHex = uuid7Hex();
  const now = new Date();
  const id = await db.insertRun({
    job_name: stateId,
    state: 'RUNNING',
    started_at: meltanoTimestamp(now),
    last_heartbeat_at: meltanoTimestamp(now),
    run_id: runIdHex,
    trigger: 'cli',
  });
  const logFile = logFileFor(path.join(root, '.meltano', 'logs'), stateId, runIdHex);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = (level: string, message: string) => {
    const line = logLine(new Date(), level, message, { run_id: runIdHex, state_id: stateId });
    fs.appendFileSync(logFile, `${line}\n`);
    return line;
  };
  log('info', 'Running extract & load...');
  return {
    id,
    logFile,
    log,
    heartbeat: () => db.heartbeat(id, new Date()),
    async finish(state, error) {
      const at = meltanoTimestamp(new Date());
      await db.updateRun(id, {
        state,
        ended_at: at,
        last_heartbeat_at: at,
        ...(error ? { payload: { error } } : {}),
      });
    },
    close: () => db.close(),
  };
}
