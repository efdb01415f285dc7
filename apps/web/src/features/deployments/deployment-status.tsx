import type { DeploymentStatus } from '../../lib/api-types';

const LABELS: Record<DeploymentStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  ignored: 'Ignored',
};
const CLASSES: Record<DeploymentStatus, string> = {
  queued: 'badge-never',
  running: 'badge-running',
  succeeded: 'badge-success',
  failed: 'badge-failed',
  ignored: 'badge-warn',
};

/** A deployment's status in words (colour is never the only signal). */
export function DeploymentStatusBadge({
  status,
  title,
}: {
  status: DeploymentStatus;
  title?: string | null;
}) {
  return (
    <span className={`badge ${CLASSES[status]}`} title={title ?? undefined}>
      {LABELS[status]}
    </span>
  );
}

export const TRIGGER_LABELS = { webhook: 'GitHub push', api: 'API', user: 'User' } as const;

export const shortSha = (sha: string | null | undefined) => (sha ? sha.slice(0, 10) : '—');
