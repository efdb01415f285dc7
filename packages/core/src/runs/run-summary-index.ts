import type { RunView } from './run.types.js';
import { type RunRow, toRunView } from './run-row.js';
import type { RunHead, RunSeed } from './run-scan.repository.js';
import { RUN_STATES, staleThresholds } from './run-status.js';

/** Runs kept per state ID: the longest history any reader shows (a pipeline row's last outcomes). */
export const SUMMARY_RECENT_RUNS = 20;

/**
 * PostgreSQL hands out ids when a row is inserted, not when it commits, so a row can become visible
 * after rows with higher ids. Missing ids this close to the highest one seen are read again until
 * GAP_TTL_MS has passed: Meltano commits its insert at once, so anything later is a hole for good
 * (a rolled-back insert, a sequence jump).
 */
export const GAP_WINDOW = 1000;
const GAP_TTL_MS = 60_000;

/** A kept run: nothing but its id until fetched (a pass reads heads only). */
export interface RecentRun {
  id: number;
  /** A finished run's view, made once: nothing in it depends on the clock. Frozen, as it is shared. */
  view: Readonly<RunView> | null;
  /** A RUNNING run's row (payload cut down to its error): its view depends on the clock. */
  row: RunRow | null;
}

export interface StateIdRuns {
  /** Rows that are runs (RUNNING, SUCCESS, FAIL, DEAD). */
  runCount: number;
  /** SUCCESS, FAIL, DEAD. */
  finished: number;
  succeeded: number;
  /** The newest runs, oldest first, at most SUMMARY_RECENT_RUNS. */
  recent: RecentRun[];
}

const isRunState = (state: string | null): boolean =>
  (RUN_STATES as readonly (string | null)[]).includes(state);

/**
 * What the pipeline pages need per state ID, built from `runs` rows read once. Meltano never updates a
 * row after it leaves RUNNING, so only RUNNING rows (and gaps, above) are ever read again. Memory is
 * state IDs × SUMMARY_RECENT_RUNS rows, plus one entry per row that is RUNNING in the database.
 *
 * A sync feeds it heads (addHeads), then the full rows of fetchIds (applyFetch).
 */
export class RunSummaryIndex {
  readonly byStateId = new Map<string, StateIdRuns>();
  /** Rows that were RUNNING when last read → their state ID. */
  readonly #running = new Map<number, string>();
  /** State IDs with kept runs not fetched yet; one Set.add per head is the cheapest bookkeeping. */
  readonly #unfetchedIn = new Set<string>();
  /** The kept runs of #unfetchedIn, listed by fetchIds → their state ID, until fetched. */
  readonly #unfetched = new Map<number, string>();
  /** Ids that may still appear → until when to look (monotonic ms). */
  readonly #gaps = new Map<number, number>();
  #maxId = 0;
  /** A fetched row and its immutable columns: a different row there means another database. */
  #anchor: { id: number; fingerprint: string } | null = null;

  /** See RunScanResult.source. */
  constructor(readonly source: object | null) {}

  /**
   * The index a pass over every row up to `seed.base` would have built, from counts instead: the same
   * entries, RUNNING rows and kept ids. The caller applies the seed's rows as a fetch (applyFetch);
   * rows above base are then added as heads.
   */
  static fromSeed(source: object | null, seed: RunSeed): RunSummaryIndex {
    const index = new RunSummaryIndex(source);
    for (const { job_name, state, n } of seed.counts) {
      if (!isRunState(state)) continue;
      const entry = index.#entry(job_name);
      entry.runCount += n;
      if (state !== 'RUNNING') entry.finished += n;
      if (state === 'SUCCESS') entry.succeeded += n;
    }
    for (const { id, job_name } of seed.running) {
      if (index.byStateId.has(job_name)) index.#running.set(id, job_name);
    }
    const ascending = seed.recent.map((row) => ({ id: Number(row.id), job_name: row.job_name ?? '' }));
    ascending.sort((a, b) => a.id - b.id);
    for (const { id, job_name } of ascending) {
      const entry = index.byStateId.get(job_name);
      if (entry === undefined || !keep(entry.recent, { id, view: null, row: null })) continue;
      index.#unfetchedIn.add(job_name);
    }
    index.#maxId = seed.base;
    return index;
  }

  get maxId(): number {
    return this.#maxId;
  }

  get anchorId(): number | null {
    return this.#anchor?.id ?? null;
  }

  isAnchor(row: RunRow | undefined): boolean {
    const anchor = this.#anchor;
    return (
      anchor !== null &&
      row !== undefined &&
      Number(row.id) === anchor.id &&
      fingerprint(row) === anchor.fingerprint
    );
  }

