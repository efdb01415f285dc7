import type { RunView } from '../runs/run.types.js';
import type { StateIdRunSummary } from '../runs/run-summary-cache.js';

/** A state ID's newest successful run: its id and when it ended (epoch ms). */
export interface LastSuccess {
  id: number;
  endedAtMs: number;
}

/**
 * The newest successful run of each state ID. Usually among the summary's recent runs; a pipeline that
 * failed more often than that in a row (exactly when "time since the last success" matters) has it
 * further back, and it is looked up once (newest first, stopping at the first success) and kept until a
 * newer success shows among the recent runs. The summary's success count says when there is none to
 * look for. Lookups are bounded per call; the rest wait for later calls.
 */
export class LastSuccessLookup {
  readonly #known = new Map<string, LastSuccess>();

  constructor(
    private readonly find: (stateId: string) => Promise<RunView | null>,
    private readonly lookupsPerCall: number,
  ) {}

  /** State ID → its last success; state IDs without one (or not looked up yet) are missing. */
  async resolve(summaries: ReadonlyMap<string, StateIdRunSummary>): Promise<Map<string, LastSuccess>> {
    const found = new Map<string, LastSuccess>();
    const lookups: string[] = [];
    for (const [stateId, summary] of summaries) {
      const recent = summary.recent.find((run) => run.status === 'success');
      const inWindow = recent ? lastSuccess(recent) : null;
      const known = this.#known.get(stateId);
      const best = inWindow && (!known || inWindow.id > known.id) ? inWindow : known;
      if (best) {
        found.set(stateId, best);
        if (best !== known) this.#known.set(stateId, best);
      } else if (summary.stats.succeeded > 0 && lookups.length < this.lookupsPerCall) {
        lookups.push(stateId);
      }
    }
    for (const stateId of lookups) {
      const run = await this.find(stateId);
      const success = run ? lastSuccess(run) : null;
      if (success) {
        this.#known.set(stateId, success);
        found.set(stateId, success);
      }
    }
    return found;
  }
}

function lastSuccess(run: RunView): LastSuccess | null {
  const at = run.ended_at ?? run.started_at;
  const ms = at === null ? Number.NaN : Date.parse(at);
  return Number.isNaN(ms) ? null : { id: run.id, endedAtMs: ms };
}
