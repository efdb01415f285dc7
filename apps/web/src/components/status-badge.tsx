import { Link } from 'react-router';
import type { Run, RunStatus } from '../lib/api-types';
import { duration } from '../lib/format';

export const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running',
  success: 'Success',
  failed: 'Failed',
  stale: 'Presumed dead',
};

type BadgeRun = Pick<Run, 'status' | 'heartbeat_age_seconds'>;

/** The latest run's status in words (colour is never the only signal). */
export function StatusBadge({ run }: { run: BadgeRun | null | undefined }) {
  if (!run) return <span className="badge badge-never">Never run</span>;
  const age = run.heartbeat_age_seconds;
  const detail =
    run.status === 'stale'
      ? `RUNNING in the system database, but no heartbeat for ${duration(age)}: the process was most likely killed`
      : run.status === 'running' && age !== null
        ? `Last heartbeat ${duration(age)} ago`
        : undefined;
  return (
    <span className={`badge badge-${run.status}`} title={detail}>
      {STATUS_LABELS[run.status]}
      {run.status === 'stale' && age !== null ? (
        <span className="badge-detail"> · {duration(age)}</span>
      ) : null}
    </span>
  );
}

/** The latest run's badge, linking to its log; "Never run" without a run. */
export function LatestRunBadge({ run, of }: { run: (BadgeRun & { id: number }) | null; of: string }) {
  if (!run) return <StatusBadge run={null} />;
  return (
    <Link to={`/runs/${run.id}`} aria-label={`Latest run of ${of}: ${run.status}, open its log`}>
      <StatusBadge run={run} />
    </Link>
  );
}
