import type { NotificationListener } from '../db/postgres-listener.js';
import type { SystemDatabase } from '../db/system-database.js';
import type { LaunchRow } from './launch.types.js';
import type { LaunchRunner } from './launch-runner.js';
import { isOurProcess, killGroup, terminate } from './process-control.js';
import type { ReplicaRegistry } from './replica-registry.js';
import { failKilledRun } from './run-row-writes.js';

/** NOTIFY channel that wakes replicas when a cancel is recorded for one of them (payload: launch id). */
export const CANCEL_CHANNEL = 'meltano_ui_cancel';

export interface CancelHandoffDeps {
  db: SystemDatabase;
  runner: LaunchRunner;
  registry: ReplicaRegistry;
  now: () => Date;
  /** How long a run may take to stop after SIGTERM before its process group is killed. */
  cancelGraceMs: number;
  /** How often this replica looks for cancel requests (the only channel on SQLite). */
  pollMs?: number;
}

/**
 * What a replica owes the launches it owns: acting on cancel requests other replicas record (woken by
 * PostgreSQL NOTIFY, and polling), finishing launches it took over (no exit event reaches it for those),
 * and taking over launches of replicas that died on this host while their process lives on.
 */
export class CancelHandoff {
  readonly #deps: CancelHandoffDeps;
  readonly #kills = new Map<string, NodeJS.Timeout>();
  #poll: NodeJS.Timeout | null = null;
  #listener: NotificationListener | null = null;
  #ticking: Promise<void> | null = null;
  #again = false;
  #closed = false;

  constructor(deps: CancelHandoffDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (this.#poll !== null || this.#closed) return;
    this.#poll = setInterval(() => this.wake(), this.#deps.pollMs ?? 1000);
    this.#poll.unref();
    this.#listener = this.#deps.db.listen(CANCEL_CHANNEL, () => this.wake());
  }

  /** Looks for work now; a call during a look makes one more look after it. */
  wake(): void {
    if (this.#closed) return;
    if (this.#ticking !== null) {
      this.#again = true;
      return;
    }
    this.#ticking = this.tick()
      .catch(() => {
        // The database is down: the next poll (or the listener's reconnect) tries again.
      })
      .finally(() => {
        this.#ticking = null;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** One look: pending cancels of this replica's launches, then its taken-over launches that ended. */
  async tick(): Promise<void> {
    const { registry, runner } = this.#deps;
    if (!registry.registered) return;
    for (const row of await runner.launches.pendingCancels(registry.id)) {
      if (row.pid === null) continue; // still starting: acted on once it has a pid
      if (isOurProcess(row.pid, row.id)) await this.stop(row, row.cancel_requested_by);
      else await runner.reconcileOne(row.id);
    }
    for (const row of await runner.launches.activeOf(registry.id)) {
      if (!runner.watches(row.id)) await runner.reconcileOne(row.id);
    }
  }

  /**
   * Takes over the launches of replicas gone from this host whose process still runs (they become
   * cancellable here and get their end recorded), and finishes those whose process is gone.
   */
  async adoptOrphans(): Promise<void> {
    const { registry, runner } = this.#deps;
    for (const row of await runner.launches.active()) {
      if (row.replica_id === null || row.replica_id === registry.id) continue;
      if (!(await this.ownerGone(row.replica_id))) continue;
      if (row.host !== runner.host) await this.#finishIfRunEnded(row);
      else if (row.pid !== null && isOurProcess(row.pid, row.id)) await this.adopt(row);
      else await runner.reconcileOne(row.id);
    }
  }

  /**
   * A launch of a replica gone from another host (a pod that was replaced: its processes went with
   * it) cannot be checked from here. Once Meltano's own rows say its run is over (ended, or RUNNING
   * without a heartbeat long enough to be stale), it is finished, so its state IDs are free to run again.
   */
  async #finishIfRunEnded(row: LaunchRow): Promise<void> {
    const stateIds = JSON.parse(row.state_ids) as string[];
    const latest = await this.#deps.db.runs.recentByStateId(stateIds, 5);
    const runs = [...latest.values()].flat().filter((r) => r.run_id === row.run_id);
    const startedLongAgo = Date.now() - Date.parse(row.created_at) > 5 * 60_000;
    const over = runs.length > 0 ? runs.every((r) => r.status !== 'running') : startedLongAgo;
    if (!over) return;
    await this.#deps.runner.launches.finish(row.id, {
      status: 'exited',
      error: `The Meltano UI server on ${row.host} that started this run is gone; Meltano's records show the run ended`,
      ended_at: this.#deps.now().toISOString(),
    });
  }

  async ownerGone(replicaId: string): Promise<boolean> {
    return !(await this.#deps.registry.liveness(replicaId)).alive;
  }

  /** Makes this replica the launch's owner; false when another replica took it first. */
  async adopt(row: LaunchRow): Promise<boolean> {
    await this.#deps.registry.heartbeat();
    return this.#deps.runner.launches.adopt(row.id, row.replica_id, this.#deps.registry.id);
  }

  /** Records the request for the owning replica and wakes it; false when the launch ended meanwhile. */
  async request(row: LaunchRow, requestedBy: string | null): Promise<boolean> {
    await this.#deps.registry.heartbeat();
    const recorded = await this.#deps.runner.launches.requestCancel(row.id, {
      at: this.#deps.now().toISOString(),
      by: requestedBy,
      via: this.#deps.registry.id,
    });
    // The owner polls too: a notification that cannot be sent only costs it a second.
    if (recorded) await this.#deps.db.notify(CANCEL_CHANNEL, row.id).catch(() => {});
    return recorded;
  }

  /**
   * SIGTERM to a run's process on this host (Meltano ends the run as FAIL), SIGKILL to its group after
   * the grace period; records the request (when it was not recorded already) and that it was acted on.
   */
  async stop(row: LaunchRow, requestedBy: string | null): Promise<void> {
    const pid = row.pid as number;
    terminate(pid);
    const at = this.#deps.now().toISOString();
    const by = this.#deps.registry.id;
    const { launches } = this.#deps.runner;
    if (row.cancel_requested_at === null || row.cancel_acted_at !== null)
      await launches.update(row.id, {
        cancel_requested_at: at,
        cancel_requested_by: requestedBy,
        cancel_requested_via: by,
      });
    await launches.markCancelActed(row.id, { at, by });
    if (this.#kills.has(row.id)) return;
    const timer = setTimeout(() => {
      this.#kills.delete(row.id);
      if (!isOurProcess(pid, row.id)) return;
      killGroup(pid);
      const error = 'The process was killed by the Meltano UI after it did not stop within the grace period';
      void failKilledRun(this.#deps.db, row.run_id, error, this.#deps.now()).catch(() => {});
    }, this.#deps.cancelGraceMs);
    timer.unref();
    this.#kills.set(row.id, timer);
  }

  /** Stops polling, listening and pending SIGKILL timers (server shutdown); the runs keep going. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poll !== null) clearInterval(this.#poll);
    this.#poll = null;
    for (const t of this.#kills.values()) clearTimeout(t);
    this.#kills.clear();
    await this.#listener?.close();
    this.#listener = null;
    // A look in progress is not awaited: against a database that does not answer it could take the
    // pool's connect timeout, and what it would still write is retried by whichever replica runs next.
  }
}
