import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';
import { alive, until } from './support/wait.js';

// Pipelines are run by the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
const HANG = { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_MODE: 'hang', STANDIN_DELAY_MS: '100' };
const FAST = { heartbeatMs: 200, pollMs: 200 };

interface Launch {
  id: string;
  pid: number | null;
  status: string;
  exit_code: number | null;
  replica_id: string | null;
  cancel_requested_at: string | null;
  cancel_requested_by: string | null;
  cancel_acted_at: string | null;
}

/** Ends a run left going by a test, with its process group; nothing when it is gone already. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts `schedule` on `app`; resolves with the launch and its RUNNING run row. */
async function startHanging(app: TestApp, schedule: string) {
  const res = await app.server.inject({ method: 'POST', url: `/api/v1/schedules/${schedule}/run` });
  expect(res.statusCode, res.body).toBe(202);
  const launch = res.json() as Launch;
  const run = await until('the run row', async () => {
    const r = await app.server.inject({ url: `/api/v1/runs?state_id=${schedule}&status=running` });
    return (r.json().items as { id: number }[])[0];
  });
  return { launch, run };
}

/**
 * What a SIGKILL leaves in the database: the replica's row, its heartbeat stopped. The server is closed
 * (which deregisters it), then its row is put back as it was, and its core closed so that nothing of
 * it (exit handlers included) writes anymore. `beforeCoreCloses` may write rows as it would have.
 */
async function kill(app: TestApp, replicaId: string, beforeCoreCloses?: () => Promise<void>) {
  const row = await app.core.db.withKysely((k) =>
    k.selectFrom('ui_replicas').selectAll().where('id', '=', replicaId).executeTakeFirstOrThrow(),
  );
  await app.server.close();
  await app.core.db.withKysely((k) => k.insertInto('ui_replicas').values(row).execute());
  await beforeCoreCloses?.();
  await app.core.close();
  return row as { seen_at: string; host: string };
}

const launchOf = async (app: TestApp, id: string) =>
  (await app.server.inject({ url: `/api/v1/launches/${id}` })).json() as Launch;

