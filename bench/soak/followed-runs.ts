// Running runs whose logs keep growing: started with the stand-in CLI (as cron would run `meltano`),
// plus a writer that appends timestamped marker lines to their elt.log files so SSE lag can be measured.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { logFileFor, logLine, uuid7Hex } from '@meltano-ui/meltano-standin';
import { STANDIN } from './fixture-project.js';

export interface FollowedRun {
  stateId: string;
  file: string;
  process: ChildProcess;
}

/** `meltano elt tap-demo target-demo --state-id soak-follow-N` on the stand-in, logging until stopped. */
export function startFollowedRuns(root: string, env: NodeJS.ProcessEnv, count: number): FollowedRun[] {
  return Array.from({ length: count }, (_, i) => {
    const stateId = `soak-follow-${i}`;
    const runIdHex = uuid7Hex();
    const child = spawn(
      process.execPath,
      [STANDIN, 'elt', 'tap-demo', 'target-demo', `--state-id=${stateId}`],
      {
        cwd: root,
        env: { ...env, STANDIN_MODE: 'hang', STANDIN_DELAY_MS: '1000', MELTANO_RUN_ID: runIdHex },
        stdio: 'ignore',
      },
    );
    return {
      stateId,
      file: logFileFor(path.join(root, '.meltano', 'logs'), stateId, runIdHex),
      process: child,
    };
  });
}

export async function stopFollowedRuns(runs: FollowedRun[]): Promise<void> {
  await Promise.all(
    runs.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (r.process.exitCode !== null || r.process.signalCode !== null) return resolve();
          r.process.once('exit', () => resolve());
          r.process.kill('SIGTERM');
        }),
    ),
  );
}

const MARKER = /soak-marker seq=(\d+) t=(\d+)/;

/** A marker line's sequence number and the time it was written, or null for any other line. */
export function parseMarker(line: string): { seq: number; writtenAt: number } | null {
  const m = MARKER.exec(line);
  return m ? { seq: Number(m[1]), writtenAt: Number(m[2]) } : null;
}

/**
 * Every `intervalMs`, appends to each file one marker line (`seq`, time written) and `fillerLines`
 * ordinary record lines, as a busy tap would. `lastSeq` is the last marker written (-1 before any).
 */
export function startLogWriter(files: string[], opts: { intervalMs: number; fillerLines: number }) {
  let seq = -1;
  let bytes = 0;
  let record = 0;
  const timer = setInterval(() => {
    seq++;
    for (const file of files) {
      const now = new Date();
      const lines = [logLine(now, 'info', `soak-marker seq=${seq} t=${now.getTime()}`, { name: 'soak' })];
      for (let i = 0; i < opts.fillerLines; i++) {
        lines.push(
          logLine(now, 'info', `INFO Emitted record id=${++record}`, {
            cmd_type: 'extractor',
            name: 'tap-demo',
            stdio: 'stderr',
          }),
        );
      }
      const text = `${lines.join('\n')}\n`;
      fs.appendFileSync(file, text);
      bytes += text.length;
    }
  }, opts.intervalMs);
  return {
    get lastSeq() {
      return seq;
    },
    get bytes() {
      return bytes;
    },
    stop: () => clearInterval(timer),
  };
}
