import type { CoreContext, FailureCause, RunRecords, RunView } from '@meltano-ui/core';
import type { FastifyBaseLogger } from 'fastify';

/** What the UI adds to a Meltano run: why it failed, and the records its Singer metrics counted. */
export type WithRunFacts<T> = T & {
  failure_cause: FailureCause | null;
  records_extracted: number | null;
  records_loaded: number | null;
};

const UNKNOWN_RECORDS: RunRecords = { records_extracted: null, records_loaded: null };

/**
 * Record totals from the UI's table, never from a log (misses are read in the background and show on
 * a later poll). The run is Meltano's and shows even when the UI's tables cannot be read (a read-only
 * SQLite file): its records are then unknown.
 */
async function knownRecords(core: CoreContext, runs: readonly RunView[], log?: FastifyBaseLogger) {
  if (runs.length === 0) return new Map<number, RunRecords>();
  return core.runMetrics.recordsFor(runs).catch((err: unknown) => {
    log?.warn({ err }, 'could not read the record counts of runs');
    return new Map<number, RunRecords>();
  });
}

/**
 * Runs of a list with what is already known of each: the cached failure cause of a failed one, the
 * stored record counts. The rest is read in the background; a list never waits for a log.
 */
export async function withCachedRunFacts<T extends RunView>(
  core: CoreContext,
  runs: readonly T[],
  log?: FastifyBaseLogger,
): Promise<WithRunFacts<T>[]> {
  const [causes, records] = await Promise.all([
    core.failureCauses.known(runs),
    knownRecords(core, runs, log),
  ]);
  return runs.map((run) => ({
    ...run,
    failure_cause: causes.get(run.id) ?? null,
    ...(records.get(run.id) ?? UNKNOWN_RECORDS),
  }));
}

/** One run with its failure cause (read from its log now when not cached yet) and stored records. */
export async function withRunFacts<T extends RunView>(
  core: CoreContext,
  run: T,
  log: FastifyBaseLogger,
): Promise<WithRunFacts<T>> {
  const [failure_cause, records] = await Promise.all([
    core.failureCauses.of(run).catch((err: unknown) => {
      // The run still shows; its log may be unreadable (EIO, permissions).
      log.warn({ err, run_id: run.id }, 'could not read the failure cause of a run');
      return null;
    }),
    knownRecords(core, [run], log),
  ]);
  return { ...run, failure_cause, ...(records.get(run.id) ?? UNKNOWN_RECORDS) };
}

/** Each `latest_run` of these pipeline views, with what is known of it (withCachedRunFacts). */
export async function latestRunsWithFacts<V extends { latest_run: RunView | null }>(
  core: CoreContext,
  views: readonly V[],
  log?: FastifyBaseLogger,
): Promise<(Omit<V, 'latest_run'> & { latest_run: WithRunFacts<RunView> | null })[]> {
  const latest = views.flatMap((v) => (v.latest_run ? [v.latest_run] : []));
  const known = new Map((await withCachedRunFacts(core, latest, log)).map((run) => [run.id, run]));
  return views.map((v) => ({ ...v, latest_run: v.latest_run ? (known.get(v.latest_run.id) ?? null) : null }));
}
