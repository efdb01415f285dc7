import type { RunView } from '../runs/run.types.js';
import type { StateIdRunSummary } from '../runs/run-summary-cache.js';

const isFinished = (run: RunView) => run.status === 'success' || run.status === 'failed';

/**
 * Which runs finished between two looks at the run summaries, each reported once: what feeds a
 * duration histogram that counts every run exactly once in this process. The first look only notes
 * the runs already finished (they finished before this process was watching; counting them would
 * make every restart look like a burst of runs). A state ID first seen on a later look is new, so all
 * its finished runs are. Only the summaries' recent runs are seen: more than SUMMARY_RECENT_RUNS runs
 * of one state ID finishing between two looks leave the oldest of them uncounted.
 */
export class FinishedRunsTracker {
  /** State ID → ids of its finished runs in the last look's window. */
  readonly #seen = new Map<string, Set<number>>();
  #primed = false;

  /** Runs finished since the previous call, per state ID (only state IDs that have some). */
  newlyFinished(summaries: ReadonlyMap<string, StateIdRunSummary>): Map<string, RunView[]> {
    const fresh = new Map<string, RunView[]>();
    for (const [stateId, summary] of summaries) {
      const finished = summary.recent.filter(isFinished);
      const seen = this.#seen.get(stateId);
      if (this.#primed) {
        const added = finished.filter((run) => !seen?.has(run.id));
        if (added.length > 0) fresh.set(stateId, added);
      }
      this.#seen.set(stateId, new Set(finished.map((run) => run.id)));
    }
    this.#primed = true;
    return fresh;
  }
}
