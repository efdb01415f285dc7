import { Link } from 'react-router';
import { useStateIds } from '../../../api/get-state-ids';
import { CancelRunButton } from '../../../components/run-control/cancel-run-button';
import { useRunLaunch } from '../../../components/run-control/get-run-launch';
import { RunNowButton } from '../../../components/run-control/run-now-button';
import type { PipelineRef } from '../../../components/run-control/run-pipeline';
import type { Run } from '../../../lib/api-types';

/** Cancel for runs this UI started; for others, why not. Also how the run was launched from here. */
export function RunActions({ run }: { run: Run }) {
  const live = run.status === 'running' || run.status === 'stale';
  const launch = useRunLaunch(run.id, live);
  const l = launch.data;
  const owners = useStateIds();
  // What to run again: the pipeline this UI launched, else the one schedule or job recording this state ID.
  const owner = owners.data?.find((s) => s.state_id === run.state_id);
  const again: PipelineRef | null = l
    ? { kind: l.pipeline_kind, name: l.pipeline_name }
    : owner?.schedules.length === 1
      ? { kind: 'schedule', name: owner.schedules[0] as string }
      : owner?.jobs.length === 1 && owner.schedules.length === 0
        ? { kind: 'job', name: owner.jobs[0] as string }
        : null;
  return (
    <section className="run-actions" aria-label="Run actions">
      {!live && again ? (
        <RunNowButton pipeline={again} running={false} label={`Run ${again.name} again`} />
      ) : null}
      <CancelRunButton run={run} launch={l} />
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
