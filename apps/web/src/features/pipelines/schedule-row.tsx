import { memo } from 'react';
import { Link } from 'react-router';
import { FailureCause } from '../../components/failure-cause';
import { LateBadge } from '../../components/late-badge';
import { OutcomeStrip } from '../../components/outcome-strip';
import { Elapsed, RelativeTime } from '../../components/relative-time';
import { RunNowButton } from '../../components/run-control/run-now-button';
import { LatestRunBadge } from '../../components/status-badge';
import type { Schedule } from '../../lib/api-types';
import { counted, percent } from '../../lib/format';
import { CancelLatestRun } from './cancel-latest-run';
import { runsWhat } from './pipeline-summary';

export const SCHEDULE_COLUMNS = 9;

/**
 * One schedule on one line (on a phone, one card): each cell is its own small block, so a new piece
 * of information goes into the cell it belongs to. Memoised: the list refreshes every 3 s and an
 * unchanged schedule keeps its object (React Query shares structure), so only changed rows re-render.
 */
export const ScheduleRow = memo(function ScheduleRow({ s }: { s: Schedule }) {
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
      <td data-label="Runs" className="pipeline-runs-what">
        {s.kind === 'job' ? <span className="tag">job {s.job}</span> : null}{' '}
        <span className="mono">{runsWhat(s)}</span>
      </td>
      <td data-label="Status">
        <LatestRunBadge run={run} of={s.name} /> <LateBadge lateness={s.lateness} />
        {run?.failure_cause ? <FailureCause runId={run.id} cause={run.failure_cause} /> : null}
      </td>
      <td data-label="Last run">
        <RelativeTime iso={run?.started_at} />
        {run?.trigger ? <div className="muted">{run.trigger}</div> : null}
      </td>
      <td data-label="Duration">
        {run ? (
          <Elapsed startedAt={run.started_at} seconds={run.duration_seconds} />
        ) : (
          <span className="muted">—</span>
        )}
        {run?.records_extracted != null ? (
          <div className="muted" title="Records the latest run extracted (its Singer metrics)">
            {counted(run.records_extracted, 'record')}
          </div>
        ) : null}
      </td>
      <td data-label="Next run">
        {s.next_run_at ? <RelativeTime iso={s.next_run_at} /> : <span className="muted">—</span>}
        <div className="muted" title={s.interval ?? ''}>
          {s.interval_description}
        </div>
      </td>
      <td data-label="Last 20">
        <OutcomeStrip outcomes={s.recent_runs} />
      </td>
      <td
        data-label="Success"
        title={`${s.totals.succeeded} of ${s.totals.succeeded + s.totals.failed} finished runs succeeded`}
      >
        {percent(s.totals.success_rate)}
      </td>
      <td data-label="" className="pipeline-actions">
        <RunNowButton
          pipeline={{ kind: 'schedule', name: s.name }}
          running={run?.status === 'running'}
          compact
        />
        <CancelLatestRun run={run} />
      </td>
    </tr>
  );
});
