import { CheckCircle2, CircleDashed, CircleHelp, CircleMinus, type LucideIcon, XCircle } from 'lucide-react';
import { Link } from 'react-router';
import type { Run, RunStatus } from '../lib/api-types';
import { duration } from '../lib/format';

export const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running',
  success: 'Success',
  failed: 'Failed',
  stale: 'Presumed dead',
};

/** A shape beside each colour, so the status reads without colour too (and in a grey screenshot). */
export const STATUS_ICONS: Record<RunStatus | 'never', LucideIcon> = {
  running: CircleDashed,
  success: CheckCircle2,
  failed: XCircle,
  stale: CircleHelp,
  never: CircleMinus,
};

function StatusIcon({ status }: { status: RunStatus | 'never' }) {
  const Icon = STATUS_ICONS[status];
  return <Icon size={14} aria-hidden="true" className={`badge-icon${status === 'running' ? ' spin' : ''}`} />;
}

type BadgeRun = Pick<Run, 'status' | 'heartbeat_age_seconds'>;

/** The latest run's status in words (colour is never the only signal). */
export function StatusBadge({ run }: { run: BadgeRun | null | undefined }) {
  if (!run)
    return (
      <span className="badge badge-never">
        <StatusIcon status="never" />
        Never run
      </span>
    );
  const age = run.heartbeat_age_seconds;
  const detail =
    run.status === 'stale'
      ? `RUNNING in the system database, but no heartbeat for ${duration(age)}: the process was most likely killed`
      : run.status === 'running' && age !== null
        ? `Last heartbeat ${duration(age)} ago`
        : undefined;
  return (
    <span className={`badge badge-${run.status}`} title={detail}>
      <StatusIcon status={run.status} />
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
    <Link to={`/runs/${run.id}`} className="badge-link">
      {/* Spoken around the visible badge, so the name contains what is seen. */}
      <span className="sr-only">Latest run of {of}: </span>
      <StatusBadge run={run} />
      <span className="sr-only">, open its log</span>
    </Link>
  );
}
