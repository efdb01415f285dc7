import { Link } from 'react-router';
import { CancelRunButton } from '../../../components/run-control/cancel-run-button';
import { useRunLaunch } from '../../../components/run-control/get-run-launch';
import type { Run } from '../../../lib/api-types';
import { useProject } from '../../project/api/get-project';

/** Cancel for runs this UI started; for others, why not. Also how the run was launched from here. */
export function RunActions({ run }: { run: Run }) {
  const live = run.status === 'running' || run.status === 'stale';
  const launch = useRunLaunch(run.id, live);
  const project = useProject();
  const l = launch.data;
  return (
    <section className="run-actions" aria-label="Run actions">
      <CancelRunButton run={run} launch={l} readonly={project.data?.readonly === true} />
      {live && launch.isSuccess && l === null ? (
        <p className="muted">
          This run was started outside this UI (trigger: {run.trigger ?? 'unknown'}), so it cannot be
          cancelled from here: stop it where it runs.
        </p>
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
