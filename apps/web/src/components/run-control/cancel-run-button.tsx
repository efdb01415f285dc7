import { useState } from 'react';
import { usePermission } from '../../api/get-identity';
import type { Launch, Run } from '../../lib/api-types';
import { useCancelRun } from './cancel-run';

/**
 * Cancel, behind a confirmation, for a run this UI started and whose process is still running.
 * `launch` comes from useRunLaunch; without one, nothing is shown (the caller says why if it wants).
 */
export function CancelRunButton({ run, launch }: { run: Run; launch: Launch | null | undefined }) {
  const cancel = useCancelRun(run.id);
  const operate = usePermission('operate');
  const [confirming, setConfirming] = useState(false);
  const live = run.status === 'running' || run.status === 'stale';
  if (!live || !launch || launch.status !== 'running') return null;
  const cancelling = launch.cancel_requested_at !== null || cancel.isSuccess;
  return (
    <>
      {confirming ? (
        <fieldset className="confirm">
          <legend className="sr-only">Confirm cancelling run {run.id}</legend>
          <span>
            Stop run {run.id}? Meltano gets SIGTERM and ends the run as failed; its process group is killed if
            it has not stopped after a grace period.
          </span>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirming(false);
              cancel.mutate();
            }}
          >
            Stop the run
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it running
          </button>
        </fieldset>
      ) : (
        <button
          type="button"
          className="danger"
          disabled={!operate.allowed || cancelling || cancel.isPending}
          title={operate.allowed ? undefined : (operate.reason ?? undefined)}
          aria-label={`Cancel run ${run.id}`}
          onClick={() => setConfirming(true)}
        >
          {cancelling ? 'Cancelling…' : 'Cancel run'}
        </button>
      )}
      {cancel.isError ? (
        <span role="alert" className="inline-error">
          {cancel.error.message}
        </span>
      ) : null}
    </>
  );
}