describe.each(DIALECTS)('cancel across replicas on one system database (%s)', (dialect) => {
  it('a replica that did not launch the run records the cancel; the owner stops it within 2 s', async () => {
    const a = await startTestApp(dialect, { env: HANG, launcher: { replicaTimings: FAST } });
    const b = await startTestApp(dialect, {
      replicaOf: a,
      env: HANG,
      // B polls slowly: on PostgreSQL the owner is woken by NOTIFY, on SQLite by its own polling.
      launcher: { replicaTimings: { heartbeatMs: 200, pollMs: 5000 } },
    });
    try {
      const { launch, run } = await startHanging(a, 'cron-demo');
      expect(launch.replica_id).toMatch(/^[0-9a-f-]{36}$/);
      // B sees it running, and refuses a second start of the pipeline.
      expect((await b.server.inject({ url: `/api/v1/runs/${run.id}` })).json()).toMatchObject({
        status: 'running',
        cancel_request: null,
      });
      const again = await b.server.inject({ method: 'POST', url: '/api/v1/schedules/cron-demo/run' });
      expect(again.statusCode).toBe(409);

      const asked = Date.now();
      const cancel = await b.server.inject({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` });
      expect(cancel.statusCode).toBe(202);
      const body = cancel.json();
      expect(body).toMatchObject({
        id: launch.id,
        replica_id: launch.replica_id,
        cancel_requested_by: null,
        cancel: {
          handled_by: 'owner_replica',
          owner: { replica_id: launch.replica_id, host: os.hostname() },
          adopted: false,
        },
      });
      expect(body.cancel_requested_at).not.toBeNull();
      expect(body.cancel.message).toMatch(/was asked to stop it/);

      const acted = await until(
        'the owner to act',
        async () => (await launchOf(b, launch.id)).cancel_acted_at,
        2000,
      );
      expect(Date.now() - asked).toBeLessThan(2000);
      const seen = (await b.server.inject({ url: `/api/v1/runs/${run.id}` })).json();
      expect(seen.cancel_request).toEqual({
        launch_id: launch.id,
        requested_at: body.cancel_requested_at,
        requested_by: null,
        acted_at: acted,
        owner_replica_id: launch.replica_id,
        owner_host: os.hostname(),
      });
      const ended = await until('the cancelled run to end', async () => {
        const r = (await b.server.inject({ url: `/api/v1/runs/${run.id}` })).json();
        return r.status === 'failed' ? r : null;
      });
      expect(ended.error).toBe('The process was terminated');
      const exited = await until('the launch to end', async () => {
        const l = await launchOf(b, launch.id);
        return l.status === 'exited' ? l : null;
      });
      expect(exited.exit_code).toBe(143);
    } finally {
      await b.cleanup();
      await a.cleanup();
    }
  });

  it('answers 409 naming the host when the owning replica on another host is gone', async () => {
    const a = await startTestApp(dialect, {
      env: HANG,
      launcher: { host: 'replica-a.example', replicaTimings: FAST },
    });
    const b = await startTestApp(dialect, {
      replicaOf: a,
      env: HANG,
      launcher: { replicaTimings: { ...FAST, deadAfterMs: 1000 } },
    });
    let pid: number | null = null;
    const pids: number[] = [];
    try {
      const { launch, run } = await startHanging(a, 'daily-demo');
      pid = launch.pid;
      const killed = await kill(a, launch.replica_id!);
      expect(killed.host).toBe('replica-a.example');
      await new Promise((r) => setTimeout(r, 1300));
      const res = await b.server.inject({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` });
      expect(res.statusCode).toBe(409);
      const body = res.json();
      expect(body).toMatchObject({
        error: true,
        code: 'run_owner_gone',
        details: { host: 'replica-a.example', replica_id: launch.replica_id },
      });
      expect(body.message).toContain('replica-a.example');
      expect(body.message).toContain(`last seen ${body.details.last_seen_at}`);
      expect(body.details.last_seen_at).toBe(killed.seen_at);
      // Nothing was recorded nor signalled: the run goes on.
      expect((await launchOf(b, launch.id)).cancel_requested_at).toBeNull();
      expect(alive(launch.pid!)).toBe(true);

      // Stopped on its own host, the run ends in Meltano's rows; B then finishes the launch and frees
      // the pipeline (a replaced pod's runs would otherwise hold their state IDs forever).
      process.kill(launch.pid!, 'SIGTERM');
      const ended = await until('the launch to be finished by B', async () => {
        const l = (await b.server.inject({ url: `/api/v1/launches/${launch.id}` })).json();
        return l.status === 'exited' ? l : null;
      });
      expect(ended.error).toMatch(/on replica-a\.example that started this run is gone/);
      const again = await b.server.inject({ method: 'POST', url: '/api/v1/schedules/daily-demo/run' });
      expect(again.statusCode).toBe(202);
      pids.push(again.json().pid);
    } finally {
      for (const p of [...pids, ...(pid === null ? [] : [pid])]) killGroup(p);
      await b.cleanup();
      await a.cleanup();
    }
  });

  it('a replica restarted after a kill takes over the live runs of its host and finishes the dead ones', async () => {
    const a = await startTestApp(dialect, { env: HANG, launcher: { replicaTimings: FAST } });
    let restarted: TestApp | null = null;
    try {
      const live = await startHanging(a, 'daily-demo');
      // A is killed. A second launch of A's, whose process died while A was down, is recorded directly.
      const deadPid = spawnSync('true').pid;
      const deadId = randomUUID();
      await kill(a, live.launch.replica_id!, () =>
        a.core.db.withKysely(async (k) => {
          const row = await k
            .selectFrom('ui_launches')
            .selectAll()
            .where('id', '=', live.launch.id)
            .executeTakeFirstOrThrow();
          await k
            .insertInto('ui_launches')
            .values({ ...row, id: deadId, run_id: randomUUID(), pid: deadPid, pipeline_name: 'cron-demo' })
            .execute();
        }),
      );

      restarted = await startTestApp(dialect, {
        replicaOf: a,
        env: HANG,
        launcher: { replicaTimings: FAST, cancelGraceMs: 3000 },
      });
      const adopted = await until('the live run to be taken over', async () => {
        const l = await launchOf(restarted!, live.launch.id);
        return l.replica_id !== live.launch.replica_id ? l : null;
      });
      const me = adopted.replica_id;
      expect(adopted).toMatchObject({ status: 'running', pid: live.launch.pid });
      const finished = await until('the dead run to be finished', async () => {
        const row = await restarted!.core.db.withKysely((k) =>
          k.selectFrom('ui_launches').selectAll().where('id', '=', deadId).executeTakeFirstOrThrow(),
        );
        return row.status === 'exited' ? row : null;
      });
      expect(finished.replica_id).toBe(live.launch.replica_id);

      // The taken-over run is this replica's to cancel, and its end is recorded without an exit event.
      const cancel = await restarted.server.inject({
        method: 'POST',
        url: `/api/v1/runs/${live.run.id}/cancel`,
      });
      expect(cancel.statusCode).toBe(202);
      expect(cancel.json().cancel).toMatchObject({ handled_by: 'this_replica', owner: { replica_id: me } });
      const exited = await until('the taken-over launch to end', async () => {
        const l = await launchOf(restarted!, live.launch.id);
        return l.status === 'exited' ? l : null;
      });
      expect(exited.exit_code).toBe(143);
    } finally {
      await restarted?.cleanup();
      await a.cleanup();
    }
  });
});
