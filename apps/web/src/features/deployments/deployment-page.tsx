import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { Elapsed, RelativeTime } from '../../components/relative-time';
import { ErrorState, Loading } from '../../components/states';
import { absoluteTime, duration } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { useDeployment } from './api/get-deployment';
import { DeploymentStatusBadge, shortSha, TRIGGER_LABELS } from './deployment-status';

/** One deployment: what it deployed, and its log, followed while it runs. */
export function DeploymentPage() {
  const id = useParams().id ?? '';
  const deployment = useDeployment(id);
  usePageTitle(`Deployment ${id.slice(0, 8)}`, 'Deployments');
  const logRef = useRef<HTMLPreElement>(null);
  const log = deployment.data?.log ?? '';
  const live = deployment.data?.status === 'queued' || deployment.data?.status === 'running';
  // Follow the end of a growing log (as a terminal would), unless the reader scrolled up.
  useEffect(() => {
    const el = logRef.current;
    if (!el || !live || log === '') return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [log, live]);

  if (deployment.isPending) return <Loading what="the deployment" />;
  if (deployment.isError) return <ErrorState what="the deployment" error={deployment.error} />;
  const d = deployment.data;
  return (
    <>
      <Breadcrumbs
        items={[{ label: 'Deployments', to: '/deployments' }, { label: `Deployment ${id.slice(0, 8)}` }]}
      />
      <div className="page-head">
        <h2>
          Deployment of {d.branch} <code>{shortSha(d.commit ?? d.requested_commit)}</code>{' '}
          <DeploymentStatusBadge status={d.status} />
        </h2>
        <Link to="/deployments">All deployments</Link>
      </div>
      <dl className="definition">
        <dt>Commit</dt>
        <dd>
          <code>{d.commit ?? d.requested_commit ?? `the tip of ${d.branch}`}</code>
          {d.message ? ` — ${d.message}` : ''}
        </dd>
        {d.author ? (
          <>
            <dt>Author</dt>
            <dd>{d.author}</dd>
          </>
        ) : null}
        <dt>Trigger</dt>
        <dd>
          {TRIGGER_LABELS[d.trigger]}
          {d.requested_by ? ` by ${d.requested_by}` : ''}, <RelativeTime iso={d.created_at} />
        </dd>
        {d.previous_commit ? (
          <>
            <dt>Before</dt>
            <dd>
              <code>{shortSha(d.previous_commit)}</code>
            </dd>
          </>
        ) : null}
        <dt>Duration</dt>
        <dd title={d.started_at ? `Started ${absoluteTime(d.started_at)}` : undefined}>
          {live ? (
            <Elapsed startedAt={d.started_at ?? d.created_at} seconds={null} />
          ) : (
            duration(d.duration_seconds)
          )}
        </dd>
        <dt>meltano install</dt>
        <dd>{d.installed ? 'ran (plugins or lock files changed)' : 'not run'}</dd>
        {d.reason ? (
          <>
            <dt>Ignored because</dt>
            <dd>{d.reason}</dd>
          </>
        ) : null}
      </dl>
      {d.error ? (
        <div role="alert" className="error">
          <strong>The deployment failed.</strong> {d.error}
        </div>
      ) : null}
      {d.status === 'queued' ? (
        <p role="status" className="muted">
          Waiting for the deployment before it to finish (one runs at a time).
        </p>
      ) : null}
      <section aria-labelledby="deployment-log">
        <h3 id="deployment-log">Log</h3>
        <pre className="capture" ref={logRef} aria-live={live ? 'polite' : 'off'}>
          {log || (d.status === 'ignored' ? '(nothing ran)' : '…')}
        </pre>
      </section>
    </>
  );
}
