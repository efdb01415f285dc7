import { randomUUID } from 'node:crypto';
import type { SystemDatabase } from '../db/system-database.js';
import { stateIdOwners } from '../pipelines/pipeline-views.js';
import type { Project } from '../project/project.types.js';
import type { RunView } from '../runs/run.types.js';
import { scheduleLateness } from '../schedules/lateness.js';
import { scheduleStateIds } from '../schedules/state-ids.js';
import type { ChannelConfig } from './channel-config.js';
import { type LinkBase, lateContent, runContent } from './content.js';
import { deliver, retryable } from './deliver.js';
import { type DetectedEvent, detectLateEvents, detectRunEvents } from './detect-events.js';
import {
  LEGACY_EVENTS,
  LEGACY_RULE_KEY,
  type LegacyEmail,
  legacySubject,
  readSubscriptions,
} from './legacy-email.js';
import type { NotificationContent, NotificationRun } from './notification.types.js';
import {
  claimKey,
  type Lease,
  type NewClaim,
  type NotificationsRepository,
  type StoredRule,
} from './notifications.repository.js';
import type { NotificationsService } from './notifications-service.js';

export interface NotifierOptions {
  db: SystemDatabase;
  repo: NotificationsRepository;
  service: NotificationsService;
  /** The project as loaded now; null while it does not parse (runs are then named by state ID). */
  project: () => Promise<Project | null>;
  /** The environment job state IDs are computed under. */
  environment: (project: Project | null) => Promise<string | null>;
  link: LinkBase;
  scheduleGraceSeconds: number | null;
  /** ui.notification's implicit email rule; null when off. */
  legacyEmail: LegacyEmail | null;
  /** The failure cause line of a failed run (failure-causes/); default: the runs row's error. */
  failureCause?: (run: RunView) => Promise<string | null>;
  /** Records a run moved (Singer metrics, built elsewhere); default: unknown (null). */
  recordsMoved?: (run: RunView) => Promise<number | null>;
  now?: () => Date;
  /** Between polls. Default 5 s. */
  pollMs?: number;
  /** A send not recorded this long after it was claimed is taken over by any replica. Default 2 min. */
  leaseMs?: number;
  /** The first retry waits this long, each next one twice as long, at most an hour. Default 30 s. */
  retryBaseMs?: number;
  /** Attempts per delivery, the first included. Default 6 (the last about 15 min after the first). */
  maxAttempts?: number;
  /** Events older than this are not sent (a restart after a long stop). Default 24 h. */
  maxEventAgeMs?: number;
  /** Per send; see senders.ts. */
  sendTimeoutMs?: number;
  /** Deliveries sent at the same time. Default 4. */
  concurrency?: number;
  onError?: (err: unknown) => void;
}

export interface TickReport {
  /** Events this replica won the claim of (and sent once). */
  claimed: number;
  /** Attempts made: claimed ones, retries and takeovers. */
  attempts: number;
  delivered: number;
  failed: number;
}

const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
/** Due retries leased per poll: the rest wait for the next. */
const DUE_PER_TICK = 20;

/**
 * Polls the system DB for run outcomes and late schedules, claims each (rule, event) in
 * `ui_notification_deliveries` (the replica whose insert wins sends it), delivers, retries with
 * exponential backoff, and takes over sends whose replica died (lease expired). Every replica runs
 * one; `start()` begins polling, `close()` stops it and waits for the poll in progress.
 */
export class Notifier {
  readonly owner = randomUUID();
  readonly #opts: NotifierOptions;
  readonly #now: () => Date;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  /** claimKey → when the event happened: decided (claimed by someone), not asked again. */
  readonly #decided = new Map<string, number>();
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #closed = false;

  constructor(opts: NotifierOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? (() => new Date());
    this.#pollMs = opts.pollMs ?? 5000;
    this.#leaseMs = opts.leaseMs ?? 120_000;
    this.#startedAt = this.#now().getTime();
  }

