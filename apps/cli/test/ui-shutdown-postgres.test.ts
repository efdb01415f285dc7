import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgres, type TestPostgres } from '../../../packages/core/test/support/postgres.js';
import { type PostgresCluster, startPostgresCluster } from '../../../test-fixtures/postgres-cluster.mjs';
import { neverReadingClient } from './support/never-reading-client.js';
import { caughtUpReader, shutdownProject } from './support/shutdown-fixture.js';
import { startUi } from './support/start-ui.js';

// The SIGTERM path of ui-shutdown.test.ts with the system database on PostgreSQL (a cluster of the
// test's own): a request waiting on the database when the signal comes still gets its answer, live
// logs are told to reconnect, the pool is closed, and the process exits 0 within 10 s.
const BIN = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));

let cluster: PostgresCluster;
let db: TestPostgres;
let root: string;
let home: string;

beforeAll(async () => {
  cluster = await startPostgresCluster('cli-shutdown-pg-');
  db = await createTestPostgres(cluster.url());
  root = shutdownProject('cli-shutdown-pg-');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-shutdown-pg-home-'));
  await db.createMeltanoSchema();
  await db.loadFromSqlite(path.join(root, '.meltano', 'meltano.db'));
}, 60_000);
afterAll(async () => {
  await db?.disconnect();
  cluster?.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

/** The UI's connections to this cluster (the pool names itself meltano-ui). */
async function uiConnections(): Promise<number> {
  const res = await db.query(
    "select count(*)::int as n from pg_stat_activity where application_name = 'meltano-ui'",
  );
  return (res.rows[0] as { n: number }).n;
}

describe('meltano ui on PostgreSQL on SIGTERM', () => {
  it('finishes a request waiting on the database, tells live logs to reconnect, closes the pool, exits 0', async () => {
    const ui = startUi(root, BIN, ['ui', '--bind', '127.0.0.1'], {
      HOME: home,
      MELTANO_PROJECT_ROOT: root,
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
      MELTANO_DATABASE_URI: db.uri(),
    });
    const { child, exited } = ui;
    const url = await ui.url;
    const port = Number(new URL(url).port);

    // A browser-like reader, caught up with the end of the log.
    const live = await caughtUpReader(url, root);
    const stalled = [
      neverReadingClient(port, '/api/v1/runs/15/log/stream?offset=0'),
      neverReadingClient(port, '/api/v1/runs/15/log/download'),
    ];
    expect(await uiConnections()).toBeGreaterThan(0);

    // A request the database keeps waiting: another session holds an exclusive lock on Meltano's runs
    // table (as a migration would) for 2 s, across the signal. The test's own connection holds it.
    await db.query('begin');
    await db.query('lock table runs in access exclusive mode');
    const slow = fetch(`${url}api/v1/runs?limit=5`).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { items: { id: number }[] },
    }));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const signalled = Date.now();
    child.kill('SIGTERM');
    setTimeout(() => void db.query('rollback'), 1_500);

    const answered = await slow;
    expect(answered.status).toBe(200);
    expect(answered.body.items.length).toBe(5);
    await live.until('event: reconnect');
    expect(live.received()).toMatch(/event: reconnect\ndata: \{"reason":"server_shutdown","offset":\d+/);
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    // Closed by the pool (a Terminate message each), not left for the kernel to reset.
    expect(await uiConnections()).toBe(0);
    expect(ui.output()).not.toContain('unhandled error');
    for (const socket of stalled) socket.destroy();
  }, 40_000);
});
