import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program. Eval'd, so it needs no file of its own next to the launcher's bundle;
 * better-sqlite3 comes by the absolute path resolved here. It may wait for Meltano's write lock and
 * then run for seconds: off the event loop, that stops nothing but itself.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
try {
  db.pragma('busy_timeout = ' + workerData.busyWaitMs);
  for (const statement of workerData.statements) db.exec(statement);
} finally {
  db.close();
}
parentPort.postMessage('done');
`;

/**
 * Runs statements that can take seconds on a big file (an index over `runs`) in a worker thread with
 * its own connection: better-sqlite3 runs a statement synchronously, and a second of CREATE INDEX on
 * the main thread would stop every request meanwhile. `stop()` ends the worker (a statement under way
 * finishes or rolls back first: SQLite's own transaction) and resolves once it has exited.
 */
export function runSqliteLongStatements(
  file: string,
  statements: readonly string[],
  busyWaitMs: number,
): { done: Promise<void>; stop(): Promise<void> } {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, statements: [...statements], module, busyWaitMs },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const done = new Promise<void>((resolve, reject) => {
    let finished = false;
    worker.once('message', () => {
      finished = true;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (finished) resolve();
      else reject(new Error(`the SQLite worker stopped (exit code ${code}) before its statements were done`));
    });
  });
  return {
    done,
    async stop() {
      await worker.terminate();
      await exited;
    },
  };
}
