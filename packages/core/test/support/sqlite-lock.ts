import Database from 'better-sqlite3';

export interface HeldLock {
  release(): void;
}

/**
 * Holds `file` locked from this process, as a Meltano command does while it writes: `immediate` is
 * a write transaction (BEGIN IMMEDIATE, one heartbeat UPDATE written but not committed), `exclusive`
 * also keeps readers out of a rollback-journal database (BEGIN EXCLUSIVE).
 */
export function holdSqliteLock(file: string, kind: 'immediate' | 'exclusive'): HeldLock {
  const db = new Database(file, { fileMustExist: true });
  db.exec(kind === 'immediate' ? 'begin immediate' : 'begin exclusive');
  db.exec("update runs set last_heartbeat_at = '2026-11-21 06:00:00' where id = (select max(id) from runs)");
  return {
    release() {
      if (!db.open) return;
      db.exec('rollback');
      db.close();
    },
  };
}

/** Switches a copied Meltano database to another journal mode (Meltano's own files are WAL). */
export function setJournalMode(file: string, mode: 'wal' | 'delete'): void {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`journal_mode = ${mode}`);
  db.close();
}
