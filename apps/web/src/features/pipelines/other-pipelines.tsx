import { Link } from 'react-router';
import { useStateIds } from '../../api/get-state-ids';
import { OutcomeStrip } from '../../components/outcome-strip';
import { RelativeTime } from '../../components/relative-time';
import { RunNowButton } from '../../components/run-control/run-now-button';
import { ErrorState } from '../../components/states';
import { LatestRunBadge } from '../../components/status-badge';
import { useJobs } from './api/get-jobs';
import { jobTasks, matchesSearch, matchesStatus, type StatusFilter } from './pipeline-summary';

/** Jobs no schedule runs, and state IDs with runs that no schedule or job records (manual runs). */
export function OtherPipelines({ search, status }: { search: string; status: StatusFilter }) {
  const jobs = useJobs();
  const stateIds = useStateIds();
  const unscheduled = (jobs.data ?? []).filter(
    (j) =>
      j.schedules.length === 0 &&
      matchesStatus(j.latest_run, status) &&
      matchesSearch(search, j.name, jobTasks(j), ...j.state_ids),
  );
  const orphans = (stateIds.data ?? []).filter(
    (s) =>
      s.schedules.length === 0 &&
      s.jobs.length === 0 &&
      matchesStatus(s.latest_run, status) &&
      matchesSearch(search, s.state_id),
  );
  return (
    <>
      {jobs.isError ? <ErrorState what="jobs" error={jobs.error} /> : null}
      {unscheduled.length > 0 ? (
        <div className="table-scroll">
          <table className="data">
            <caption>Jobs without a schedule</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Tasks</th>
                <th scope="col">Latest run</th>
                <th scope="col">Started</th>
                <th scope="col">Last 20</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {unscheduled.map((j) => (
                <tr key={j.name}>
                  <th scope="row">
                    <Link to={`/jobs/${encodeURIComponent(j.name)}`}>{j.name}</Link>
                  </th>
                  <td className="mono">{jobTasks(j)}</td>
                  <td>
                    <LatestRunBadge run={j.latest_run} of={j.name} />
                  </td>
                  <td>
                    <RelativeTime iso={j.latest_run?.started_at} />
                  </td>
                  <td>
                    <OutcomeStrip outcomes={j.recent_runs} />
                  </td>
                  <td className="pipeline-actions">
                    <RunNowButton
                      pipeline={{ kind: 'job', name: j.name }}
                      running={j.latest_run?.status === 'running'}
                      compact
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {stateIds.isError ? <ErrorState what="state IDs" error={stateIds.error} /> : null}
      {orphans.length > 0 ? (
        <div className="table-scroll">
          <table className="data">
            <caption>Runs no schedule or job records (e.g. started by hand with --state-id)</caption>
            <thead>
              <tr>
                <th scope="col">State ID</th>
                <th scope="col">Runs</th>
                <th scope="col">Latest run</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {orphans.map((s) => (
                <tr key={s.state_id}>
                  <th scope="row" className="mono">
                    <Link to={`/runs?state_id=${encodeURIComponent(s.state_id)}`}>{s.state_id}</Link>
                  </th>
                  <td>{s.run_count}</td>
                  <td>
                    <LatestRunBadge run={s.latest_run} of={s.state_id} />
                  </td>
                  <td>
                    <RelativeTime iso={s.latest_run.started_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