  /** Rows above maxId, ascending. */
  addHeads(heads: readonly RunHead[], nowMs: number): void {
    // Gaps below this would be dropped at the end of the call: do not record them (sparse ids, a pass).
    const floor = Number(heads.at(-1)?.id ?? 0) - GAP_WINDOW;
    for (const head of heads) {
      const id = Number(head.id);
      if (id <= this.#maxId) continue;
      for (let gap = Math.max(this.#maxId + 1, floor + 1); gap < id; gap++) {
        this.#gaps.set(gap, nowMs + GAP_TTL_MS);
      }
      this.#maxId = id;
      this.#count(id, head, null);
    }
    for (const id of this.#gaps.keys()) if (id <= this.#maxId - GAP_WINDOW) this.#gaps.delete(id);
  }

  /** Ids whose full rows the index needs: kept runs not fetched yet, RUNNING rows, gaps, the anchor. */
  fetchIds(nowMs: number): number[] {
    for (const [id, until] of this.#gaps) if (until <= nowMs) this.#gaps.delete(id);
    for (const stateId of this.#unfetchedIn) {
      for (const run of this.byStateId.get(stateId)?.recent ?? []) {
        if (run.view === null && run.row === null) this.#unfetched.set(run.id, stateId);
      }
    }
    this.#unfetchedIn.clear();
    const ids = new Set([...this.#unfetched.keys(), ...this.#running.keys(), ...this.#gaps.keys()]);
    if (this.#maxId > 0 && this.#anchor?.id !== this.#maxId) ids.add(this.#maxId);
    return [...ids].sort((a, b) => a - b);
  }

  /**
   * The full rows of `ids` (part of fetchIds), as the database has them now. False when a run the index
   * counted is gone, moved to another state ID or stopped being a run: Meltano does none of that, so
   * the database was replaced and the index must be dropped.
   */
  applyFetch(ids: readonly number[], rows: readonly RunRow[]): boolean {
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    for (const id of ids) {
      const row = byId.get(id);
      const stateId = this.#running.get(id) ?? this.#unfetched.get(id);
      if (stateId === undefined) {
        if (row !== undefined && this.#gaps.delete(id)) this.#count(id, row, row);
      } else {
        const entry = this.byStateId.get(stateId);
        if (entry === undefined || row === undefined || row.job_name !== stateId || !isRunState(row.state)) {
          return false;
        }
        if (row.state !== 'RUNNING' && this.#running.delete(id)) {
          entry.finished++;
          if (row.state === 'SUCCESS') entry.succeeded++;
        }
        this.#unfetched.delete(id);
        const kept = entry.recent.find((run) => run.id === id);
        if (kept) Object.assign(kept, detail(row));
      }
      if (id === this.#maxId) {
        if (row === undefined) return false;
        this.#anchor = { id, fingerprint: fingerprint(row) };
      }
    }
    return true;
  }

  size(): { stateIds: number; runs: number; running: number; gaps: number } {
    let runs = 0;
    for (const entry of this.byStateId.values()) runs += entry.recent.length;
    return { stateIds: this.byStateId.size, runs, running: this.#running.size, gaps: this.#gaps.size };
  }

  #count(id: number, head: RunHead, row: RunRow | null): void {
    const stateId = head.job_name;
    // Rows without a state ID belong to no pipeline; the direct queries leave them out too.
    if (stateId === null || !isRunState(head.state)) return;
    const entry = this.#entry(stateId);
    entry.runCount++;
    if (head.state === 'RUNNING') this.#running.set(id, stateId);
    else {
      entry.finished++;
      if (head.state === 'SUCCESS') entry.succeeded++;
    }
    const kept: RecentRun = row === null ? { id, view: null, row: null } : { id, ...detail(row) };
    if (!keep(entry.recent, kept)) return;
    if (row === null) this.#unfetchedIn.add(stateId);
  }

  #entry(stateId: string): StateIdRuns {
    let entry = this.byStateId.get(stateId);
    if (entry === undefined) {
      entry = { runCount: 0, finished: 0, succeeded: 0, recent: [] };
      this.byStateId.set(stateId, entry);
    }
    return entry;
  }
}

/** Inserts by id (appending is the common case); false when older than every run kept. */
function keep(recent: RecentRun[], run: RecentRun): boolean {
  const last = recent.at(-1);
  if (last === undefined || last.id < run.id) recent.push(run);
  else {
    let at = recent.length - 1;
    while (at > 0 && (recent[at - 1]?.id ?? 0) > run.id) at--;
    if (at === 0 && recent.length >= SUMMARY_RECENT_RUNS) return false;
    recent.splice(at, 0, run);
  }
  if (recent.length > SUMMARY_RECENT_RUNS) recent.shift();
  return true;
}

function fingerprint(row: RunRow): string {
  return JSON.stringify([row.job_name, row.started_at, row.run_id]);
}

const EPOCH = staleThresholds(0);

/**
 * A finished run becomes its view (the clock only matters for RUNNING rows). A RUNNING row is kept with
 * its payload reduced to `{"error": …}`: a payload is a whole Singer state, and only its error reaches
 * a RunView; toRunView itself takes the error, so both read it the same way.
 */
function detail(row: RunRow): Pick<RecentRun, 'view' | 'row'> {
  const view = toRunView(row, 0, EPOCH);
  if (row.state !== 'RUNNING') return { view: view && Object.freeze(view), row: null };
  const error = view?.error ?? null;
  return { view: null, row: { ...row, payload: error === null ? null : JSON.stringify({ error }) } };
}
