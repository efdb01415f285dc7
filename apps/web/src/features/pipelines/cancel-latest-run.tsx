import { CancelRunButton } from '../../components/run-control/cancel-run-button';
import { useRunLaunch } from '../../components/run-control/get-run-launch';
import type { Run } from '../../lib/api-types';

/** The pipeline's running run, cancellable from its row when this UI started it. */
export function CancelLatestRun({ run }: { run: Run | null }) {
  if (!run || (run.status !== 'running' && run.status !== 'stale')) return null;
  return <CancelRunning run={run} />;
}

function CancelRunning({ run }: { run: Run }) {
  const launch = useRunLaunch(run.id, true);
  return <CancelRunButton run={run} launch={launch.data} />;
}
