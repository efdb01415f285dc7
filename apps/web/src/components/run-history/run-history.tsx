import { useMemo } from 'react';
import { Link } from 'react-router';
import { useStateIds } from '../../api/get-state-ids';
import type { Run } from '../../lib/api-types';
import { useUrlParams } from '../../lib/use-url-params';
import { Elapsed, RelativeTime } from '../relative-time';
import { SortHeader } from '../sort-header';
import { Empty, ErrorState, Loading } from '../states';
import { StatusBadge } from '../status-badge';
import { DurationBar } from './duration-bar';
import { useRuns } from './get-runs';
import { RunFiltersBar } from './run-filters';
import {
  formatRunSort,
  parseRunSort,
  type RunSortKey,
  runSeconds,
  sortRuns,
  toggleRunSort,
} from './run-order';
import { useRunFilters } from './use-run-filters';

/**
 * Run history with filters in the URL and "Load older runs" pagination. With `stateIds`, only the
 * runs of those state IDs (a pipeline's); without, every run of the project, with the schedule or job
 * each run belongs to.
 */
export function RunHistory({ stateIds, caption }: { stateIds?: string[]; caption: string }) {
  if (stateIds !== undefined && stateIds.length === 0) {
    return (
      <Empty>
        This pipeline records no state IDs (a job needs an environment), so it has no runs to show.
      </Empty>
    );
  }
  return <FilteredRuns stateIds={stateIds} caption={caption} />;
}

interface PipelineRef {
  kind: 'schedule' | 'job';
  name: string;
}

/** state ID → the schedules and jobs that record it (one state ID may be shared; see issue 13 §6). */
function usePipelinesByStateId(enabled: boolean): Map<string, PipelineRef[]> {
  const stateIds = useStateIds();
  return useMemo(() => {
    const map = new Map<string, PipelineRef[]>();
    if (!enabled) return map;
    for (const s of stateIds.data ?? []) {
      map.set(s.state_id, [
        ...s.schedules.map((name) => ({ kind: 'schedule' as const, name })),
        ...s.jobs.map((name) => ({ kind: 'job' as const, name })),
      ]);
    }
    return map;
  }, [stateIds.data, enabled]);
}

function useRunSort() {
  const [params, updateParams] = useUrlParams();
  const sort = parseRunSort(params.get('sort'));
  const sortBy = (key: RunSortKey) => updateParams({ sort: formatRunSort(toggleRunSort(sort, key)) });
  return { sort, sortBy };
}

function FilteredRuns({ stateIds, caption }: { stateIds: string[] | undefined; caption: string }) {
  const { filters, update } = useRunFilters(stateIds);
  const runs = useRuns(filters);
  const scoped = stateIds !== undefined;
  const pipelines = usePipelinesByStateId(!scoped);
  const { sort, sortBy } = useRunSort();
  const now = Date.now();
  const loaded = runs.data?.pages.flatMap((p) => p.items) ?? [];
  const pipelineOf = (run: Run) => pipelines.get(run.state_id)?.[0]?.name ?? null;
  const items = sortRuns(loaded, sort, now, pipelineOf);
  // A presumed-dead run "lasts" until now: it would flatten every other bar, so it does not set the scale.
  const longest = Math.max(
    0,
    ...items.filter((r) => r.status !== 'stale').map((r) => runSeconds(r, now) ?? 0),
  );
  const showStateId = !(scoped && stateIds.length < 2);
  const header = (key: RunSortKey, label: string) => (
    <SortHeader active={sort.key === key} dir={sort.dir} onSort={() => sortBy(key)}>
      {label}
    </SortHeader>
  );
  return (
    <section aria-label={caption}>
      <RunFiltersBar filters={filters} update={update} showStateId={!scoped} />
      {runs.isPending ? (
        <Loading what="runs" />
      ) : runs.isError ? (
        <ErrorState what="runs" error={runs.error} retry={() => void runs.refetch()} />
      ) : items.length === 0 ? (
        <Empty>No runs match.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <caption>{caption}</caption>
            <thead>
              <tr>
                {header('newest', 'Run')}
                {scoped ? null : header('pipeline', 'Schedule or job')}
                {showStateId ? <th scope="col">State ID</th> : null}
                {header('status', 'Status')}
                {header('started', 'Started')}
                {header('duration', 'Duration')}
                <th scope="col">Records</th>
                <th scope="col">Trigger</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id}>
                  <th scope="row">
                    <Link to={`/runs/${run.id}`} aria-label={`Run ${run.id} log`}>
                      #{run.id}
                    </Link>
                  </th>
                  {scoped ? null : (
                    <td>
                      <PipelineLinks refs={pipelines.get(run.state_id) ?? []} />
                    </td>
                  )}
                  {showStateId ? <td className="mono">{run.state_id}</td> : null}
                  <td>
                    <StatusBadge run={run} />
                  </td>
                  <td className="nowrap">
                    <RelativeTime iso={run.started_at} />
                  </td>
                  <td>
                    <DurationBar seconds={runSeconds(run, now)} longest={longest} status={run.status}>
                      <Elapsed startedAt={run.started_at} seconds={run.duration_seconds} />
                    </DurationBar>
                  </td>
                  <td className="nowrap" title="Extracted / loaded, from the run's Singer metrics">
                    {run.records_extracted === null && run.records_loaded === null ? (
                      <span className="muted">—</span>
                    ) : (
                      `${run.records_extracted?.toLocaleString() ?? '—'} / ${run.records_loaded?.toLocaleString() ?? '—'}`
                    )}
                  </td>
                  <td>{run.trigger ?? <span className="muted">—</span>}</td>
                  <td className="error-cell" title={run.error ?? undefined}>
                    {run.error ? run.error.split('\n')[0] : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.hasNextPage && sort.key !== 'newest' ? (
        <p className="muted">
          Sorted among the {loaded.length} runs loaded so far; older runs are not included until loaded.
        </p>
      ) : null}
      {runs.hasNextPage ? (
        <button type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {runs.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
        </button>
      ) : null}
    </section>
  );
}

/** The schedule or job a run belongs to; a run no pipeline records (a manual --state-id run) has none. */
function PipelineLinks({ refs }: { refs: PipelineRef[] }) {
  const [first, ...more] = refs;
  if (!first) return <span className="muted">—</span>;
  return (
    <span className="nowrap">
      <Link to={`/${first.kind === 'schedule' ? 'schedules' : 'jobs'}/${encodeURIComponent(first.name)}`}>
        {first.name}
      </Link>
      {first.kind === 'job' ? <span className="muted"> (job)</span> : null}
      {more.length > 0 ? (
        <span className="muted" title={`Shares its state ID with ${more.map((r) => r.name).join(', ')}`}>
          {' '}
          +{more.length}
        </span>
      ) : null}
    </span>
  );
}
