import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { LaunchRow, LaunchStatus, LaunchView } from './launch.types.js';
import type { RunOptions } from './run-options.js';

export function launchView(row: LaunchRow): LaunchView {
  return {
    id: row.id,
    pipeline_kind: row.pipeline_kind === 'job' ? 'job' : 'schedule',
    pipeline_name: row.pipeline_name,
    state_ids: JSON.parse(row.state_ids) as string[],
    run_id: row.run_id,
    argv: [row.executable, ...(JSON.parse(row.argv) as string[])],
    host: row.host,
    pid: row.pid,
    status: row.status as LaunchStatus,
    exit_code: row.exit_code,
    signal: row.signal,
    error: row.error,
    created_at: row.created_at,
    ended_at: row.ended_at,
    cancel_requested_at: row.cancel_requested_at,
    replica_id: row.replica_id ?? null,
    cancel_requested_by: row.cancel_requested_by ?? null,
    cancel_acted_at: row.cancel_acted_at ?? null,
    options: row.options ? (JSON.parse(row.options) as RunOptions) : {},
    // PostgreSQL returns bigint as a string.
    retry_of_run_id: row.retry_of_run_id == null ? null : Number(row.retry_of_run_id),
  };
}

/** Thrown when another launch holds one of the state IDs. */
export class LockHeldError extends Error {
  constructor(readonly holders: string[]) {
    super('state ID locked');
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}

/** The ui_launches and ui_launch_locks tables. */
export function createLaunchesRepository(tables: UiTables) {
  return {
    /**
     * Inserts the launch and takes its locks in one transaction; LockHeldError if any is taken. Pipelines lock
     * their state IDs, installs a key of their own (the column keeps its first name, `state_id`).
     */
    async create(row: LaunchRow, lockKeys: string[]): Promise<void> {
      try {
        await tables.with((db) =>
          db.transaction().execute(async (trx) => {
            await trx.insertInto('ui_launches').values(row).execute();
            for (const state_id of lockKeys) {
              await trx
                .insertInto('ui_launch_locks')
                .values({ state_id, launch_id: row.id, created_at: row.created_at })
                .execute();
            }
          }),
        );
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const holders = await tables.with((db) =>
          db.selectFrom('ui_launch_locks').select('launch_id').where('state_id', 'in', lockKeys).execute(),
        );
        throw new LockHeldError([...new Set(holders.map((h: { launch_id: string }) => h.launch_id))]);
      }
    },

    async update(id: string, fields: Partial<LaunchRow>): Promise<void> {
      await tables.with((db) => db.updateTable('ui_launches').set(fields).where('id', '=', id).execute());
    },

    /** Marks the launch ended and frees its state IDs. */
    async finish(id: string, fields: Partial<LaunchRow>): Promise<void> {
      await tables.with((db) =>
        db.transaction().execute(async (trx) => {
          await trx.updateTable('ui_launches').set(fields).where('id', '=', id).execute();
          await trx.deleteFrom('ui_launch_locks').where('launch_id', '=', id).execute();
        }),
      );
    },

    async get(id: string): Promise<LaunchRow | null> {
      const row = await tables.with((db) =>
        db.selectFrom('ui_launches').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return (row as LaunchRow | undefined) ?? null;
    },

    /** The newest launch of a kind (`upgrade`). */
    async latestOfKind(kind: string): Promise<LaunchRow | null> {
      const row = await tables.with((db) =>
        db
          .selectFrom('ui_launches')
          .selectAll()
          .where('pipeline_kind', '=', kind)
          .orderBy('created_at', 'desc')
          .executeTakeFirst(),
      );
      return (row as LaunchRow | undefined) ?? null;
    },

    async byRunId(runId: string): Promise<LaunchRow | null> {
      const row = await tables.with((db) =>
        db
          .selectFrom('ui_launches')
          .selectAll()
          .where('run_id', '=', runId)
          .orderBy('created_at', 'desc')
          .executeTakeFirst(),
      );
      return (row as LaunchRow | undefined) ?? null;
    },

    /** Launches still starting or running, for reconciling after a restart. */
    async active(): Promise<LaunchRow[]> {
      return (await tables.with((db) =>
        db.selectFrom('ui_launches').selectAll().where('status', 'in', ['starting', 'running']).execute(),
      )) as LaunchRow[];
    },

    /** Launches still starting or running that `replicaId` owns. */
    async activeOf(replicaId: string): Promise<LaunchRow[]> {
      return (await tables.with((db) =>
        db
          .selectFrom('ui_launches')
          .selectAll()
          .where('replica_id', '=', replicaId)
          .where('status', 'in', ['starting', 'running'])
          .execute(),
      )) as LaunchRow[];
    },

    /**
     * Records a cancel for the owning replica to carry out (a new request re-arms one already acted
     * on). False when the launch has ended meanwhile.
     */
    async requestCancel(
      id: string,
      request: { at: string; by: string | null; via: string },
    ): Promise<boolean> {
      const result = await tables.with((db) =>
        db
          .updateTable('ui_launches')
          .set({
            cancel_requested_at: request.at,
            cancel_requested_by: request.by,
            cancel_requested_via: request.via,
            cancel_acted_at: null,
            cancel_acted_by: null,
          })
          .where('id', '=', id)
          .where('status', 'in', ['starting', 'running'])
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) > 0;
    },

    /** Requests that `replicaId` has not acted on yet, for launches it owns. */
    async pendingCancels(replicaId: string): Promise<LaunchRow[]> {
      return (await tables.with((db) =>
        db
          .selectFrom('ui_launches')
          .selectAll()
          .where('replica_id', '=', replicaId)
          .where('status', 'in', ['starting', 'running'])
          .where('cancel_requested_at', 'is not', null)
          .where('cancel_acted_at', 'is', null)
          .execute(),
      )) as LaunchRow[];
    },

    async markCancelActed(id: string, acted: { at: string; by: string }): Promise<void> {
      await tables.with((db) =>
        db
          .updateTable('ui_launches')
          .set({ cancel_acted_at: acted.at, cancel_acted_by: acted.by })
          .where('id', '=', id)
          .execute(),
      );
    },

    /**
     * Moves a launch from the replica `from` (null: a launch recorded before replicas) to `to`. A
     * compare-and-set: when two replicas try at once, exactly one gets true.
     */
    async adopt(id: string, from: string | null, to: string): Promise<boolean> {
      const result = await tables.with((db) =>
        db
          .updateTable('ui_launches')
          .set({ replica_id: to })
          .where('id', '=', id)
          .where('status', 'in', ['starting', 'running'])
          .where('replica_id', from === null ? 'is' : '=', from)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) > 0;
    },

    /** Launches that retry the run `runId` (runs.id), oldest first. */
    async retriesOf(runId: number): Promise<LaunchRow[]> {
      return (await tables.with((db) =>
        db
          .selectFrom('ui_launches')
          .selectAll()
          .where('retry_of_run_id', '=', runId)
          .orderBy('created_at', 'asc')
          .limit(50)
          .execute(),
      )) as LaunchRow[];
    },
    /** The newest launches (of the last 200) recording `stateId`, to match runs of CLIs without --run-id. */
    async recentForStateId(stateId: string, limit: number): Promise<LaunchRow[]> {
      const rows = (await tables.with((db) =>
        db.selectFrom('ui_launches').selectAll().orderBy('created_at', 'desc').limit(200).execute(),
      )) as LaunchRow[];
      return rows.filter((r) => (JSON.parse(r.state_ids) as string[]).includes(stateId)).slice(0, limit);
    },
  };
}
export type LaunchesRepository = ReturnType<typeof createLaunchesRepository>;
