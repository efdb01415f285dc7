import { useState } from 'react';
import { Link } from 'react-router';
import type { Run } from '../../../lib/api-types';
import { useProject } from '../../project/api/get-project';
import { useCancelRun } from '../api/cancel-run';
import { useRunLaunch } from '../api/get-run-launch';

/**
 * Cancel (with a confirmation) for runs this UI started; for others, why it cannot. Also how the run
 * was launched from here: the command, the process and its exit code.
 */
export function RunActions({ run }: { run: Run }) {
  const live = run.status === 'running' || run.status === 'stale';
  const launch = useRunLaunch(run.id, live);
  const cancel = useCancelRun(run.id);
  const project = useProject();
  const [confirming, setConfirming] = useState(false);
  const l = launch.data;
  const readonly = project.data?.readonly === true;
  const cancelling = l?.cancel_requested_at != null || cancel.isSuccess;

  return (
    <section className="run-actions" aria-label="Run actions">
      {live && l && l.status === 'running' ? (
        confirming ? (
          <fieldset className="confirm">
            <legend className="sr-only">Confirm cancelling</legend>
            <span>
              Stop run {run.id}? Meltano gets SIGTERM and ends the run as failed; the process group is killed
              if it has not stopped after a grace period.
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
            disabled={readonly || cancelling || cancel.isPending}
            title={readonly ? 'The UI is read-only (ui.readonly)' : undefined}
            onClick={() => setConfirming(true)}
          >
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        )
      ) : live && launch.isSuccess && l === null ? (
        <p className="muted">
          This run was started outside this UI (trigger: {run.trigger ?? 'unknown'}), so it cannot be
          cancelled from here: stop it where it runs.
        </p>
      ) : null}
      {cancel.isError ? (
        <span role="alert" className="inline-error">
          {cancel.error.message}
        </span>
      ) : null}
      {l ? (
        <p className="muted launch-line">
          Started from this UI: <code>{l.argv.slice(1).join(' ')}</code> · pid {l.pid ?? '—'} ·{' '}
          {l.status === 'exited' ? `exited with code ${l.exit_code ?? 'unknown'}` : l.status} ·{' '}
          <Link to={`/launches/${l.id}`}>output of the Meltano CLI</Link>
        </p>
      ) : null}
    </section>
  );
}
