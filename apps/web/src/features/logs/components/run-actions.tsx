import { RotateCcw } from 'lucide-react';
import { Link, useNavigate } from 'react-router';
import { useStateIds } from '../../../api/get-state-ids';
import { CancelRunButton } from '../../../components/run-control/cancel-run-button';
import { useRunLaunch, useRunRetries } from '../../../components/run-control/get-run-launch';
import { RunNowButton } from '../../../components/run-control/run-now-button';
import { describeRunOptions } from '../../../components/run-control/run-options';
import { type PipelineRef, useRetryRun } from '../../../components/run-control/run-pipeline';
import { useCanLaunch } from '../../../components/run-control/use-can-launch';
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
  const failed = run.status === 'failed' || run.status === 'stale';
  const options = l ? describeRunOptions(l.options) : '';
  return (
    <section className="run-actions" aria-label="Run actions">
      {failed && again ? <RetryButton run={run} /> : null}
      {!live && !failed && again ? (
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
      {options ? <p className="launch-line">Run options: {options}</p> : null}
      <RetryLinks run={run} retryOf={l?.retry_of_run_id ?? null} live={live} />
    </section>
  );
}

/** Runs the pipeline of a failed or presumed-dead run again, with the options it was started with. */
function RetryButton({ run }: { run: Run }) {
  const retry = useRetryRun();
  const navigate = useNavigate();
  const operate = useCanLaunch();
  return (
    <span className="run-now">
      <button
        type="button"
        className="primary"
        disabled={!operate.allowed || retry.isPending}
        title={
          operate.allowed
            ? 'Run the same pipeline again, with the same options'
            : (operate.reason ?? 'Not allowed')
        }
        onClick={() => retry.mutate(run.id, { onSuccess: (launch) => navigate(`/launches/${launch.id}`) })}
      >
        <RotateCcw size={14} aria-hidden="true" /> {retry.isPending ? 'Starting…' : 'Retry'}
      </button>
      {retry.isError ? (
        <span role="alert" className="inline-error">
          {retry.error.message}
        </span>
      ) : null}
    </span>
  );
}

/** "Retry of run #M" and "Retried as run #N": the runs on either side of a retry. */
function RetryLinks({ run, retryOf, live }: { run: Run; retryOf: number | null; live: boolean }) {
  const retries = useRunRetries(run.id, live).data ?? [];
  if (retryOf === null && retries.length === 0) return null;
  return (
    <p className="run-retry-links">
      {retryOf !== null ? (
        <span>
          Retry of <Link to={`/runs/${retryOf}`}>run #{retryOf}</Link>
        </span>
      ) : null}
      {retries.map((r) =>
        r.run_id !== null ? (
          <span key={r.launch_id}>
            Retried as <Link to={`/runs/${r.run_id}`}>run #{r.run_id}</Link>
          </span>
        ) : (
          <span key={r.launch_id}>
            Retried: <Link to={`/launches/${r.launch_id}`}>starting…</Link>
          </span>
        ),
      )}
    </p>
  );
}
