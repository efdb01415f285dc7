import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { KyselyProvider } from './database-connection.js';
import type { MeltanoDatabase } from './meltano-tables.js';
import { runSqliteLongStatements } from './sqlite-long-statements.js';
import { PatientSqliteDialect } from './sqlite-patient-driver.js';

/** A write waits this long for a lock another process holds, then answers 503 database_busy. */
export const BUSY_WAIT_MS = 5_000;
const MAX_CONNECTIONS = 4;

/**
 * Opens Meltano's SQLite file only once it exists (never creates it: `fileMustExist`), and reopens when
 * the file is replaced, so a database the CLI creates or recreates later is picked up.
 */
export function sqliteProvider(file: string, display: string): KyselyProvider {
  let open: { db: Kysely<MeltanoDatabase>; ino: number; dev: number } | null = null;
  const running = new Set<ReturnType<typeof runSqliteLongStatements>>();

  const drop = () => {
    const old = open;
    open = null;
    // better-sqlite3 closes synchronously inside destroy(); nothing is in flight on a replaced file.
    void old?.db.destroy().catch(() => {});
  };

  const provider: KyselyProvider = {
    dialect: 'sqlite',
    display,
    create() {
      const existing = provider.get();
      if (existing !== null) return existing;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const raw = new Database(file);
      // What Meltano does on every connection; the CLI's migrations later add its own tables beside ours.
      raw.pragma('journal_mode = WAL');
      raw.close();
      const created = provider.get();
      if (created === null) throw new Error(`Could not create ${file}`);
      return created;
    },
    get() {
      const stat = statOrNull(file);
      if (stat === null) {
        drop();
        return null;
      }
      if (open && open.ino === stat.ino && open.dev === stat.dev) return open.db;
      drop();
      let raw: Database.Database;
      try {
        raw = new Database(file, { fileMustExist: true });
      } catch (err) {
        if (statOrNull(file) === null) return null;
        throw err;
      }
      // Meltano runs the file in WAL mode and writes every second while a run is going; wait for its
      // locks instead of failing, without stopping the event loop meanwhile (PatientSqliteDialect).
      // The journal mode is the CLI's business and is left alone.
      const dialect = new PatientSqliteDialect({
        first: raw,
        open: () => new Database(file, { fileMustExist: true }),
        maxConnections: MAX_CONNECTIONS,
        busyWaitMs: BUSY_WAIT_MS,
      });
      const db = new Kysely<MeltanoDatabase>({ dialect });
      open = { db, ino: stat.ino, dev: stat.dev };
      return db;
    },
    async runLong(statements) {
      const job = runSqliteLongStatements(file, statements, BUSY_WAIT_MS);
      running.add(job);
      try {
        await job.done;
      } finally {
        running.delete(job);
      }
    },
    // Nothing pooled to discard: a replaced or recreated file is noticed by its inode in get().
    reset() {},
    async destroy() {
      const old = open;
      open = null;
      // A worker still building an index would write to the file after it is closed: end it first.
      await Promise.all([...running].map((job) => job.stop()));
      await old?.db.destroy();
    },
  };
  return provider;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}