  /** Polls every pollMs until close(); a failing poll is reported to onError and the next one tries again. */
  start(): void {
    if (this.#timer !== null || this.#closed) return;
    const loop = () => {
      this.#timer = null;
      if (this.#closed) return;
      this.#running = this.tick()
        .catch((err: unknown) => this.#opts.onError?.(err))
        .finally(() => {
          this.#running = null;
          if (!this.#closed) {
            this.#timer = setTimeout(loop, this.#pollMs);
            this.#timer.unref();
          }
        });
    };
    this.#timer = setTimeout(loop, 0);
    this.#timer.unref();
  }

  /** Stops polling; resolves once the poll in progress (and its sends, each bounded) has finished. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One poll: detect, claim, send; then due retries and takeovers. Tests call it directly. */
  async tick(): Promise<TickReport> {
    const report: TickReport = { claimed: 0, attempts: 0, delivered: 0, failed: 0 };
    if (!(await this.#opts.repo.available())) return report;
    const leases = await this.#claimNew();
    report.claimed = leases.length;
    leases.push(...(await this.#opts.repo.leaseDue(this.owner, this.#leaseMs, DUE_PER_TICK)));
    await this.#sendAll(leases, report);
    return report;
  }

  async #claimNew(): Promise<Lease[]> {
    const rules = (await this.#opts.repo.listRules()).filter((r) => r.enabled);
    const legacy = this.#opts.legacyEmail;
    if (rules.length === 0 && legacy === null) return [];
    const now = this.#now().getTime();
    const since = now - (this.#opts.maxEventAgeMs ?? 24 * 3_600_000);
    for (const [key, at] of this.#decided) if (at < since) this.#decided.delete(key);

    const project = await this.#opts.project();
    const environment = await this.#opts.environment(project);
    const events = await this.#detect(project, environment, since);
    const owners = project ? stateIdOwners(project, environment) : new Map();

    const wanted: { claim: Omit<NewClaim, 'payload'>; event: DetectedEvent; rule: StoredRule | null }[] = [];
    for (const event of events) {
      for (const rule of rules) {
        if (!ruleMatches(rule, event)) continue;
        wanted.push({ claim: claimOf(`rule:${rule.id}`, rule.id, rule.channel_id, event), event, rule });
      }
      if (legacy && this.#legacyWants(event, owners)) {
        wanted.push({ claim: claimOf(LEGACY_RULE_KEY, null, null, event), event, rule: null });
      }
    }
    const fresh = wanted.filter((w) => !this.#decided.has(claimKey(w.claim.rule_key, w.claim.event_key)));
    if (fresh.length === 0) return [];
    const taken = await this.#opts.repo.claimedKeys(fresh.map((w) => w.claim));
    const leases: Lease[] = [];
    const contents = new Map<string, Promise<NotificationContent>>();
    const subscriptions =
      legacy && fresh.some((w) => w.rule === null) ? await readSubscriptions(this.#opts.db) : null;
    for (const w of fresh) {
      const key = claimKey(w.claim.rule_key, w.claim.event_key);
      if (!taken.has(key)) {
        let content = contents.get(w.event.key);
        if (content === undefined) {
          content = this.#content(w.event);
          contents.set(w.event.key, content);
        }
        const base = { ...(await content), delivery_key: `${w.claim.rule_key}/${w.claim.event_key}` };
        const payload =
          w.rule === null && legacy
            ? this.#legacyPayload(base, w.event, project, legacy, subscriptions)
            : { content: base };
        if (payload !== null) {
          const lease = await this.#opts.repo.claim({ ...w.claim, payload }, this.owner, this.#leaseMs);
          if (lease) leases.push(lease);
        }
      }
      this.#decided.set(key, w.event.at);
    }
    return leases;
  }

  async #detect(
    project: Project | null,
    environment: string | null,
    since: number,
  ): Promise<DetectedEvent[]> {
    const { db } = this.#opts;
    const scheduleIds = project
      ? project.schedules.map((s) => ({ schedule: s, ids: scheduleStateIds(project, s, environment) }))
      : [];
    const withRuns = (await db.runs.stateIdSummaries()).map((s) => s.state_id);
    const summaries = await db.runs.summaries([
      ...new Set([...withRuns, ...scheduleIds.flatMap((s) => s.ids)]),
    ]);
    const runsByStateId = new Map([...summaries].map(([id, summary]) => [id, summary.recent]));
    const owners = project ? stateIdOwners(project, environment) : new Map();
    const now = this.#now();
    const late = detectLateEvents({
      since,
      schedules: scheduleIds.map(({ schedule, ids }) => ({
        name: schedule.name,
        jobs: schedule.kind === 'job' ? [schedule.job] : [],
        lateness: scheduleLateness({
          interval: schedule.interval,
          startDate: schedule.start_date,
          orchestrated: schedule.orchestrated,
          runStarts: ids.flatMap((id) => runsByStateId.get(id)?.map((r) => r.started_at) ?? []),
          now,
          graceSeconds: this.#opts.scheduleGraceSeconds,
        }),
      })),
    });
    return [...detectRunEvents({ runsByStateId, owners, since }), ...late];
  }

  #legacyWants(event: DetectedEvent, owners: ReadonlyMap<string, { schedules: string[] }>): boolean {
    const run = event.run;
    if (run === null || run.trigger !== 'ui') return false;
    if (!(LEGACY_EVENTS as readonly string[]).includes(event.event)) return false;
    // Only runs that ended while this notifier ran (a poll's worth of slack): see legacy-email.ts.
    if (event.at < this.#startedAt - this.#pollMs * 2) return false;
    return (owners.get(run.state_id)?.schedules.length ?? 0) > 0;
  }

  #legacyPayload(
    content: NotificationContent,
    event: DetectedEvent,
    project: Project | null,
    legacy: LegacyEmail,
    subscriptions: Map<string, string[]> | null,
  ) {
    const schedules = project
      ? project.schedules.filter((s) => event.pipelines.includes(s.name)).map((s) => s.name)
      : [];
    const to = [
      ...new Set([...legacy.recipients, ...schedules.flatMap((name) => subscriptions?.get(name) ?? [])]),
    ];
    if (to.length === 0) return null;
    const title = legacySubject(project, schedules[0] ?? event.pipeline, event.event === 'succeeded');
    return { content: { ...content, title, text: `${title}\n${content.text}` }, recipients: to };
  }

  async #content(event: DetectedEvent): Promise<NotificationContent> {
    const occurredAt = new Date(event.at).toISOString();
    if (event.schedule) {
      const { lateness } = event.schedule;
      return lateContent({
        deliveryKey: event.key,
        occurredAt,
        link: this.#opts.link,
        lateness: {
          schedule: event.schedule.name,
          expected_at: lateness.expected_at ?? occurredAt,
          missed: lateness.missed,
          missed_capped: lateness.missed_capped,
        },
      });
    }
    const run = event.run as RunView;
    const [cause, records] = await Promise.all([
      run.status === 'success' ? null : this.#failureCause(run),
      this.#opts.recordsMoved ? this.#opts.recordsMoved(run).catch(() => null) : null,
    ]);
    const shown: NotificationRun = {
      id: run.id,
      run_id: run.run_id,
      state_id: run.state_id,
      status: run.status,
      started_at: run.started_at,
      ended_at: run.ended_at,
      duration_seconds: run.duration_seconds,
      trigger: run.trigger,
      records_moved: records,
      failure_cause: cause,
    };
    return runContent({
      event: event.event as Exclude<DetectedEvent['event'], 'late'>,
      deliveryKey: event.key,
      pipeline: event.pipeline,
      run: shown,
      occurredAt,
      link: this.#opts.link,
    });
  }

  async #failureCause(run: RunView): Promise<string | null> {
    if (!this.#opts.failureCause) return run.error;
    try {
      return (await this.#opts.failureCause(run)) ?? run.error;
    } catch (err) {
      this.#opts.onError?.(err);
      return run.error;
    }
  }

  async #sendAll(leases: Lease[], report: TickReport): Promise<void> {
    const queue = [...leases];
    const worker = async () => {
      for (let lease = queue.shift(); lease !== undefined; lease = queue.shift()) {
        try {
          await this.#send(lease, report);
        } catch (err) {
          // Recording failed (database down): the lease runs out and a replica takes the send over.
          this.#opts.onError?.(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency ?? 4, queue.length) }, worker));
  }

  async #send(lease: Lease, report: TickReport): Promise<void> {
    const { delivery } = lease;
    const legacy = delivery.rule_key === LEGACY_RULE_KEY ? this.#opts.legacyEmail : null;
    let channel: ChannelConfig | null = legacy?.transport ?? null;
    let missing: string | null = null;
    if (delivery.rule_key === LEGACY_RULE_KEY && legacy === null) missing = 'ui.notification is off now';
    else if (legacy === null) {
      const found = delivery.channel_id ? await this.#opts.service.resolveChannel(delivery.channel_id) : null;
      if (!found?.found) missing = 'The channel was deleted';
      else channel = found.config;
    }
    const now = this.#now;
    const result = missing
      ? { ok: false, code: null, error: missing }
      : await deliver(channel, delivery.payload.content, {
          now,
          ...(this.#opts.sendTimeoutMs !== undefined ? { timeoutMs: this.#opts.sendTimeoutMs } : {}),
          ...(delivery.payload.recipients ? { to: delivery.payload.recipients } : {}),
        });
    report.attempts++;
    const attempts = delivery.attempts + 1;
    const again =
      !missing && retryable(result, channel?.kind ?? null) && attempts < (this.#opts.maxAttempts ?? 6);
    const delay = Math.min((this.#opts.retryBaseMs ?? 30_000) * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
    await this.#opts.repo.recordAttempt(lease, {
      ok: result.ok,
      response_code: result.code,
      error: result.error,
      next_attempt_at: result.ok || !again ? null : new Date(now().getTime() + delay).toISOString(),
    });
    if (result.ok) report.delivered++;
    else if (!again) report.failed++;
  }
}

function ruleMatches(rule: StoredRule, event: DetectedEvent): boolean {
  if (!rule.events.includes(event.event)) return false;
  if (rule.pipelines !== null && !rule.pipelines.some((p) => event.pipelines.includes(p))) return false;
  // Nothing from before the rule existed: a new rule does not replay history.
  return event.at >= Date.parse(rule.created_at);
}

function claimOf(
  ruleKey: string,
  ruleId: string | null,
  channelId: string | null,
  event: DetectedEvent,
): Omit<NewClaim, 'payload'> {
  return {
    rule_key: ruleKey,
    event_key: event.key,
    rule_id: ruleId,
    channel_id: channelId,
    event: event.event,
    pipeline: event.pipeline,
    run_id: event.run?.id ?? null,
  };
}
