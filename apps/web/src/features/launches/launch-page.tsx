import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { Elapsed } from '../../components/relative-time';
import { ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { useLaunch } from './api/get-launch';
import { useLaunchOutput } from './api/get-launch-output';
import { useLaunchRun } from './api/get-launch-run';

/**
 * Between "Run now" and Meltano's own runs row: shows the command and what the CLI prints, and moves
 * on to the run's live log as soon as Meltano records the run. A CLI that fails before that (not
 * installed, refused, crashed) stays here with its output and exit code.
 */
export function LaunchPage() {
  const id = useParams().id ?? '';
  const launch = useLaunch(id);
  usePageTitle(launch.data ? `Starting ${launch.data.pipeline_name}` : 'Starting a run');
  const run = useLaunchRun(launch.data);
  const ended = launch.data?.status === 'exited' || launch.data?.status === 'failed_to_start';
  const output = useLaunchOutput(id, !ended);
  const navigate = useNavigate();

  useEffect(() => {
    if (run.data) navigate(`/runs/${run.data.id}`, { replace: true });
  }, [run.data, navigate]);

  if (launch.isPending) return <Loading what="the launch" />;
  if (launch.isError) return <ErrorState what="the launch" error={launch.error} />;
  const l = launch.data;
  const failed = l.status === 'failed_to_start' || (l.status === 'exited' && l.exit_code !== 0);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Pipelines', to: '/' }, { label: 'Starting a run' }]} />
      <div className="page-head">
        <h2>
          {failed ? 'Could not run' : ended ? 'Finished' : 'Starting'} {l.pipeline_name}
        </h2>
        <Link
          to={
            l.pipeline_kind === 'job'
              ? `/jobs/${encodeURIComponent(l.pipeline_name)}`
              : `/schedules/${encodeURIComponent(l.pipeline_name)}`
          }
        >
          Back to {l.pipeline_name}
        </Link>
      </div>
      <dl className="definition">
        <dt>Command</dt>
        <dd>
          <code>{l.argv.join(' ')}</code>
        </dd>
        <dt>Process</dt>
        <dd>
          {l.status === 'failed_to_start'
            ? 'did not start'
            : l.status === 'exited'
              ? `exited with code ${l.exit_code ?? 'unknown'}${l.signal ? ` (${l.signal})` : ''}`
              : `pid ${l.pid ?? '…'}, running for `}
          {l.status === 'running' || l.status === 'starting' ? (
            <Elapsed startedAt={l.created_at} seconds={null} />
          ) : null}
        </dd>
        {l.error ? (
          <>
            <dt>Error</dt>
            <dd className="error-text">{l.error}</dd>
          </>
        ) : null}
      </dl>
      {!ended ? (
        <p role="status" className="muted">
          Waiting for Meltano to record the run; its live log opens as soon as it does.
        </p>
      ) : failed ? (
        <div role="alert" className="error">
          The Meltano CLI ended before recording a run. Its output below says why.
        </div>
      ) : null}
      <section aria-labelledby="launch-output">
        <h3 id="launch-output">Output of the Meltano CLI</h3>
        {output.isError ? (
          <ErrorState what="the output" error={output.error} />
        ) : (
          <pre className="capture">{output.data?.text || (ended ? '(nothing printed)' : '…')}</pre>
        )}
      </section>
    </>
  );
}
