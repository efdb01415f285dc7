import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import type { LaunchRunner } from '../executor/launch-runner.js';
import { readLogChunk } from '../logs/read-log.js';
import type { ProjectStore } from '../project/project-store.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import {
  type DeploymentDetail,
  type DeploymentTrigger,
  type DeploymentView,
  deploymentView,
  type UiDeploymentsTable,
} from './deployment.types.js';
import { DeploymentLog } from './deployment-log.js';
import { DeploymentFailure, runDeploymentSteps } from './deployment-steps.js';
import { createDeploymentsRepository } from './deployments.repository.js';
import { readCheckout } from './git-checkout.js';
import { type PushEvent, WebhookNotConfiguredError } from './github-webhook.js';

export interface DeploymentSettings {
  /** ui.deploy.branch; null deploys the checkout's current branch. */
  branch: string | null;
  remote: string;
  /** ui.deploy.secret; null turns the webhook off. */
  secret: string | null;
}

export interface DeploymentServiceDeps {
  root: string;
  tables: UiTables;
  projectStore: ProjectStore;
  settings: DeploymentSettings;
  /** Runs `meltano install` (the executor's detached launches). */
  runner: LaunchRunner;
  now: () => Date;
  host?: string;
  /** How often queued deployments of other replicas are looked for (ms). */
  pollMs?: number;
  /** A running deployment whose heartbeat is older than this is taken to be dead (ms). */
  staleAfterMs?: number;
}

export interface DeployRequest {
  trigger: DeploymentTrigger;
  commit: string | null;
  requestedBy: string | null;
  deliveryId?: string | null;
}

export type WebhookOutcome =
  | { kind: 'pong' }
  | { kind: 'ignored'; reason: string; deployment: DeploymentView | null }
  | { kind: 'queued'; deployment: DeploymentView; deduplicated: boolean };

const COMMIT = /^[0-9a-f]{7,64}$/i;
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![./])$/;
const HEARTBEAT_MS = 5_000;
const INSTALL_TIMEOUT_MS = 30 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A branch name safe to hand to git as an argument (no option, no range, no odd characters). */
export function checkBranchName(name: string, field = 'branch'): string {
  if (!BRANCH.test(name))
    throw new InvalidInputError(`'${name.slice(0, 100)}' is not a branch name`, { field });
  return name;
}

/**
 * Deployments of the project checkout from its Git remote: queued in `ui_deployments`, run one at a time
 * across replicas (the `ui_deployment_lock` row), by whichever replica takes the lock.
 */
