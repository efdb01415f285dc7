import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { BUSY_WAIT_MS } from '../../src/db/sqlite-connection.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { DatabaseUnavailableError } from '../../src/errors.js';
import { copyFixtureDb, type TempDir, tempDir } from '../support/fixtures.js';

// Another connection holds Meltano's database locked (as the CLI does while it writes runs, state and
// heartbeats). Reads must go on, writes wait a bounded time, and the event loop must never stop.
const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

/** The longest the event loop went without running a 20 ms timer while `work` ran. */
async function longestStall<T>(
  work: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let last = Date.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    stallMs = Math.max(stallMs, Date.now() - last);
    last = Date.now();
  }, 20);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(timer);
  return { result, stallMs: Math.max(stallMs, Date.now() - last) };
}

const write = (db: SystemDatabase, value: string) =>
  db.withKysely((k) => sql`insert into ui_lock_probe (value) values (${value})`.execute(k));

describe.each(['wal', 'delete'])('the SQLite system database under a held lock (journal_mode %s)', (mode) => {
  let tmp: TempDir;
  let file: string;
  let db: SystemDatabase;
  let holder: Database.Database;

  beforeEach(async () => {
    tmp = await tempDir();
    file = await copyFixtureDb('v3.9.5', tmp.dir);
    const setup = new Database(file);
    setup.pragma(`journal_mode = ${mode}`);
    setup.exec('create table ui_lock_probe (value text)');
    setup.close();
    db = openSystemDatabase(parseDatabaseUri(`sqlite:///${file}`, ctx));
    expect((await db.runs.list({}, { limit: 1 })).items).toHaveLength(1);
    holder = new Database(file);
  });
  afterEach(async () => {
    if (holder.inTransaction) holder.exec('rollback');
    holder.close();
    await db.close();
    await tmp.cleanup();
  });

  it('reads go on while a writer holds BEGIN IMMEDIATE; a write waits, then answers database_busy', async () => {
    holder.exec('begin immediate');
    holder.exec("update runs set last_heartbeat_at = '2026-11-21 06:00:00' where id = 15");
    const started = Date.now();
    expect((await db.runs.get(15))?.id).toBe(15);
    expect((await db.runs.list({}, { limit: 5 })).items).toHaveLength(5);
    expect(Date.now() - started).toBeLessThan(1_000);

    const { result, stallMs } = await longestStall(() => write(db, 'refused'));
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err).toMatchObject({ code: 'database_busy', status: 503 });
    expect(err.message).toMatch(/is locked by another process/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_WAIT_MS);
    // better-sqlite3's own busy_timeout would have stopped the event loop for the whole wait.
    expect(stallMs).toBeLessThan(1_000);
  }, 20_000);

  it('a write that waits goes through once the lock is let go within the wait', async () => {
    holder.exec('begin immediate');
    setTimeout(() => holder.exec('commit'), 1_000);
    await write(db, 'after-wait');
    expect(holder.prepare('select value from ui_lock_probe').pluck().all()).toEqual(['after-wait']);
  });

  it('many writes waiting for the lock at once do not hold up a read (a sign-in, caches, the notifier)', async () => {
    holder.exec('begin immediate');
    holder.exec("update runs set last_heartbeat_at = '2026-11-21 06:00:00' where id = 15");
    const waiting = Array.from({ length: 6 }, (_, i) =>
      write(db, `waiting-${i}`).catch((err: unknown) => err),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    expect((await db.runs.get(15))?.id).toBe(15);
    expect(Date.now() - started).toBeLessThan(1_000);
    holder.exec('commit');
    expect((await Promise.all(waiting)).filter((r) => r instanceof Error)).toEqual([]);
    expect(holder.prepare('select count(*) from ui_lock_probe').pluck().get()).toBe(6);
  }, 20_000);
  it('an EXCLUSIVE lock: readers go on under WAL, and wait then answer database_busy otherwise', async () => {
    holder.exec('begin exclusive');
    holder.exec("update runs set last_heartbeat_at = '2026-11-21 06:00:00' where id = 15");
    const { result, stallMs } = await longestStall(() => db.runs.get(15));
    if (mode === 'wal') {
      expect(result).toMatchObject({ status: 'fulfilled', value: { id: 15 } });
    } else {
      expect(result).toMatchObject({ status: 'rejected', reason: { code: 'database_busy', status: 503 } });
    }
    expect(stallMs).toBeLessThan(1_000);
  }, 20_000);
});
