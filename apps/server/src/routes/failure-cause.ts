import type { CoreContext, FailureCause, RunView } from '@meltano-ui/core';
import type { FastifyBaseLogger } from 'fastify';

export type WithFailureCause<T> = T & { failure_cause: FailureCause | null };

/**
 * Runs of a list with the failure cause already cached for each failed one; the others are read in
 * the background and show up on a later poll. A list never waits for a log.
 */
export async function withKnownFailureCauses<T extends RunView>(
  core: CoreContext,
  runs: readonly T[],
): Promise<WithFailureCause<T>[]> {
  const known = await core.failureCauses.known(runs);
  return runs.map((run) => ({ ...run, failure_cause: known.get(run.id) ?? null }));
}

/** One run with its failure cause, read from its log now when not cached yet. */
export async function withFailureCause<T extends RunView>(
  core: CoreContext,
  run: T,
  log: FastifyBaseLogger,
): Promise<WithFailureCause<T>> {
  const failure_cause = await core.failureCauses.of(run).catch((err: unknown) => {
    // The run still shows; its log may be unreadable (EIO, permissions).
    log.warn({ err, run_id: run.id }, 'could not read the failure cause of a run');
    return null;
  });
  return { ...run, failure_cause };
}

/** Each `latest_run` of these pipeline views, with its cached cause. */
export async function latestRunsWithCauses<V extends { latest_run: RunView | null }>(
  core: CoreContext,
  views: readonly V[],
): Promise<(Omit<V, 'latest_run'> & { latest_run: WithFailureCause<RunView> | null })[]> {
  const latest = views.flatMap((v) => (v.latest_run ? [v.latest_run] : []));
  const known = await core.failureCauses.known(latest);
  return views.map((v) => ({
    ...v,
    latest_run: v.latest_run ? { ...v.latest_run, failure_cause: known.get(v.latest_run.id) ?? null } : null,
  }));
}