export class DeploymentService {
  readonly #deps: DeploymentServiceDeps;
  readonly #repo;
  readonly #host: string;
  #draining: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(deps: DeploymentServiceDeps) {
    this.#deps = deps;
    this.#repo = createDeploymentsRepository(deps.tables);
    this.#host = deps.host ?? `${os.hostname()}:${process.pid}`;
  }

  get settings(): DeploymentSettings {
    return this.#deps.settings;
  }

  /** Starts looking for queued deployments every `pollMs` (queued by another replica, or left over). */
  start(): void {
    if (this.#timer !== null || this.#closed) return;
    this.#timer = setInterval(() => void this.drain().catch(() => {}), this.#deps.pollMs ?? 3_000);
    this.#timer.unref();
  }

  /**
   * Stops looking for work. A deployment under way gets `graceMs` to end (its git steps are short); a
   * long `meltano install` is not waited for: once this process is gone its heartbeat stops, and
   * another replica (or the next start) marks it failed and takes the lock.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    const current = this.#draining;
    if (current === null) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([current.catch(() => {}), grace]);
    clearTimeout(timer);
  }

  /** The branch deployments move: ui.deploy.branch, else the checkout's (NotAGitCheckoutError when none). */
  async branch(): Promise<string> {
    const checkout = await readCheckout(this.#deps.root);
    const branch = this.#deps.settings.branch ?? checkout.branch;
    if (branch === null) {
      throw new ConflictError(
        'deploy_branch_unknown',
        'The checkout is on a detached HEAD and ui.deploy.branch is not set: there is no branch to deploy',
      );
    }
    return checkBranchName(branch, 'ui.deploy.branch');
  }

  async list(limit: number, before?: string): Promise<DeploymentView[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      throw new InvalidInputError('limit must be an integer from 1 to 200', { field: 'limit' });
    }
    if (before !== undefined && Number.isNaN(Date.parse(before))) {
      throw new InvalidInputError('before must be a timestamp', { field: 'before' });
    }
    return (await this.#repo.list(limit, before)).map(deploymentView);
  }

  async get(id: string): Promise<DeploymentDetail> {
    const row = await this.#repo.get(id);
    if (!row) throw new NotFoundError('deployment', `No deployment with id ${id}`);
    return { ...deploymentView(row), log: row.log };
  }

  /** Queues a deployment (or finds the queued or running one for the same commit) and starts the queue. */
  async request(req: DeployRequest): Promise<{ deployment: DeploymentView; deduplicated: boolean }> {
    if (req.commit !== null && !COMMIT.test(req.commit)) {
      throw new InvalidInputError('commit must be a commit hash (7 to 64 hex digits)', { field: 'commit' });
    }
    const branch = await this.branch();
    const commit = req.commit?.toLowerCase() ?? null;
    const row = this.#newRow({
      status: 'queued',
      trigger: req.trigger,
      branch,
      requested_commit: commit,
      requested_by: req.requestedBy,
      delivery_id: req.deliveryId ?? null,
      dedup_key: commit ?? `tip:${branch}`,
    });
    const { row: queued, deduplicated } = await this.#repo.enqueue(row);
    void this.drain().catch(() => {});
    return { deployment: deploymentView(queued), deduplicated };
  }

  /** What a signed GitHub delivery leads to (the route has checked the signature). */
  async webhook(event: string, deliveryId: string | null, payload: () => PushEvent): Promise<WebhookOutcome> {
    if (this.#deps.settings.secret === null) throw new WebhookNotConfiguredError();
    if (event === 'ping') return { kind: 'pong' };
    if (event !== 'push') {
      return {
        kind: 'ignored',
        reason: `GitHub '${event.slice(0, 50)}' events do not deploy (only push)`,
        deployment: null,
      };
    }
    const push = payload();
    const branch = await this.branch();
    const ignore = async (reason: string) => {
      const row = this.#newRow({
        status: 'ignored',
        trigger: 'webhook',
        branch,
        requested_commit: COMMIT.test(push.after) ? push.after.toLowerCase() : null,
        requested_by: push.pusher,
        delivery_id: deliveryId,
        reason,
        ended_at: this.#deps.now().toISOString(),
      });
      await this.#repo.record(row);
      return { kind: 'ignored' as const, reason, deployment: deploymentView(row) };
    };
    if (push.ref !== `refs/heads/${branch}`) {
      return ignore(`The push is to ${push.ref.slice(0, 200)}; this workspace deploys refs/heads/${branch}`);
    }
    if (push.deleted) return ignore(`The push deleted ${push.ref}`);
    if (!COMMIT.test(push.after))
      throw new InvalidInputError('after must be a commit hash', { field: 'after' });
    const queued = await this.request({
      trigger: 'webhook',
      commit: push.after,
      requestedBy: push.pusher,
      deliveryId,
    });
    return { kind: 'queued', ...queued };
  }

  #newRow(fields: Partial<UiDeploymentsTable> & Pick<UiDeploymentsTable, 'status' | 'trigger' | 'branch'>) {
    const row: UiDeploymentsTable = {
      id: randomUUID(),
      requested_commit: null,
      commit: null,
      previous_commit: null,
      author: null,
      message: null,
      requested_by: null,
      delivery_id: null,
      reason: null,
      error: null,
      installed: 0,
      log: '',
      dedup_key: null,
      host: null,
      created_at: this.#deps.now().toISOString(),
      started_at: null,
      ended_at: null,
      heartbeat_at: null,
      ...fields,
    };
    return row;
  }

  /** Runs queued deployments while this replica holds the lock; resolves when the queue is empty here. */
  drain(): Promise<void> {
    this.#draining ??= this.#drainLoop().finally(() => {
      this.#draining = null;
    });
    return this.#draining;
  }

  async #drainLoop(): Promise<void> {
    // No system DB yet (a fresh SQLite project): nothing was ever queued, and a look must not create it.
    if (!(await this.#deps.tables.databaseExists())) return;
    await this.#failDead();
    while (!this.#closed) {
      const next = await this.#repo.nextQueued();
      if (next === null) return;
      const now = this.#deps.now();
      const staleBefore = new Date(now.getTime() - (this.#deps.staleAfterMs ?? 120_000)).toISOString();
      if (!(await this.#repo.acquireLock(next.id, this.#host, now.toISOString(), staleBefore))) return;
      try {
        // Another replica may have run it between the look and the lock.
        const current = await this.#repo.get(next.id);
        if (current?.status === 'queued') await this.#run(current);
      } finally {
        await this.#repo.releaseLock(next.id);
      }
    }
  }

  /** Deployments left `running` by a replica that stopped: they are failed so the queue moves on. */
  async #failDead(): Promise<void> {
    const staleBefore = new Date(
      this.#deps.now().getTime() - (this.#deps.staleAfterMs ?? 120_000),
    ).toISOString();
    for (const row of await this.#repo.staleRunning(staleBefore)) {
      await this.#repo.update(row.id, {
        status: 'failed',
        error: `The replica running it (${row.host ?? 'unknown'}) stopped answering mid-deployment`,
        ended_at: this.#deps.now().toISOString(),
        dedup_key: null,
      });
    }
  }

  async #run(row: UiDeploymentsTable): Promise<void> {
    const { now } = this.#deps;
    const log = new DeploymentLog(now);
    let flushing: Promise<void> = Promise.resolve();
    let pending: NodeJS.Timeout | null = null;
    const flush = () => {
      pending = null;
      const text = log.text();
      flushing = flushing.then(() => this.#repo.update(row.id, { log: text })).catch(() => {});
      return flushing;
    };
    const line = (text: string) => {
      log.line(text);
      pending ??= setTimeout(flush, 250);
    };
    const startedAt = now().toISOString();
    await this.#repo.update(row.id, {
      status: 'running',
      started_at: startedAt,
      heartbeat_at: startedAt,
      host: this.#host,
    });
    const heartbeat = setInterval(
      () => void this.#repo.heartbeat(row.id, now().toISOString()).catch(() => {}),
      HEARTBEAT_MS,
    );
    heartbeat.unref();
    line(
      `Deployment ${row.id} (${row.trigger}) of ${row.branch}${row.requested_commit ? ` at ${row.requested_commit}` : ''} on ${this.#host}`,
    );
    let result: Partial<UiDeploymentsTable>;
    try {
      const outcome = await runDeploymentSteps(
        {
          root: this.#deps.root,
          remote: this.#deps.settings.remote,
          branch: row.branch,
          commit: row.requested_commit,
        },
        {
          log: line,
          resolved: (info) => this.#repo.update(row.id, info),
          install: () => this.#install(line),
          reload: async () => {
            const snapshot = await this.#deps.projectStore.get({ fresh: true });
            return snapshot.ok ? snapshot.project : null;
          },
        },
      );
      line(`Deployed ${outcome.commit}`);
      result = { status: 'succeeded', commit: outcome.commit, installed: outcome.installed ? 1 : 0 };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      line(`Failed: ${message}`);
      result = { status: 'failed', error: message.slice(0, 2000) };
      if (!(err instanceof DeploymentFailure)) result.error = `${message}`.slice(0, 2000);
    } finally {
      clearInterval(heartbeat);
      if (pending !== null) clearTimeout(pending);
    }
    await flushing;
    await this.#repo.update(row.id, {
      ...result,
      log: log.text(),
      ended_at: now().toISOString(),
      dedup_key: null,
    });
  }

  /** `meltano install` through the executor, its output copied into the deployment's log as it comes. */
  async #install(line: (text: string) => void): Promise<void> {
    const { runner } = this.#deps;
    let executable: { path: string };
    try {
      executable = await runner.executable();
    } catch (err) {
      throw new DeploymentFailure(`meltano install cannot run: ${(err as Error).message}`);
    }
    line(`$ ${executable.path} install`);
    const id = await runner.launch(
      {
        kind: 'install',
        name: 'deployment/all',
        args: ['install'],
        env: {},
        stateIds: [],
        lockKeys: ['meltano-ui:install:deployment'],
      },
      executable.path,
      null,
      () => new DeploymentFailure('Another meltano install of a deployment is running'),
    );
    let offset = 0;
    let rest = '';
    const deadline = Date.now() + INSTALL_TIMEOUT_MS;
    for (;;) {
      const launch = await runner.row(id, ['install']);
      const done = launch.status !== 'starting' && launch.status !== 'running';
      for (;;) {
        const chunk = await readLogChunk(launch.capture_file, { offset }).catch(() => null);
        if (chunk === null || chunk.length === 0) break;
        offset = chunk.offset + chunk.length;
        const lines = (rest + chunk.text).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) if (l.trim() !== '') line(l);
        if (chunk.eof) break;
      }
      if (done) {
        if (rest.trim() !== '') line(rest);
        if (launch.status === 'exited' && launch.exit_code === 0) return;
        throw new DeploymentFailure(
          `meltano install failed (${launch.error ?? `exit code ${launch.exit_code ?? launch.signal ?? 'unknown'}`}); ` +
            'the checkout stays at the new commit: fix the plugins and deploy again',
        );
      }
      if (Date.now() > deadline)
        throw new DeploymentFailure('meltano install did not finish within 30 minutes');
      await sleep(200);
    }
  }
}
