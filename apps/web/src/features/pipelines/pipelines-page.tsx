import { useId, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { OutcomeStrip } from '../../components/outcome-strip';
import { CreatePipelineLinks } from '../../components/pipeline-edit/pipeline-edit-actions';
import { Elapsed, RelativeTime } from '../../components/relative-time';
import { RunNowButton } from '../../components/run-control/run-now-button';
import { Empty, ErrorState, Loading } from '../../components/states';
import { LatestRunBadge } from '../../components/status-badge';
import type { Schedule } from '../../lib/api-types';
import { percent } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useSchedules } from './api/get-schedules';
import { CancelLatestRun } from './cancel-latest-run';
import { OtherPipelines } from './other-pipelines';
import { matchesSearch, matchesStatus, runsWhat, type StatusFilter } from './pipeline-summary';

function ScheduleRow({ s }: { s: Schedule }) {
  const run = s.latest_run;
  return (
    <tr>
      <th scope="row">
        <Link to={`/schedules/${encodeURIComponent(s.name)}`}>{s.name}</Link>
        {s.problem ? (
          <div className="warn-text" role="note">
            {s.problem}
          </div>
        ) : null}
      </th>
      <td data-label="Runs">
        {s.kind === 'job' ? <span className="tag">job {s.job}</span> : null}{' '}
        <span className="mono">{runsWhat(s)}</span>
      </td>
      <td data-label="Interval">
        <span title={s.interval ?? ''}>{s.interval_description}</span>
        {s.next_run_at ? (
          <div className="muted">
            <RelativeTime iso={s.next_run_at} prefix="next" />
          </div>
        ) : null}
      </td>
      <td data-label="Latest run">
        <LatestRunBadge run={run} of={s.name} />
      </td>
      <td data-label="Started">
        <RelativeTime iso={run?.started_at} />
        {run?.ended_at ? (
          <div className="muted">
            <RelativeTime iso={run.ended_at} prefix="ended" />
          </div>
        ) : null}
      </td>
      <td data-label="Duration">
        {run ? (
          <Elapsed startedAt={run.started_at} seconds={run.duration_seconds} />
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Trigger">{run?.trigger ?? <span className="muted">—</span>}</td>
      <td data-label="Last 20">
        <OutcomeStrip outcomes={s.recent_runs} />
      </td>
      <td
        data-label="Success"
        title={`${s.totals.succeeded} of ${s.totals.succeeded + s.totals.failed} finished runs succeeded`}
      >
        {percent(s.totals.success_rate)}
      </td>
      <td data-label="">
        <RunNowButton pipeline={{ kind: 'schedule', name: s.name }} running={run?.status === 'running'} />
        <CancelLatestRun run={run} />
      </td>
    </tr>
  );
}

export function PipelinesPage() {
  usePageTitle('Pipelines');
  const schedules = useSchedules();
  const [params, setParams] = useSearchParams();
  const id = useId();
  const search = params.get('q') ?? '';
  const status = (params.get('status') ?? 'all') as StatusFilter;
  const setParam = (key: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === '' || value === 'all') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const shown = useMemo(
    () =>
      (schedules.data ?? []).filter(
        (s) =>
          matchesStatus(s.latest_run, status) &&
          matchesSearch(search, s.name, s.extractor, s.loader, s.job, runsWhat(s), ...s.state_ids),
      ),
    [schedules.data, search, status],
  );

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
              onChange={(e) => setParam('q', e.target.value)}
            />
          </label>
          <label htmlFor={`${id}-status`}>
            Latest status
            <select id={`${id}-status`} value={status} onChange={(e) => setParam('status', e.target.value)}>
              <option value="all">any</option>
              <option value="running">Running</option>
              <option value="failed">Failed</option>
              <option value="success">Success</option>
              <option value="stale">Presumed dead</option>
              <option value="never">Never run</option>
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
      ) : shown.length === 0 ? (
        <Empty>No pipeline matches these filters.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="data pipelines">
            <caption>
              Schedules{' '}
              <span className="muted">
                (
                {shown.length === schedules.data.length
                  ? shown.length
                  : `${shown.length} of ${schedules.data.length}`}
                )
              </span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Runs</th>
                <th scope="col">Interval</th>
                <th scope="col">Latest run</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Trigger</th>
                <th scope="col">Last 20</th>
                <th scope="col">Success</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <ScheduleRow key={s.name} s={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <OtherPipelines search={search} status={status} />
    </>
  );
}
