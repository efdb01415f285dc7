import type { Run } from '../lib/api-types';

const LABELS = { running: 'Running', success: 'Success', failed: 'Failed', stale: 'Presumed dead' } as const;

export function StatusBadge({ run }: { run: Run | null }) {
  if (run === null) return <span className="badge badge-never">Never run</span>;
  const title =
    run.status === 'stale'
      ? `RUNNING in the database, but no heartbeat for ${Math.round((run.heartbeat_age_seconds ?? 0) / 60)} min`
      : undefined;
  return (
    <span className={`badge badge-${run.status}`} title={title}>
      {LABELS[run.status]}
    </span>
  );
}
