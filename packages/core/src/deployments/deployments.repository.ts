import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../auth/auth-tables.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { UiDeploymentLockTable, UiDeploymentsTable } from './deployment.types.js';

interface DeploymentsDatabase {
  ui_deployments: UiDeploymentsTable;
  ui_deployment_lock: UiDeploymentLockTable;
}

const LOCK_NAME = 'deploy';

function withDb<T>(tables: UiTables, fn: (db: Kysely<DeploymentsDatabase>) => Promise<T>): Promise<T> {
  return tables.with((db) => fn(db as Kysely<DeploymentsDatabase>));
}

/** The ui_deployments history and the ui_deployment_lock row that lets one deployment run at a time. */
export function createDeploymentsRepository(tables: UiTables) {
  return {
    /**
     * Inserts a queued deployment, or returns the queued or running one holding the same `dedup_key`
     * (the unique index decides, across requests and replicas).
     */
    async enqueue(row: UiDeploymentsTable): Promise<{ row: UiDeploymentsTable; deduplicated: boolean }> {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await withDb(tables, (db) => db.insertInto('ui_deployments').values(row).execute());
          return { row, deduplicated: false };
        } catch (err) {
          if (!isUniqueViolation(err) || row.dedup_key === null) throw err;
          const existing = await withDb(tables, (db) =>
            db
              .selectFrom('ui_deployments')
              .selectAll()
              .where('dedup_key', '=', row.dedup_key)
              .executeTakeFirst(),
          );
          // It ended between the insert and the look: try again, it no longer holds the key.
          if (existing) return { row: existing, deduplicated: true };
        }
      }
      throw new Error('could not queue the deployment');
    },

    /** A row that never runs (an ignored webhook delivery). */
    async record(row: UiDeploymentsTable): Promise<void> {
      await withDb(tables, (db) => db.insertInto('ui_deployments').values(row).execute());
    },

    async get(id: string): Promise<UiDeploymentsTable | null> {
      const row = await withDb(tables, (db) =>
        db.selectFrom('ui_deployments').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return row ?? null;
    },

    /** Newest first, without their logs (`log` is ''); `before` (a created_at) pages on. */
    async list(limit: number, before?: string): Promise<UiDeploymentsTable[]> {
      const rows = await withDb(tables, (db) => {
        let query = db
          .selectFrom('ui_deployments')
          .select([
            'id',
            'status',
            'trigger',
            'branch',
            'requested_commit',
            'commit',
            'previous_commit',
            'author',
            'message',
            'requested_by',
            'delivery_id',
            'reason',
            'error',
            'installed',
            'dedup_key',
            'host',
            'created_at',
            'started_at',
            'ended_at',
            'heartbeat_at',
          ]);
        if (before !== undefined) query = query.where('created_at', '<', before);
        return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      });
      return rows.map((row) => ({ ...row, log: '' }));
    },

    async update(id: string, fields: Partial<UiDeploymentsTable>): Promise<void> {
      await withDb(tables, (db) =>
        db.updateTable('ui_deployments').set(fields).where('id', '=', id).execute(),
      );
    },

    /** The oldest queued deployment. */
    async nextQueued(): Promise<UiDeploymentsTable | null> {
      const row = await withDb(tables, (db) =>
        db
          .selectFrom('ui_deployments')
          .selectAll()
          .where('status', '=', 'queued')
          .orderBy('created_at')
          .orderBy('id')
          .executeTakeFirst(),
      );
      return row ?? null;
    },

    /** Deployments marked running whose heartbeat is older than `staleBefore` (their replica died). */
    async staleRunning(staleBefore: string): Promise<UiDeploymentsTable[]> {
      return withDb(tables, (db) =>
        db
          .selectFrom('ui_deployments')
          .selectAll()
          .where('status', '=', 'running')
          .where('heartbeat_at', '<', staleBefore)
          .execute(),
      );
    },

    /**
     * Takes the one deployment lock for `deploymentId`; false while another holds it. A lock whose
     * heartbeat is older than `staleBefore` (its replica died mid-deployment) is taken over.
     */
    async acquireLock(
      deploymentId: string,
      host: string,
      now: string,
      staleBefore: string,
    ): Promise<boolean> {
      const row = { name: LOCK_NAME, deployment_id: deploymentId, host, acquired_at: now, heartbeat_at: now };
      try {
        await withDb(tables, (db) => db.insertInto('ui_deployment_lock').values(row).execute());
        return true;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const taken = await withDb(tables, (db) =>
        db
          .updateTable('ui_deployment_lock')
          .set({ deployment_id: deploymentId, host, acquired_at: now, heartbeat_at: now })
          .where('name', '=', LOCK_NAME)
          .where('heartbeat_at', '<', staleBefore)
          .executeTakeFirst(),
      );
      return Number(taken.numUpdatedRows) > 0;
    },

    async heartbeat(deploymentId: string, now: string): Promise<void> {
      await withDb(tables, async (db) => {
        await db
          .updateTable('ui_deployment_lock')
          .set({ heartbeat_at: now })
          .where('name', '=', LOCK_NAME)
          .where('deployment_id', '=', deploymentId)
          .execute();
        await db
          .updateTable('ui_deployments')
          .set({ heartbeat_at: now })
          .where('id', '=', deploymentId)
          .execute();
      });
    },

    async releaseLock(deploymentId: string): Promise<void> {
      await withDb(tables, (db) =>
        db
          .deleteFrom('ui_deployment_lock')
          .where('name', '=', LOCK_NAME)
          .where('deployment_id', '=', deploymentId)
          .execute(),
      );
    },

    /** Who holds the lock now (for the API: "a deployment is running on replica X"). */
    async lockHolder(): Promise<UiDeploymentLockTable | null> {
      const row = await withDb(tables, (db) =>
        db.selectFrom('ui_deployment_lock').selectAll().where('name', '=', LOCK_NAME).executeTakeFirst(),
      );
      return row ?? null;
    },
  };
}
export type DeploymentsRepository = ReturnType<typeof createDeploymentsRepository>;
