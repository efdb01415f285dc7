import { useId, useMemo } from 'react';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { CreatePipelineLinks } from '../../components/pipeline-edit/pipeline-edit-actions';
import { Empty, ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { useSchedules } from './api/get-schedules';
import { OtherPipelines } from './other-pipelines';
import { formatSort, type GroupBy, groupSchedules, parseSort, sortSchedules } from './pipeline-order';
import { matchesSearch, matchesStatus, runsWhat, type StatusFilter } from './pipeline-summary';
import { PipelinesTable } from './pipelines-table';
import { usePipelinesView } from './use-pipelines-view';

/** The orders offered where the column headers are hidden (phones) and as a plain control. */
const ORDERS: [string, string][] = [
  ['', 'Problems first'],
  ['name', 'Name, A→Z'],
  ['-name', 'Name, Z→A'],
  ['status', 'Status, failed first'],
  ['-status', 'Status, never run first'],
  ['-last-run', 'Last run, newest'],
  ['last-run', 'Last run, oldest'],
  ['-duration', 'Duration, longest'],
  ['duration', 'Duration, shortest'],
  ['next-run', 'Next run, soonest'],
  ['-next-run', 'Next run, latest'],
];

export function PipelinesPage() {
  usePageTitle('Pipelines');
  const schedules = useSchedules();
  const view = usePipelinesView();
  const id = useId();
  const { search, status, sort, group } = view;
  const filtered = useMemo(
    () =>
      (schedules.data ?? []).filter(
        (s) =>
          matchesStatus(s.latest_run, status, s.lateness) &&
          matchesSearch(search, s.name, s.extractor, s.loader, s.job, runsWhat(s), ...s.state_ids),
      ),
    [schedules.data, search, status],
  );
  const groups = useMemo(
    () => groupSchedules(sortSchedules(filtered, sort, Date.now()), group),
    [filtered, sort, group],
  );
  const sortValue = formatSort(sort);

  return (
    <>
      <Breadcrumbs items={[{ label: 'Pipelines' }]} />
      <div className="page-head">
        <h2>Pipelines</h2>
        <search className="filters">
          <label htmlFor={`${id}-q`}>
            Search
            <input
              id={`${id}-q`}
              type="search"
              value={search}
              placeholder="name, plugin, job, state ID"
              onChange={(e) => view.setSearch(e.target.value)}
            />
          </label>
          <label htmlFor={`${id}-status`}>
            Latest status
            <select
              id={`${id}-status`}
              value={status}
              onChange={(e) => view.setStatus(e.target.value as StatusFilter)}
            >
              <option value="all">any</option>
              <option value="running">Running</option>
              <option value="failed">Failed</option>
              <option value="success">Success</option>
              <option value="stale">Presumed dead</option>
              <option value="never">Never run</option>
              <option value="late">Late (missed its schedule)</option>
            </select>
          </label>
          <label htmlFor={`${id}-sort`}>
            Order
            <select
              id={`${id}-sort`}
              value={sortValue}
              onChange={(e) => view.setSort(parseSort(e.target.value))}
            >
              {ORDERS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={`${id}-group`}>
            Group by
            <select
              id={`${id}-group`}
              value={group}
              onChange={(e) => view.setGroup(e.target.value as GroupBy)}
            >
              <option value="none">nothing</option>
              <option value="extractor">Extractor</option>
              <option value="job">Job</option>
            </select>
          </label>
        </search>
        <CreatePipelineLinks />
      </div>
      {schedules.isPending ? (
        <Loading what="pipelines" />
      ) : schedules.isError ? (
        <ErrorState what="pipelines" error={schedules.error} retry={() => void schedules.refetch()} />
      ) : schedules.data.length === 0 ? (
        <Empty>
          This project has no schedules yet. Create one here, add one to <code>meltano.yml</code> or use{' '}
          <code>meltano schedule add</code>; jobs and runs without a schedule are listed below.
        </Empty>
      ) : filtered.length === 0 ? (
        <Empty>No pipeline matches these filters.</Empty>
      ) : (
        <PipelinesTable
          groups={groups}
          shown={filtered.length}
          total={schedules.data.length}
          sort={sort}
          onSort={view.setSort}
          page={view.page}
          onPage={view.setPage}
        />
      )}
      <OtherPipelines search={search} status={status} />
    </>
  );
}
