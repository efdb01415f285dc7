import { randomUUID } from 'node:crypto';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';

/** A server process sharing the system database, as its `ui_replicas` row says. */
export interface ReplicaRow {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  seen_at: string;
}

export interface ReplicaLiveness {
  /** Null when the row is gone (deregistered on a clean close, or pruned). */
  replica: ReplicaRow | null;
  alive: boolean;
}

export interface ReplicaRegistryOptions {
  tables: UiTables;
  host: string;
  /** How often the row's `seen_at` is refreshed. */
  heartbeatMs?: number;
  /** A replica not seen for this long is gone. */
  deadAfterMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 3000;
const DEFAULT_DEAD_AFTER_MS = 15_000;
/** Rows of replicas gone this long are deleted (kept a while so a refusal can say when one was last seen). */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long a clean close waits for its row to be deleted. */
const CLOSE_WAIT_MS = 1000;

/** Replicas registered by this process and not closed: known alive without asking the clock. */
const liveInThisProcess = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user has that pid, which is alive (but cannot be ours).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * This server process's row in `ui_replicas`: registered on first use (not at boot, so a project whose
 * SQLite system DB does not exist yet is not given one), refreshed every few seconds, deleted on a
 * clean close. Liveness of others comes from their heartbeat, and on this host also from their pid:
 * a replica killed and restarted at once is known gone before its heartbeat goes stale.
 */
export class ReplicaRegistry {
  readonly id = randomUUID();
  readonly host: string;
  readonly deadAfterMs: number;
  readonly #tables: UiTables;
  readonly #heartbeatMs: number;
  #registered = false;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #beating: Promise<void> | null = null;

  constructor(opts: ReplicaRegistryOptions) {
    this.#tables = opts.tables;
    this.host = opts.host;
    this.#heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.deadAfterMs = opts.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS;
    liveInThisProcess.add(this.id);
  }

  get registered(): boolean {
    return this.#registered;
  }

  /** Starts the heartbeat; `onBeat` runs after each one that reached the database. */
  start(onBeat: () => Promise<void>): void {
    if (this.#timer !== null || this.#closed) return;
    const beat = async () => {
      try {
        if (!this.#registered && !(await this.#tables.databaseExists())) return;
        await this.heartbeat();
        await onBeat();
      } catch {
        // The database is down: the next beat tries again (others see this replica as quiet meanwhile).
      }
    };
    this.#timer = setInterval(() => void beat(), this.#heartbeatMs);
    this.#timer.unref();
    void beat();
  }

  /** Makes sure the row exists and is fresh (before launching: the launch names this replica). */
  heartbeat(): Promise<void> {
    // One beat at a time: the timer's and a launch's would otherwise race to insert the first row.
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = null;
    });
    return this.#beating;
  }

  async #beat(): Promise<void> {
    if (this.#closed) return;
    const now = new Date().toISOString();
    await this.#tables.with(async (db) => {
      const updated = await db
        .updateTable('ui_replicas')
        .set({ seen_at: now })
        .where('id', '=', this.id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) return;
      // First beat, or the row was lost (a database restored from a backup): (re-)register.
      await db
        .insertInto('ui_replicas')
        .values({ id: this.id, host: this.host, pid: process.pid, started_at: now, seen_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: now }))
        .execute();
      const cutoff = new Date(Date.now() - PRUNE_AFTER_MS).toISOString();
      await db.deleteFrom('ui_replicas').where('seen_at', '<', cutoff).execute();
    });
    this.#registered = true;
  }

  async get(id: string): Promise<ReplicaRow | null> {
    const row = await this.#tables.with((db) =>
      db.selectFrom('ui_replicas').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    return (row as ReplicaRow | undefined) ?? null;
  }

  /** Whether replica `id` still runs. */
  async liveness(id: string): Promise<ReplicaLiveness> {
    if (id === this.id) return { replica: await this.get(id), alive: !this.#closed };
    const replica = await this.get(id);
    if (replica === null) return { replica, alive: false };
    if (liveInThisProcess.has(id)) return { replica, alive: true };
    if (replica.host === this.host && (replica.pid === process.pid || !pidAlive(replica.pid))) {
      // Same host: its pid is gone, or is now this process (a restarted container's PID 1).
      return { replica, alive: false };
    }
    return { replica, alive: Date.now() - Date.parse(replica.seen_at) < this.deadAfterMs };
  }

  /**
   * Stops the heartbeat. `deregister` (the default) deletes the row so others know at once; false
   * leaves it to go stale, as a killed process would.
   */
  async close(opts: { deregister?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    liveInThisProcess.delete(this.id);
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (!this.#registered || opts.deregister === false) return;
    const deleted = this.#tables
      .with((db) => db.deleteFrom('ui_replicas').where('id', '=', this.id).execute())
      .catch(() => {
        // The database is down: the row goes stale, and others treat this replica as gone.
      });
    // Shutdown must not wait on a database that does not answer (SIGTERM has to exit within seconds).
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    await Promise.race([deleted, timeout]);
    clearTimeout(timer);
  }
}
