import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { listenPostgres } from '../../src/db/postgres-listener.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { ReplicaRegistry } from '../../src/executor/replica-registry.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { UI_MIGRATIONS } from '../../src/ui-db/migrations/index.js';
import { DIALECTS } from '../support/backends.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

/** A launch row as 0001 created them, before replicas were recorded. */
const LEGACY_LAUNCH = {
  id: '00000000-0000-4000-8000-000000000001',
  pipeline_kind: 'schedule',
  pipeline_name: 'daily',
  state_ids: '["daily"]',
  run_id: '00000000-0000-4000-8000-0000000000aa',
  executable: '/usr/bin/meltano',
  argv: '["schedule","run","--","daily"]',
  host: 'old-host',
  pid: 4242,
  status: 'running',
  exit_code: null,
  signal: null,
  error: null,
  capture_file: '/tmp/x.log',
  created_at: '2026-01-01T00:00:00.000Z',
  ended_at: null,
  cancel_requested_at: null,
};

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DIALECTS)('replicas on one system database (%s)', (dialect) => {
  let pg: TestPostgres | null = null;
  let dir: string;
  let db: SystemDatabase;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicas-'));
    let uri = `sqlite:///${path.join(dir, 'meltano.db')}`;
    if (dialect === 'postgres') {
      pg = await createTestPostgres();
      uri = pg.uri();
    }
    db = openSystemDatabase(parseDatabaseUri(uri, ctx));
  });
  afterAll(async () => {
    await db.close();
    await pg?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('0004 adds ui_replicas and the owner columns to launches recorded before it, and goes down again', async () => {
    const upTo3 = Object.fromEntries(Object.entries(UI_MIGRATIONS).slice(0, 3));
    await db.withKysely(
      async (k) => {
        const migrator = new Migrator({
          db: k,
          provider: { getMigrations: async () => upTo3 },
          migrationTableName: 'ui_migrations',
          migrationLockTableName: 'ui_migrations_lock',
        });
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        await k.insertInto('ui_launches').values(LEGACY_LAUNCH).execute();
      },
      { create: true },
    );
    const tables = uiTables(db);
    const row = await tables.with((k) =>
      k.selectFrom('ui_launches').selectAll().where('id', '=', LEGACY_LAUNCH.id).executeTakeFirstOrThrow(),
    );
    expect(row).toMatchObject({
      ...LEGACY_LAUNCH,
      replica_id: null,
      cancel_requested_by: null,
      cancel_requested_via: null,
      cancel_acted_at: null,
      cancel_acted_by: null,
    });
    expect(await tables.with((k) => k.selectFrom('ui_replicas').selectAll().execute())).toEqual([]);
    const m0004 = UI_MIGRATIONS['0004-create-ui-replicas']!;
    await db.withKysely(async (k) => {
      await m0004.down!(k);
      const back = await k.selectFrom('ui_launches').selectAll().executeTakeFirstOrThrow();
      // 0010's columns (run options, retries) stay: only 0004's own go.
      const later = ['options', 'retry_of_run_id'];
      expect(Object.keys(back).sort()).toEqual([...Object.keys(LEGACY_LAUNCH), ...later].sort());
      await m0004.up(k);
    });
  });

  it('registers on first use, heartbeats, and tells live replicas from gone ones', async () => {
    const tables = uiTables(db);
    const a = new ReplicaRegistry({ tables, host: os.hostname(), heartbeatMs: 100 });
    const b = new ReplicaRegistry({ tables, host: os.hostname(), heartbeatMs: 100, deadAfterMs: 500 });
    const far = new ReplicaRegistry({ tables, host: 'far-away.example', heartbeatMs: 100 });
    try {
      let beats = 0;
      a.start(async () => {
        beats++;
      });
      await until('two beats of a', () => beats >= 2);
      const row = await b.get(a.id);
      expect(row).toMatchObject({ id: a.id, host: os.hostname(), pid: process.pid });
      const first = row!.seen_at;
      await until('a newer heartbeat', async () => (await b.get(a.id))!.seen_at > first);
      expect(await b.liveness(a.id)).toMatchObject({ alive: true });

      // Killed (its row left behind) on this host: gone at once, its pid being no longer a replica.
      await a.close({ deregister: false });
      expect(await b.get(a.id)).not.toBeNull();
      expect((await b.liveness(a.id)).alive).toBe(false);

      // On another host only the heartbeat tells: fresh is alive, quiet for deadAfterMs is gone.
      await far.heartbeat();
      await far.close({ deregister: false });
      expect((await b.liveness(far.id)).alive).toBe(true);
      await new Promise((r) => setTimeout(r, 600));
      const gone = await b.liveness(far.id);
      expect(gone.alive).toBe(false);
      expect(gone.replica?.host).toBe('far-away.example');

      // A clean close deletes the row.
      await b.heartbeat();
      await b.close();
      expect(await a.get(b.id)).toBeNull();
      expect((await far.liveness(b.id)).alive).toBe(false);
    } finally {
      await a.close();
      await b.close();
      await far.close();
    }
  });

  it.runIf(dialect === 'postgres')(
    'LISTEN gets each NOTIFY, and again after its connection is killed',
    async () => {
      const payloads: string[] = [];
      const listener = listenPostgres(pg!.uri(), 'meltano_ui_test', (p) => payloads.push(p), {
        reconnectMs: 50,
      });
      try {
        // A (re)connect is announced with an empty payload: the caller looks for what it missed.
        await until('the first connect', () => payloads.includes(''));
        await db.notify('meltano_ui_test', 'one');
        await until('the first notification', () => payloads.includes('one'));
        await pg!.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'meltano-ui-listen' and datname = current_database()",
        );
        const connects = payloads.filter((p) => p === '').length;
        await until('the reconnect', () => payloads.filter((p) => p === '').length > connects);
        await db.notify('meltano_ui_test', 'two');
        await until('the notification after the reconnect', () => payloads.includes('two'));
      } finally {
        await listener.close();
      }
    },
  );

  it.runIf(dialect === 'sqlite')('has no listener on SQLite, and notify is a no-op there', async () => {
    expect(db.listen('meltano_ui_test', () => {})).toBeNull();
    await expect(db.notify('meltano_ui_test', 'x')).resolves.toBeUndefined();
  });
});
