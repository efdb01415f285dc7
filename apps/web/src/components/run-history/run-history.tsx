import { Link } from 'react-router';
import { Elapsed, RelativeTime } from '../relative-time';
import { Empty, ErrorState, Loading } from '../states';
import { StatusBadge } from '../status-badge';
import { useRuns } from './get-runs';
import { RunFiltersBar } from './run-filters';
import { useRunFilters } from './use-run-filters';

/**
 * Run history with filters in the URL and "Load older runs" pagination. With `stateIds`, only the
 * runs of those state IDs (a pipeline's); without, every run of the project.
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

function FilteredRuns({ stateIds, caption }: { stateIds: string[] | undefined; caption: string }) {
  const { filters, update } = useRunFilters(stateIds);
  const runs = useRuns(filters);
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  const scoped = stateIds !== undefined;
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
                <th scope="col">Run</th>
                {scoped && stateIds.length < 2 ? null : <th scope="col">State ID</th>}
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
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
                  {scoped && stateIds.length < 2 ? null : <td className="mono">{run.state_id}</td>}
                  <td>
                    <StatusBadge run={run} />
                  </td>
                  <td>
                    <RelativeTime iso={run.started_at} />
                  </td>
                  <td>
                    <Elapsed startedAt={run.started_at} seconds={run.duration_seconds} />
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
      {runs.hasNextPage ? (
        <button type="button" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {runs.isFetchingNextPage ? 'Loading…' : 'Load older runs'}
        </button>
      ) : null}
    </section>
  );
}
